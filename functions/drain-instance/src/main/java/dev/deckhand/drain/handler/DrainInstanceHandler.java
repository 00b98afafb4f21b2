package dev.deckhand.drain.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.core.aws.AwsCallCounter;
import dev.deckhand.core.aws.AwsClients;
import dev.deckhand.core.aws.SnapStartPriming;
import dev.deckhand.core.aws.ClusterDirectory;
import dev.deckhand.core.aws.TaskReader;
import dev.deckhand.core.config.Env;
import dev.deckhand.core.event.BadEventException;
import dev.deckhand.core.event.EventEnvelope;
import dev.deckhand.core.event.EventInvocation;
import dev.deckhand.core.event.EventParser;
import dev.deckhand.core.event.EventRouter;
import dev.deckhand.core.event.EventTypes;
import dev.deckhand.core.event.InstanceRetirementRequested;
import dev.deckhand.core.event.SpotInstanceNotice;
import dev.deckhand.core.log.Metrics;
import dev.deckhand.drain.DrainConfig;
import dev.deckhand.drain.executor.CapacityProviders;
import dev.deckhand.drain.executor.CapacityRebalancing;
import dev.deckhand.drain.executor.HealthDrains;
import dev.deckhand.drain.executor.DrainFlow;
import dev.deckhand.drain.executor.HookFlow;
import dev.deckhand.drain.executor.InstanceDrainer;
import dev.deckhand.drain.executor.LifecycleHooks;
import dev.deckhand.drain.executor.PreDrainCommand;
import dev.deckhand.drain.executor.RecheckFlow;
import dev.deckhand.drain.executor.RecheckQueue;
import dev.deckhand.drain.executor.ReplacementWatcher;
import dev.deckhand.drain.executor.RetirementGate;
import dev.deckhand.drain.planner.BadRecheckMessageException;
import dev.deckhand.drain.planner.DrainPlanner;
import dev.deckhand.drain.planner.DrainRequest;
import dev.deckhand.drain.planner.HookWaitState;
import dev.deckhand.drain.planner.DrainInstanceRequest;
import dev.deckhand.drain.planner.HookKind;
import dev.deckhand.drain.planner.HookStart;
import dev.deckhand.drain.planner.RetirementRequest;
import dev.deckhand.drain.planner.Recheck;
import dev.deckhand.drain.planner.RebalanceWatch;
import dev.deckhand.drain.planner.RecheckMessage;
import dev.deckhand.drain.planner.RetirementDeferral;
import dev.deckhand.drain.planner.ScheduledDrain;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Lambda entry point of drain-instance. Two kinds of input arrive:
 * <ul>
 * <li>an EventBridge event (Spot warning, rebalance recommendation, state change, retirement
 * request, lifecycle action, AWS Health scheduled change): routed by {@link EventRouter}, parsed,
 * turned into a {@link DrainRequest} for {@link InstanceDrainer} ({@link Ec2Notices}; a running
 * instance's is a re-activation), a retirement request for {@link RetirementGate} (the disruption
 * budget), a hook for {@link HookFlow} or a scheduled change for {@link HealthDrains}; the result is
 * written as JSON;</li>
 * <li>a batch from the recheck queue (a lifecycle hook's next check, or the next hop of a drain
 * waiting for a scheduled change, or watching its maintenance): each message is one {@link HookWaitState} or one
 * {@link ScheduledDrain} (it has {@code drainAt}) or one {@link RebalanceWatch} (it has {@code reactivateAt}) or one {@link RetirementDeferral} (it has
 * {@code retireInstanceId}), handed to {@link RecheckFlow}; failed messages are reported in
 * {@code batchItemFailures} so SQS redelivers only them.</li>
 * </ul>
 * Handler string: {@code dev.deckhand.drain.handler.DrainInstanceHandler::handleRequest}.
 *
 * A bad event throws {@link BadEventException} before anything is changed; an AWS failure
 * propagates, so Lambda retries the event and the failure queue keeps what retries could not fix.
 */
public final class DrainInstanceHandler implements RequestStreamHandler {

    private static final Logger log = LoggerFactory.getLogger(DrainInstanceHandler.class);

    /** What SnapStart priming parses before the snapshot (AWS's sample Spot warning; never acted on). */
    private static final String PRIMING_EVENT = """
            {"version":"0","id":"12345678-1234-1234-1234-123456789012","detail-type":"EC2 Spot Instance Interruption Warning",
             "source":"aws.ec2","account":"123456789012","time":"2026-11-22T10:00:00Z","region":"us-east-2",
             "resources":[],"detail":{"instance-id":"i-1234567890abcdef0","instance-action":"terminate"}}""";

    private final EventParser parser = new EventParser();
    private final DrainFlow flow;
    private final RecheckFlow rechecks;
    private final AwsCallCounter calls;
    private final EcsClient ecs;
    private final CapacityProviders providers;
    private final EventRouter<DrainInstanceRequest> router;

    /** Used by Lambda: configuration from the environment, clients built once for the container. */
    public DrainInstanceHandler() {
        this(DrainConfig.from(Env.system()), new AwsCallCounter());
        SnapStartPriming.register("drain-instance", parser, PRIMING_EVENT, SpotInstanceNotice.class,
                () -> ecs.listClusters(r -> r.maxResults(1)));
    }

    private DrainInstanceHandler(DrainConfig config, AwsCallCounter calls) {
        this(config, AwsClients.build(EcsClient.builder(), calls), AwsClients.build(Ec2Client.builder(), calls),
                AwsClients.build(AutoScalingClient.builder(), calls),
                AwsClients.build(SqsClient.builder(), calls),
                config.preDrainDocument() == null ? null : AwsClients.build(SsmClient.builder(), calls),
                calls, Clock.systemUTC());
    }

    /** Used by tests: the clients (counted by {@code calls}), configuration and clock to use. */
    public DrainInstanceHandler(DrainConfig config, EcsClient ecs, Ec2Client ec2, AutoScalingClient autoscaling, SqsClient sqs,
                                SsmClient ssm, AwsCallCounter calls, Clock clock) {
        this.calls = calls;
        this.ecs = ecs;
        Metrics metrics = new Metrics("drain-instance", clock);
        ClusterDirectory directory = new ClusterDirectory(ecs, config.clusters(), clock);
        this.providers = new CapacityProviders(ecs);
        CapacityRebalancing rebalancing = new CapacityRebalancing(autoscaling);
        InstanceDrainer drainer = new InstanceDrainer(ecs, directory, new TaskReader(ecs), new DrainPlanner(config.rebalancePolicy()),
                new PreDrainCommand(ssm, config.preDrainDocument(), config.preDrainParameters(), metrics),
                rebalancing, providers, config, metrics, clock);
        RecheckQueue queue = new RecheckQueue(sqs, config.recheckQueueUrl(), parser.mapper());
        HookFlow hooks = new HookFlow(ecs, directory, drainer, new LifecycleHooks(autoscaling), queue, config, metrics, clock);
        HealthDrains health = new HealthDrains(ecs, ec2, directory, drainer, queue, config, metrics, clock);
        RetirementGate retirements = new RetirementGate(ecs, directory, drainer, queue, config, metrics);
        ReplacementWatcher replacementWatcher = new ReplacementWatcher(drainer, rebalancing, queue, config, clock);
        this.rechecks = new RecheckFlow(hooks, health, retirements, replacementWatcher, config);
        this.flow = new DrainFlow(drainer, health, retirements, hooks, replacementWatcher);
        this.router = new EventRouter<DrainInstanceRequest>("drain-instance", config.region())
                .on(EventTypes.SOURCE_EC2, EventTypes.SPOT_INTERRUPTION_WARNING,
                        event -> Ec2Notices.spotWarning(event, parser.detail(event, SpotInstanceNotice.class)))
                .on(EventTypes.SOURCE_EC2, EventTypes.REBALANCE_RECOMMENDATION,
                        event -> Ec2Notices.rebalanceRecommendation(event, parser.detail(event, SpotInstanceNotice.class)))
                .on(EventTypes.SOURCE_EC2, EventTypes.INSTANCE_STATE_CHANGE,
                        event -> Ec2Notices.stateChange(event, parser.detail(event, InstanceStateChange.class)))
                .on(EventTypes.SOURCE_DECKHAND, EventTypes.INSTANCE_RETIREMENT_REQUESTED, this::retirement)
                .on(EventTypes.SOURCE_HEALTH, EventTypes.HEALTH_EVENT,
                        event -> parser.detail(event, HealthScheduledChange.class).toChange(event))
                .on(EventTypes.SOURCE_AUTOSCALING, EventTypes.LIFECYCLE_TERMINATE, event -> hook(event, HookKind.TERMINATE))
                .on(EventTypes.SOURCE_AUTOSCALING, EventTypes.LIFECYCLE_LAUNCH, event -> hook(event, HookKind.LAUNCH));
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        byte[] bytes = input.readNBytes(EventParser.MAX_EVENT_BYTES + 1);
        String requestId = context == null ? null : context.getAwsRequestId();
        JsonNode root = parser.readTreeOrNull(bytes);
        if (isRecheckBatch(root)) {
            EventInvocation.runBatch(requestId, calls, log, "drain", parser.mapper(), output, () -> {
                providers.forget();
                return rechecks(root.get("Records"));
            });
            return;
        }
        EventInvocation.run(requestId, calls, log, "drain", parser.mapper(), output, () -> {
            EventEnvelope event = root != null ? parser.parse(root) : parser.parse(bytes);   // the latter says what is wrong
            providers.forget();
            return flow.run(router.route(event));
        });
    }

    /** Whether the input is a batch from the recheck queue (SQS's {@code Records}) rather than an event. */
    private static boolean isRecheckBatch(JsonNode root) {
        return root != null && root.isObject() && root.has("Records") && !root.has("detail");
    }

    private RetirementRequest retirement(EventEnvelope event) {
        InstanceRetirementRequested retirement = parser.detail(event, InstanceRetirementRequested.class);
        return new RetirementRequest(event.id(), retirement.instanceId(), retirement.reason(), retirement.requestedBy());
    }

    private HookStart hook(EventEnvelope event, HookKind expected) {
        LifecycleAction action = parser.detail(event, LifecycleAction.class);
        return new HookStart(action.kind(expected), event.id(), action.instanceId(), action.group(), action.hook(), action.token(),
                event.time(), action.origin(), action.destination());
    }

    /** A batch from the recheck queue: {"batchItemFailures": [{"itemIdentifier": messageId}, ...]}. */
    private Map<String, Object> rechecks(JsonNode records) {
        if (!records.isArray()) {
            throw new BadEventException("field `Records` must be an array of SQS messages");
        }
        List<Map<String, String>> failures = new ArrayList<>();
        Map<String, String> firstWithBody = new HashMap<>();
        for (JsonNode record : records) {
            String messageId = record.path("messageId").asText("");
            MDC.put("messageId", messageId);
            // A SendMessage whose answer was lost after SQS took it is sent again by the SDK: two messages,
            // one body, one chain of checks become two. A copy that arrives in the batch of its first ends here.
            String body = record.path("body").asText("");
            String copyOf = firstWithBody.putIfAbsent(body, messageId);
            if (copyOf != null) {
                log.atInfo().addKeyValue("messageId", messageId).addKeyValue("copyOf", copyOf)
                        .log("recheck message dropped: the same body as message {} of this batch, sent twice", copyOf);
                continue;
            }
            RecheckMessage message;
            try {
                message = recheckMessage(body);
            } catch (IOException | RuntimeException e) {
                Throwable cause = e.getCause() instanceof BadRecheckMessageException bad ? bad : e;
                log.atError().addKeyValue("messageId", messageId)
                        .log("recheck message refused, nothing changed; it goes to the failure queue after its retries: {}",
                                cause.getMessage());
                failures.add(Map.of("itemIdentifier", messageId));
                continue;
            }
            Recheck recheck = new Recheck(messageId, record.path("receiptHandle").asText(""),
                    record.path("attributes").path("ApproximateReceiveCount").asInt(1), message);
            if (!rechecks.run(recheck)) {
                failures.add(Map.of("itemIdentifier", messageId));
            }
        }
        MDC.remove("messageId");
        return Map.of("batchItemFailures", failures);
    }

    /** A message body: which one, {@link RecheckMessage#typeOf} says. */
    private RecheckMessage recheckMessage(String body) throws IOException {
        JsonNode json = parser.mapper().readTree(body);
        if (json == null || !json.isObject()) {
            throw new BadEventException("recheck message body is not a JSON object");
        }
        return parser.mapper().treeToValue(json, RecheckMessage.typeOf(json));
    }
}
