package dev.deckhand.rotate.handler;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.deckhand.core.aws.AwsCallCounter;
import dev.deckhand.core.config.ManagedClusters;
import dev.deckhand.core.event.EventTypes;
import dev.deckhand.rotate.RotateConfig;
import dev.deckhand.rotate.planner.Budget;
import dev.deckhand.rotate.planner.MaintenanceWindow;
import dev.deckhand.testkit.BadEventCorpusTest;
import dev.deckhand.testkit.NoAws;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * rotate-ami's bad events, its own (src/test/resources/bad-events) and the test kit's envelope cases:
 * each refused with a clear error, before any AWS call.
 */
class BadEventsTest extends BadEventCorpusTest {

    @Override
    protected RequestStreamHandler handler() {
        return new RotateAmiHandler(new RotateConfig(ManagedClusters.of("web"), false, NoAws.REGION,
                RotateConfig.ECS_AL2023, new Budget(2, 50, Duration.ofMinutes(30), null), MaintenanceWindow.ALWAYS, "deckhand-deckhand"),
                NoAws.client(EcsClient.builder()), NoAws.client(Ec2Client.builder()), NoAws.client(AutoScalingClient.builder()),
                NoAws.client(SsmClient.builder()), NoAws.client(EventBridgeClient.builder()), new AwsCallCounter(),
                Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC));
    }

    @Override
    protected Set<String> routedDetailTypes() {
        return Set.of(EventTypes.SCHEDULED_EVENT, EventTypes.PARAMETER_STORE_CHANGE, EventTypes.IMAGE_STATE_CHANGE,
                EventTypes.LAUNCH_UNSUCCESSFUL, EventTypes.EC2_FLEET_ERROR, EventTypes.SPOT_FLEET_ERROR, EventTypes.AMI_REFRESH_REQUESTED);
    }

    @Override
    protected Route envelopeRoute() {
        return new Route(EventTypes.SOURCE_DECKHAND, EventTypes.AMI_REFRESH_REQUESTED);
    }
}
