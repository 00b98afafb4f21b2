package dev.deckhand.drain.handler;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.deckhand.core.aws.AwsCallCounter;
import dev.deckhand.core.config.ManagedClusters;
import dev.deckhand.core.event.EventTypes;
import dev.deckhand.drain.DrainConfig;
import dev.deckhand.testkit.BadEventCorpusTest;
import dev.deckhand.testkit.NoAws;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * drain-instance's bad events, its own (src/test/resources/bad-events) and the test kit's envelope cases:
 * each refused with a clear error, before any AWS call.
 */
class BadEventsTest extends BadEventCorpusTest {

    @Override
    protected RequestStreamHandler handler() {
        return new DrainInstanceHandler(
                DrainConfig.defaults(ManagedClusters.of("batch"), false, NoAws.REGION,
                        "https://sqs.us-east-2.amazonaws.com/123456789012/DrainRecheckQueue"),
                NoAws.client(EcsClient.builder()), NoAws.client(Ec2Client.builder()), NoAws.client(AutoScalingClient.builder()), NoAws.client(SqsClient.builder()),
                NoAws.client(SsmClient.builder()), new AwsCallCounter(), Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC));
    }

    @Override
    protected Set<String> routedDetailTypes() {
        return Set.of(EventTypes.SPOT_INTERRUPTION_WARNING, EventTypes.REBALANCE_RECOMMENDATION,
                EventTypes.INSTANCE_STATE_CHANGE, EventTypes.LIFECYCLE_TERMINATE, EventTypes.LIFECYCLE_LAUNCH, EventTypes.HEALTH_EVENT,
                EventTypes.INSTANCE_RETIREMENT_REQUESTED);
    }

    @Override
    protected Route envelopeRoute() {
        return new Route(EventTypes.SOURCE_EC2, EventTypes.SPOT_INTERRUPTION_WARNING);
    }
}
