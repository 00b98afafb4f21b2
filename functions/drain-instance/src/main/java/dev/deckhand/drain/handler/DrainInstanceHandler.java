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
import dev.deckhand.core.event.EventTypes;
import dev.deckhand.core.event.InstanceRetirementRequested;
import dev.deckhand.core.log.Metrics;
import dev.deckhand.drain.DrainConfig;
import dev.deckhand.drain.executor.CapacityProviders;
import dev.deckhand.drain.executor.CapacityRebalancing;
import dev.deckhand.drain.executor.DrainResult;
import dev.deckhand.drain.executor.HealthDrains;
import dev.deckhand.drain.executor.HookFlow;
import dev.deckhand.drain.executor.HookResult;
import dev.deckhand.drain.executor.InstanceDrainer;
import dev.deckhand.drain.executor.LifecycleHooks;
import dev.deckhand.drain.executor.PreDrainCommand;
import dev.deckhand.drain.executor.RecheckQueue;
import dev.deckhand.drain.executor.RetirementGate;
import dev.deckhand.drain.planner.DrainPlanner;
import dev.deckhand.drain.planner.DrainRequest;
import dev.deckhand.drain.planner.HookWaitState;
import dev.deckhand.drain.planner.HookKind;
import dev.deckhand.drain.planner.RetirementDeferral;
import dev.deckhand.drain.planner.ScheduledDrain;
import dev.deckhand.drain.planner.Signal;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Lambda entry point of drain-instance. Two kinds of input arrive:
 * <ul>
 * <li>an EventBridge event (Spot warning, rebalance recommendation, state change, retirement
 * request, lifecycle action, AWS Health scheduled change): parsed, turned into a {@link DrainRequest}
 * for {@link InstanceDrainer} (a retirement request through {@link RetirementGate}, the disruption
 * budget), a hook for {@link HookFlow} or a scheduled change for {@link HealthDrains}; the result is
 * written as JSON;</li>
 * <li>a batch from the recheck queue (a lifecycle hook's next check, or the next hop of a drain
 * waiting for a scheduled change): each message is one {@link HookWaitState} or one
 * {@link ScheduledDrain} (it has {@code drainAt}) or one {@link RetirementDeferral} (it has
 * {@code retireInstanceId}); failed messages are reported in {@code batchItemFailures} so SQS redelivers
 * only them, sooner than the visibility timeout (within the hook's time left), and on a message's
 * last receive a failing check completes the hook instead.</li>
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
    private final DrainConfig config;
    private final InstanceDrainer drainer;
    private final HookFlow hooks;
    private final HealthDrains health;
    private final RetirementGate retirements;
    private final AwsCallCounter calls;
    private final EcsClient ecs;
    private final CapacityProviders providers;

    /** Used by Lambda: configuration from the environment, clients built once for the container. */
    public DrainInstanceHandler() {
        this(DrainConfig.from(Env.system()), new AwsCallCounter());
        SnapStartPriming.register("drain-instance", parser, PRIMING_EVENT, SpotInterruptionWarning.class,
                () -> ecs.listClusters(r -> r.maxResults(1)));
    }

    private DrainInstanceHandler(DrainConfig config, AwsCallCounter calls) {
        this(config, AwsClients.build(EcsClient.builder(), calls), AwsClients.build(AutoScalingClient.builder(), calls),
                AwsClients.build(SqsClient.builder(), calls),
                config.preDrainDocument() == null ? null : AwsClients.build(SsmClient.builder(), calls),
                calls, Clock.systemUTC());
    }

    /** Used by tests: the clients (counted by {@code calls}), configuration and clock to use. */
    public DrainInstanceHandler(DrainConfig config, EcsClient ecs, AutoScalingClient autoscaling, SqsClient sqs,
                                SsmClient ssm, AwsCallCounter calls, Clock clock) {
        this.config = config;
        this.calls = calls;
        this.ecs = ecs;
        Metrics metrics = new Metrics("drain-instance", clock);
        ClusterDirectory directory = new ClusterDirectory(ecs, config.clusters(), clock);
        this.providers = new CapacityProviders(ecs);
        this.drainer = new InstanceDrainer(ecs, directory, new TaskReader(ecs), new DrainPlanner(config.rebalancePolicy()),
                new PreDrainCommand(ssm, config.preDrainDocument(), config.preDrainParameters(), metrics),
                new CapacityRebalancing(autoscaling), providers, config, metrics, clock);
        RecheckQueue queue = new RecheckQueue(sqs, config.recheckQueueUrl(), parser.mapper());
        this.hooks = new HookFlow(ecs, directory, drainer, new LifecycleHooks(autoscaling), queue, config, metrics, clock);
        this.health = new HealthDrains(ecs, directory, drainer, queue, config, metrics, clock);
        this.retirements = new RetirementGate(ecs, directory, drainer, queue, config, metrics);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        byte[] bytes = input.readNBytes(EventParser.MAX_EVENT_BYTES + 1);
        EventInvocation.run(context == null ? null : context.getAwsRequestId(), calls, log, "drain", parser.mapper(), output, () -> {
            if (bytes.length > EventParser.MAX_EVENT_BYTES) {
                throw new BadEventException("the event is larger than EventBridge's 256 KiB limit");
            }
            providers.forget();
            JsonNode records = recheckRecords(bytes);
            return records != null ? rechecks(records) : event(parser.parse(bytes));
        });
    }

    /** The SQS records when the input is a batch from the recheck queue, else null. */
    private JsonNode recheckRecords(byte[] bytes) {
        JsonNode root;
        try {
            root = parser.mapper().readTree(bytes);
        } catch (IOException e) {
            return null; // EventParser reports it
        }
        if (root != null && root.isObject() && root.has("Records") && !root.has("detail")) {
            JsonNode records = root.get("Records");
            if (!records.isArray()) {
                throw new BadEventException("field `Records` must be an array of SQS messages");
            }
            return records;
        }
        return null;
    }

    private Object event(EventEnvelope event) {
        MDC.put("eventId", event.id());
        if (!config.region().equals(event.region())) {
            throw new BadEventException("event field `region` is " + EventParser.abbreviate(event.region())
                    + " but this function acts in " + config.region());
        }
        if (event.is(EventTypes.SOURCE_EC2, EventTypes.SPOT_INTERRUPTION_WARNING)) {
            return drain(parser.detail(event, SpotInterruptionWarning.class).toRequest(event));
        }
        if (event.is(EventTypes.SOURCE_EC2, EventTypes.REBALANCE_RECOMMENDATION)) {
            InstanceNotice notice = parser.detail(event, InstanceNotice.class);
            return drain(new DrainRequest(event.id(), notice.instanceId(), Signal.REBALANCE_RECOMMENDATION, null));
        }
        if (event.is(EventTypes.SOURCE_EC2, EventTypes.INSTANCE_STATE_CHANGE)) {
            InstanceNotice notice = parser.detail(event, InstanceNotice.class);
            if (notice.running()) {
                return drainer.reactivate(event.id(), notice.instanceId()).withAwsCalls(calls.byOperation());
            }
            notice.requireLeaving();
            return drain(new DrainRequest(event.id(), notice.instanceId(), Signal.STATE_CHANGE, null, notice.stopping()));
        }
        if (event.is(InstanceRetirementRequested.SOURCE, InstanceRetirementRequested.DETAIL_TYPE)) {
            InstanceRetirementRequested retirement = parser.detail(event, InstanceRetirementRequested.class);
            log.atInfo().addKeyValue("instanceId", retirement.instanceId()).addKeyValue("requestedBy", retirement.requestedBy())
                    .log("retirement requested: {}", retirement.reason());
            return retirements.request(event.id(), retirement.instanceId(), retirement.reason(), retirement.requestedBy(), 0)
                    .withAwsCalls(calls.byOperation());
        }
        if (event.is(EventTypes.SOURCE_HEALTH, EventTypes.HEALTH_EVENT)) {
            return health.start(parser.detail(event, HealthScheduledChange.class).toChange(event)).withAwsCalls(calls.byOperation());
        }
        if (event.is(EventTypes.SOURCE_AUTOSCALING, EventTypes.LIFECYCLE_TERMINATE)) {
            return hook(event, HookKind.TERMINATE);
        }
        if (event.is(EventTypes.SOURCE_AUTOSCALING, EventTypes.LIFECYCLE_LAUNCH)) {
            return hook(event, HookKind.LAUNCH);
        }
        throw new BadEventException("drain-instance does not handle source `" + EventParser.abbreviate(event.source())
                + "` with detail-type `" + EventParser.abbreviate(event.detailType()) + "`");
    }

    private DrainResult drain(DrainRequest request) {
        return drainer.drain(request).withAwsCalls(calls.byOperation());
    }

    private HookResult hook(EventEnvelope event, HookKind expected) {
        LifecycleAction action = parser.detail(event, LifecycleAction.class);
        HookKind kind = action.kind(expected);
        return hooks.start(kind, event.id(), action.instanceId(), action.group(), action.hook(), action.token(), event.time(),
                action.origin(), action.destination()).withAwsCalls(calls.byOperation());
    }

    /** A batch from the recheck queue: {"batchItemFailures": [{"itemIdentifier": messageId}, ...]}. */
    private Map<String, Object> rechecks(JsonNode records) {
        List<Map<String, String>> failures = new ArrayList<>();
        for (JsonNode record : records) {
            String messageId = record.path("messageId").asText("");
            MDC.put("messageId", messageId);
            HookWaitState check;
            try {
                JsonNode body = parser.mapper().readTree(record.path("body").asText(""));
                if (body == null || !body.isObject()) {
                    throw new BadEventException("recheck message body is not a JSON object");
                }
                if (body.has(RetirementDeferral.KEY)) {
                    if (!retirementDeferral(parser.mapper().treeToValue(body, RetirementDeferral.class), messageId)) {
                        failures.add(Map.of("itemIdentifier", messageId));
                    }
                    continue;
                }
                if (body.has("drainAt")) {
                    if (!scheduledDrain(parser.mapper().treeToValue(body, ScheduledDrain.class), messageId)) {
                        failures.add(Map.of("itemIdentifier", messageId));
                    }
                    continue;
                }
                check = parser.mapper().treeToValue(body, HookWaitState.class);
            } catch (IOException | RuntimeException e) {
                Throwable cause = e.getCause() instanceof BadEventException bad ? bad : e;
                log.atError().addKeyValue("messageId", messageId)
                        .log("recheck message refused, nothing changed; it goes to the failure queue after its retries: {}",
                                cause.getMessage());
                failures.add(Map.of("itemIdentifier", messageId));
                continue;
            }
            MDC.put("eventId", check.eventId());
            int receives = record.path("attributes").path("ApproximateReceiveCount").asInt(1);
            try {
                hooks.check(check);
            } catch (RuntimeException e) {
                if (receives >= config.recheckMaxReceives()) {
                    try {
                        hooks.giveUp(check, e);
                        continue;
                    } catch (RuntimeException giveUpFailure) {
                        e.addSuppressed(giveUpFailure);
                    }
                }
                if (receives >= config.recheckMaxReceives()) {
                    log.atWarn().setCause(e).addKeyValue("messageId", messageId).addKeyValue("receives", receives)
                            .log("lifecycle hook check failed, and so did completing the hook; SQS delivers it again");
                } else {
                    hooks.retrySoon(check, record.path("receiptHandle").asText(""), receives, e);
                }
                failures.add(Map.of("itemIdentifier", messageId));
            }
        }
        MDC.remove("messageId");
        return Map.of("batchItemFailures", failures);
    }

    /** A retirement request back from its wait for the disruption budget; a failure is reported as a scheduled drain's is. */
    private boolean retirementDeferral(RetirementDeferral deferral, String messageId) {
        MDC.put("eventId", deferral.eventId());
        try {
            retirements.request(deferral.eventId(), deferral.instanceId(), deferral.reason(), deferral.requestedBy(), deferral.deferrals());
            return true;
        } catch (RuntimeException e) {
            log.atWarn().setCause(e).addKeyValue("messageId", messageId).addKeyValue("instanceId", deferral.instanceId())
                    .log("deferred retirement failed; SQS delivers it again after the queue's visibility timeout");
            return false;
        }
    }

    /**
     * One hop of a scheduled drain. A failure is reported in {@code batchItemFailures}: SQS delivers
     * it again after the queue's visibility timeout (360 s, well inside the drain lead), and after
     * the queue's last receive it goes to the failure queue, whose alarm fires.
     */
    private boolean scheduledDrain(ScheduledDrain hop, String messageId) {
        MDC.put("eventId", hop.eventId());
        try {
            health.check(hop);
            return true;
        } catch (RuntimeException e) {
            log.atWarn().setCause(e).addKeyValue("messageId", messageId).addKeyValue("instanceId", hop.instanceId())
                    .log("scheduled drain check failed; SQS delivers it again after the queue's visibility timeout");
            return false;
        }
    }
}
