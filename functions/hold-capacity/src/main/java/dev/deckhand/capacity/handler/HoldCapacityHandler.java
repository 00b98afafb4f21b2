package dev.deckhand.capacity.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.deckhand.capacity.HoldConfig;
import dev.deckhand.capacity.executor.CapacityReader;
import dev.deckhand.capacity.executor.HoldFlow;
import dev.deckhand.capacity.executor.LeverWriter;
import dev.deckhand.capacity.planner.HoldPlanner;
import dev.deckhand.capacity.planner.HoldRequest;
import dev.deckhand.capacity.planner.HoldRequest.Trigger;
import dev.deckhand.core.aws.AwsCallCounter;
import dev.deckhand.core.aws.AwsClients;
import dev.deckhand.core.aws.ClusterDirectory;
import dev.deckhand.core.aws.DeckhandBus;
import dev.deckhand.core.aws.TaskReader;
import dev.deckhand.core.config.Env;
import dev.deckhand.core.event.AutoScalingLaunch;
import dev.deckhand.core.event.BadEventException;
import dev.deckhand.core.event.EventEnvelope;
import dev.deckhand.core.event.EventInvocation;
import dev.deckhand.core.event.EventParser;
import dev.deckhand.core.event.EventRouter;
import dev.deckhand.core.event.EventTypes;
import dev.deckhand.core.event.FleetEvent;
import dev.deckhand.core.event.SpotInstanceNotice;
import dev.deckhand.core.log.Metrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * Lambda entry point of hold-capacity. Spot loss signals (interruption warnings, rebalance
 * recommendations, Spot launches that failed for lack of capacity in an Auto Scaling group, a Spot
 * Fleet or an EC2 Fleet) raise the cluster's On-Demand lever; the schedule hands it back. Each event
 * becomes one {@link HoldRequest} for {@link HoldFlow}; a bad one is refused here, before any AWS call.
 * Handler string: {@code dev.deckhand.capacity.handler.HoldCapacityHandler::handleRequest}.
 */
public final class HoldCapacityHandler implements RequestStreamHandler {

    private static final Logger log = LoggerFactory.getLogger(HoldCapacityHandler.class);
    /** EventBridge stamps events with its own clock; a little skew is allowed, no more. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private final EventParser parser = new EventParser();
    private final AwsCallCounter calls;
    private final Clock clock;
    private final HoldFlow hold;
    private final EventRouter<HoldRequest> router;

    public HoldCapacityHandler() {
        this(HoldConfig.from(Env.system()), new AwsCallCounter());
    }

    private HoldCapacityHandler(HoldConfig config, AwsCallCounter calls) {
        this(config, AwsClients.build(AutoScalingClient.builder(), calls), AwsClients.build(Ec2Client.builder(), calls),
                AwsClients.build(EcsClient.builder(), calls), AwsClients.build(DeckhandBus.clientBuilder(), calls), calls, Clock.systemUTC());
    }

    public HoldCapacityHandler(HoldConfig config, AutoScalingClient autoscaling, Ec2Client ec2, EcsClient ecs, EventBridgeClient events,
                               AwsCallCounter calls, Clock clock) {
        this.calls = calls;
        this.clock = clock;
        ClusterDirectory directory = new ClusterDirectory(ecs, config.clusters(), clock);
        Metrics metrics = new Metrics("hold-capacity", clock);
        this.hold = new HoldFlow(config, new CapacityReader(autoscaling, ec2, config.defaultCap()),
                new LeverWriter(autoscaling, ec2, events, directory, new TaskReader(ecs), parser.mapper(), metrics, config.dryRun(), config.eventBus()),
                new HoldPlanner(config.settings(), config.rebalancePolicy()), directory, clock);
        this.router = new EventRouter<HoldRequest>("hold-capacity", config.region())
                .on(EventTypes.SOURCE_EC2, EventTypes.SPOT_INTERRUPTION_WARNING, event -> instanceLost(event, Trigger.SPOT_INTERRUPTION))
                .on(EventTypes.SOURCE_EC2, EventTypes.REBALANCE_RECOMMENDATION, event -> instanceLost(event, Trigger.REBALANCE_RECOMMENDATION))
                .on(EventTypes.SOURCE_AUTOSCALING, EventTypes.LAUNCH_UNSUCCESSFUL, this::launchUnsuccessful)
                .on(EventTypes.SOURCE_SPOT_FLEET, EventTypes.SPOT_FLEET_ERROR, this::fleetError)
                .on(EventTypes.SOURCE_EC2_FLEET, EventTypes.EC2_FLEET_ERROR, this::fleetError)
                .on(EventTypes.SOURCE_EVENTS, EventTypes.SCHEDULED_EVENT, this::schedule);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        EventInvocation.run(context == null ? null : context.getAwsRequestId(), calls, log, "hold-capacity", parser.mapper(), output, () -> {
            return hold.run(router.route(parser.parse(input)));
        });
    }

    private HoldRequest instanceLost(EventEnvelope event, Trigger trigger) {
        checkTime(event);
        SpotInstanceNotice notice = parser.detail(event, SpotInstanceNotice.class);
        return request(event, trigger, new HoldRequest.InstanceLost(notice.instanceId()));
    }

    private HoldRequest launchUnsuccessful(EventEnvelope event) {
        checkTime(event);
        AutoScalingLaunch launch = parser.detail(event, AutoScalingLaunch.class);
        return request(event, Trigger.LAUNCH_UNSUCCESSFUL, new HoldRequest.GroupLaunchFailed(launch.group(), launch.failure()));
    }

    private HoldRequest fleetError(EventEnvelope event) {
        checkTime(event);
        FleetEvent error = parser.detail(event, FleetEvent.class);
        FleetEvent.Fleet fleet = FleetEvent.fleetOf(event);
        return request(event, Trigger.FLEET_ERROR, new HoldRequest.FleetLaunchFailed(fleet.id(), error.subType(), error.failure()));
    }

    private HoldRequest schedule(EventEnvelope event) {
        checkTime(event);
        return request(event, Trigger.SCHEDULE, new HoldRequest.Schedule());
    }

    private static HoldRequest request(EventEnvelope event, Trigger trigger, HoldRequest.Lost lost) {
        return new HoldRequest(event.id(), event.time(), trigger, lost);
    }

    /** An event from the future is refused (before its detail is read): its time is the planner's clock. */
    private void checkTime(EventEnvelope event) {
        if (event.time().isAfter(clock.instant().plus(CLOCK_SKEW))) {
            throw new BadEventException("event field `time` is in the future: " + event.time());
        }
    }
}
