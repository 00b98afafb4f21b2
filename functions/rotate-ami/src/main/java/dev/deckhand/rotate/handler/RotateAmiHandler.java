package dev.deckhand.rotate.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.core.aws.AwsCallCounter;
import dev.deckhand.core.aws.AwsClients;
import dev.deckhand.core.aws.DeckhandBus;
import dev.deckhand.core.config.Env;
import dev.deckhand.core.event.AmiRefreshRequested;
import dev.deckhand.core.event.AutoScalingLaunch;
import dev.deckhand.core.event.BadEventException;
import dev.deckhand.core.event.EventEnvelope;
import dev.deckhand.core.event.EventInvocation;
import dev.deckhand.core.event.EventParser;
import dev.deckhand.core.event.EventRouter;
import dev.deckhand.core.event.EventTypes;
import dev.deckhand.core.event.FleetEvent;
import dev.deckhand.core.log.Metrics;
import dev.deckhand.rotate.RotateConfig;
import dev.deckhand.rotate.executor.RotationFlow;
import dev.deckhand.rotate.planner.Owner;
import dev.deckhand.rotate.planner.RotationRequest;
import dev.deckhand.rotate.planner.RotationRequest.ImageAvailable;
import dev.deckhand.rotate.planner.RotationRequest.LaunchFailed;
import dev.deckhand.rotate.planner.RotationRequest.ParameterChanged;
import dev.deckhand.rotate.planner.RotationRequest.RefreshRequested;
import dev.deckhand.rotate.planner.RotationRequest.ScheduledRefresh;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Lambda entry point of rotate-ami. Its triggers: the main schedule (daily by default: new images
 * are taken), {@code Deckhand AMI Refresh Requested} (the same, now, optionally for some templates
 * only), a new image's arrival ({@link ParameterStoreChange} of a tracked parameter, or an Image
 * Builder image {@link ImageStateChange AVAILABLE}: the same, now, for the templates it concerns only),
 * a launch that failed (an Auto Scaling group's, a fleet's: a canary on a broken image rolls back at once),
 * and the reconcile schedule (every few minutes: a rotation under way moves on, wave by wave,
 * without taking a new image). The handler parses each into one {@link RotationRequest}; each run is
 * one pass of the reconcile loop in {@link RotationFlow}.
 * Handler string: {@code dev.deckhand.rotate.handler.RotateAmiHandler::handleRequest}.
 *
 * <p>The reconcile schedule is recognised by its rule's own input, {@value #RECONCILE_INPUT}
 * (template.yaml, the Reconcile event's {@code Input}), which EventBridge delivers instead of the
 * Scheduled Event; never by the rule's name, which CloudFormation generates and shortens for long
 * stack names. Every {@code Scheduled Event} is the main schedule.
 */
public final class RotateAmiHandler implements RequestStreamHandler {

    private static final Logger log = LoggerFactory.getLogger(RotateAmiHandler.class);
    /** The reconcile rule's constant input (template.yaml); it replaces the whole event. */
    static final String RECONCILE_INPUT = "{\"deckhand\":\"reconcile\"}";
    private static final String INPUT_FIELD = "deckhand";
    private static final String RECONCILE = "reconcile";

    private final EventParser parser = new EventParser();
    private final RotationFlow flow;
    private final EventRouter<RotationRequest> router;
    private final AwsCallCounter calls;
    private final Clock clock;

    public RotateAmiHandler() {
        this(RotateConfig.from(Env.system()), new AwsCallCounter());
    }

    private RotateAmiHandler(RotateConfig config, AwsCallCounter calls) {
        this(config, AwsClients.build(EcsClient.builder(), calls), AwsClients.build(Ec2Client.builder(), calls),
                AwsClients.build(AutoScalingClient.builder(), calls), AwsClients.build(SsmClient.builder(), calls),
                AwsClients.build(DeckhandBus.clientBuilder(), calls), calls, Clock.systemUTC());
    }

    public RotateAmiHandler(RotateConfig config, EcsClient ecs, Ec2Client ec2, AutoScalingClient autoscaling, SsmClient ssm,
                            EventBridgeClient events, AwsCallCounter calls, Clock clock) {
        this.calls = calls;
        this.clock = clock;
        this.flow = new RotationFlow(ecs, ec2, autoscaling, ssm, events, config, new Metrics("rotate-ami", clock), clock, parser.mapper());
        this.router = new EventRouter<RotationRequest>("rotate-ami", config.region())
                .on(EventTypes.SOURCE_EVENTS, EventTypes.SCHEDULED_EVENT, this::scheduled)
                .on(EventTypes.SOURCE_DECKHAND, EventTypes.AMI_REFRESH_REQUESTED, this::refreshRequested)
                .on(EventTypes.SOURCE_SSM, EventTypes.PARAMETER_STORE_CHANGE, this::parameterChanged)
                .on(EventTypes.SOURCE_IMAGEBUILDER, EventTypes.IMAGE_STATE_CHANGE, this::imageStateChanged)
                .on(EventTypes.SOURCE_AUTOSCALING, EventTypes.LAUNCH_UNSUCCESSFUL, this::groupLaunchFailed)
                .on(EventTypes.SOURCE_EC2_FLEET, EventTypes.EC2_FLEET_ERROR, this::fleetLaunchFailed)
                .on(EventTypes.SOURCE_SPOT_FLEET, EventTypes.SPOT_FLEET_ERROR, this::fleetLaunchFailed);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        String requestId = context == null ? null : context.getAwsRequestId();
        EventInvocation.run(requestId, calls, log, "rotation", parser.mapper(), output, () -> {
            byte[] bytes = read(input);
            JsonNode root = parser.readTreeOrNull(bytes);
            if (isScheduleInput(root)) {
                // No event id in a constant input: Lambda's request id, the same on its retries of this invocation.
                String runId = requestId != null ? requestId : "reconcile-" + clock.instant();
                MDC.put("eventId", runId);
                log.atInfo().log("reconcile run (the reconcile schedule's input {})", RECONCILE_INPUT);
                return flow.run(new ScheduledRefresh(runId, true));
            }
            return flow.run(router.route(root != null ? parser.parse(root) : parser.parse(bytes)));   // the latter says what is wrong
        });
    }

    private static byte[] read(InputStream input) {
        try {
            return input.readNBytes(EventParser.MAX_EVENT_BYTES + 1);
        } catch (IOException e) {
            throw new BadEventException("cannot read the event: " + e.getMessage());
        }
    }

    /**
     * Whether the input (read as JSON, or null) is the reconcile rule's input rather than an EventBridge event: a JSON
     * object with the field {@code deckhand} and no {@code source}. Its only accepted form is
     * {@value #RECONCILE_INPUT}; anything else with that field is refused, naming it.
     */
    private boolean isScheduleInput(JsonNode root) {
        if (root == null || !root.isObject() || !root.has(INPUT_FIELD) || root.has("source")) {
            return false;
        }
        if (root.size() != 1 || !RECONCILE.equals(root.get(INPUT_FIELD).asText(null)) || !root.get(INPUT_FIELD).isTextual()) {
            throw new BadEventException("rotate-ami's schedule input must be " + RECONCILE_INPUT + " (field `" + INPUT_FIELD
                    + "`), got " + EventParser.abbreviate(root.toString()));
        }
        return true;
    }

    /** The main schedule: the reconcile schedule's rule delivers its own input instead ({@link #isScheduleInput}). */
    private RotationRequest scheduled(EventEnvelope event) {
        return new ScheduledRefresh(event.id(), false);
    }

    private RotationRequest refreshRequested(EventEnvelope event) {
        AmiRefreshRequested request = parser.detail(event, AmiRefreshRequested.class);
        return new RefreshRequested(event.id(), request.requestedBy(), request.reason(), request.launchTemplateIds());
    }

    private RotationRequest parameterChanged(EventEnvelope event) {
        ParameterStoreChange change = parser.detail(event, ParameterStoreChange.class);
        return new ParameterChanged(event.id(), change.name(), change.operation(), change.exception());
    }

    private RotationRequest imageStateChanged(EventEnvelope event) {
        ImageStateChange change = parser.detail(event, ImageStateChange.class);
        return new ImageAvailable(event.id(), ImageStateChange.imageArn(event), change.state().status());
    }

    private RotationRequest groupLaunchFailed(EventEnvelope event) {
        AutoScalingLaunch launch = parser.detail(event, AutoScalingLaunch.class);
        return new LaunchFailed(event.id(), new Owner(Owner.Kind.AUTO_SCALING_GROUP, launch.group()), launch.failure(), launch.statusMessage());
    }

    private RotationRequest fleetLaunchFailed(EventEnvelope event) {
        FleetEvent error = parser.detail(event, FleetEvent.class);
        FleetEvent.Fleet fleet = FleetEvent.fleetOf(event);
        Owner owner = new Owner(fleet.kind() == FleetEvent.Kind.EC2_FLEET ? Owner.Kind.EC2_FLEET : Owner.Kind.SPOT_FLEET, fleet.id());
        return new LaunchFailed(event.id(), owner, error.failure(),
                error.subType() + (error.description() == null ? "" : ": " + error.description()));
    }
}
