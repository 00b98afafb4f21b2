package dev.deckhand.capacity.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.deckhand.capacity.HoldConfig;
import dev.deckhand.capacity.executor.HoldFlow;
import dev.deckhand.capacity.executor.LeverWriter;
import dev.deckhand.capacity.executor.CapacityReader;
import dev.deckhand.capacity.executor.HoldResult;
import dev.deckhand.capacity.planner.HoldPlanner;
import dev.deckhand.core.aws.AwsCallCounter;
import dev.deckhand.core.aws.AwsClients;
import dev.deckhand.core.aws.ClusterDirectory;
import dev.deckhand.core.aws.TaskReader;
import dev.deckhand.core.config.Env;
import dev.deckhand.core.event.BadEventException;
import dev.deckhand.core.event.EventEnvelope;
import dev.deckhand.core.event.EventInvocation;
import dev.deckhand.core.event.EventParser;
import dev.deckhand.core.event.LaunchFailure;
import dev.deckhand.core.event.EventTypes;
import dev.deckhand.core.log.Metrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * Lambda entry point of hold-capacity. Spot loss signals (interruption warnings, rebalance
 * recommendations, Spot launches that failed for lack of capacity in an Auto Scaling group, a Spot
 * Fleet or an EC2 Fleet) raise the cluster's On-Demand lever; the schedule hands it back.
 * Handler string: {@code dev.deckhand.capacity.handler.HoldCapacityHandler::handleRequest}.
 */
public final class HoldCapacityHandler implements RequestStreamHandler {

    private static final Logger log = LoggerFactory.getLogger(HoldCapacityHandler.class);
    /** EC2 Auto Scaling event reference. */
    static final String LAUNCH_UNSUCCESSFUL = "EC2 Instance Launch Unsuccessful";
    /** EC2 User Guide, "Spot Fleet event types". */
    static final String SOURCE_SPOT_FLEET = "aws.ec2spotfleet";
    static final String SPOT_FLEET_ERROR = "EC2 Spot Fleet Error";
    /** EC2 User Guide, "EC2 Fleet event types". */
    static final String SOURCE_EC2_FLEET = "aws.ec2fleet";
    static final String EC2_FLEET_ERROR = "EC2 Fleet Error";
    private static final Pattern FLEET_ARN = Pattern.compile("arn:[\\w-]+:ec2:[\\w-]+:\\d{12}:(spot-fleet-request/sfr|fleet/fleet)-[0-9a-f-]{36}");

    private final EventParser parser = new EventParser();
    private final HoldConfig config;
    private final AwsCallCounter calls;
    private final HoldFlow hold;

    public HoldCapacityHandler() {
        this(HoldConfig.from(Env.system()), new AwsCallCounter());
    }

    private HoldCapacityHandler(HoldConfig config, AwsCallCounter calls) {
        this(config, AwsClients.build(AutoScalingClient.builder(), calls), AwsClients.build(Ec2Client.builder(), calls),
                AwsClients.build(EcsClient.builder(), calls), AwsClients.build(EventBridgeClient.builder(), calls), calls, Clock.systemUTC());
    }

    public HoldCapacityHandler(HoldConfig config, AutoScalingClient autoscaling, Ec2Client ec2, EcsClient ecs, EventBridgeClient events,
                               AwsCallCounter calls, Clock clock) {
        this.config = config;
        this.calls = calls;
        ClusterDirectory directory = new ClusterDirectory(ecs, config.clusters(), clock);
        Metrics metrics = new Metrics("hold-capacity", clock);
        this.hold = new HoldFlow(config, new CapacityReader(autoscaling, ec2, config.defaultCap()),
                new LeverWriter(autoscaling, ec2, events, directory, new TaskReader(ecs), parser.mapper(), metrics, config.dryRun(), config.eventBus()),
                new HoldPlanner(config.settings()), directory, clock);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        EventInvocation.run(context == null ? null : context.getAwsRequestId(), calls, log, "hold-capacity", parser.mapper(), output, () -> {
            EventEnvelope event = parser.parse(input);
            MDC.put("eventId", event.id());
            return handle(event).withAwsCalls(calls.byOperation());
        });
    }

    private HoldResult handle(EventEnvelope event) {
        if (!config.region().equals(event.region())) {
            throw new BadEventException("event field `region` is " + EventParser.abbreviate(event.region())
                    + " but this function acts in " + config.region());
        }
        hold.checkTime(event);
        if (event.is(EventTypes.SOURCE_EC2, EventTypes.SPOT_INTERRUPTION_WARNING)) {
            return hold.instanceLost(event, "SPOT_INTERRUPTION", parser.detail(event, InstanceSignal.class).instanceId());
        }
        if (event.is(EventTypes.SOURCE_EC2, EventTypes.REBALANCE_RECOMMENDATION)) {
            String instanceId = parser.detail(event, InstanceSignal.class).instanceId();
            if (!config.holdsForRebalance()) {
                // drain-instance leaves the instance ACTIVE under notify and ignore: nothing is lost yet.
                return hold.ignored(event, "REBALANCE_RECOMMENDATION", "DECKHAND_REBALANCE_POLICY is "
                        + config.rebalancePolicy().name().toLowerCase(java.util.Locale.ROOT)
                        + ": drain-instance does not drain instance " + instanceId + ", so no On-Demand is held for it");
            }
            return hold.instanceLost(event, "REBALANCE_RECOMMENDATION", instanceId);
        }
        if (event.is(EventTypes.SOURCE_AUTOSCALING, LAUNCH_UNSUCCESSFUL)) {
            LaunchUnsuccessful failure = parser.detail(event, LaunchUnsuccessful.class);
            if (!failure.holdable()) {
                return hold.ignored(event, "LAUNCH_UNSUCCESSFUL", "the launch failed for another reason than capacity (" + LaunchFailure.ofStatusMessage(failure.statusMessage()).slug() + "); nothing to hold");
            }
            return hold.groupLaunchFailed(event, failure.group());
        }
        if (event.is(SOURCE_SPOT_FLEET, SPOT_FLEET_ERROR) || event.is(SOURCE_EC2_FLEET, EC2_FLEET_ERROR)) {
            FleetError error = parser.detail(event, FleetError.class);
            if (event.resources().isEmpty()) {
                throw new BadEventException("event field `resources` must name the fleet");
            }
            Matcher fleet = FLEET_ARN.matcher(event.resources().get(0));
            if (!fleet.matches()) {
                throw new BadEventException("event field `resources[0]` is not a Spot Fleet request or EC2 Fleet ARN: "
                        + EventParser.abbreviate(event.resources().get(0)));
            }
            if (!error.holdable()) {
                return hold.ignored(event, "FLEET_ERROR", "fleet error " + error.subType() + " is a configuration error, not lost Spot capacity");
            }
            String arn = event.resources().get(0);
            return hold.fleetLaunchFailed(event, arn.substring(arn.lastIndexOf('/') + 1));
        }
        if (event.is(EventTypes.SOURCE_EVENTS, EventTypes.SCHEDULED_EVENT)) {
            return hold.handBack(event);
        }
        throw new BadEventException("hold-capacity does not handle source `" + EventParser.abbreviate(event.source())
                + "` with detail-type `" + EventParser.abbreviate(event.detailType()) + "`");
    }
}
