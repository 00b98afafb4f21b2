package dev.deckhand.capacity.handler;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.deckhand.core.aws.AwsCallCounter;
import dev.deckhand.core.config.ManagedClusters;
import dev.deckhand.core.event.EventTypes;
import dev.deckhand.testkit.BadEventCorpusTest;
import dev.deckhand.testkit.NoAws;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * hold-capacity's bad events, its own (src/test/resources/bad-events) and the test kit's envelope cases:
 * each refused with a clear error, before any AWS call.
 */
class BadEventsTest extends BadEventCorpusTest {

    @Override
    protected RequestStreamHandler handler() {
        return new HoldCapacityHandler(HoldAccount.config(ManagedClusters.of("web"), false), NoAws.client(AutoScalingClient.builder()),
                NoAws.client(Ec2Client.builder()), NoAws.client(EcsClient.builder()), NoAws.client(EventBridgeClient.builder()),
                new AwsCallCounter(), Clock.fixed(Instant.parse("2026-11-22T10:00:30Z"), ZoneOffset.UTC));
    }

    @Override
    protected Set<String> routedDetailTypes() {
        return Set.of(EventTypes.SPOT_INTERRUPTION_WARNING, EventTypes.REBALANCE_RECOMMENDATION, EventTypes.LAUNCH_UNSUCCESSFUL,
                EventTypes.EC2_FLEET_ERROR, EventTypes.SPOT_FLEET_ERROR, EventTypes.SCHEDULED_EVENT);
    }

    @Override
    protected Route envelopeRoute() {
        return new Route(EventTypes.SOURCE_EC2, EventTypes.SPOT_INTERRUPTION_WARNING);
    }
}
