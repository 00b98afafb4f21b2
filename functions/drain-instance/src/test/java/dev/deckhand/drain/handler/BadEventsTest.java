package dev.deckhand.drain.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.deckhand.core.aws.AwsCallCounter;
import dev.deckhand.core.config.ManagedClusters;
import dev.deckhand.core.event.EventTypes;
import dev.deckhand.drain.DrainConfig;
import dev.deckhand.testkit.BadEvents;
import dev.deckhand.testkit.NoAws;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/** drain-instance's bad-event corpus (src/test/resources/bad-events): each refused with a clear error, before any AWS call. */
class BadEventsTest {

    private final DrainInstanceHandler handler = new DrainInstanceHandler(
            DrainConfig.defaults(ManagedClusters.of("batch"), false, NoAws.REGION,
                    "https://sqs.us-east-2.amazonaws.com/123456789012/DrainRecheckQueue"),
            NoAws.client(EcsClient.builder()), NoAws.client(AutoScalingClient.builder()), NoAws.client(SqsClient.builder()),
            NoAws.client(SsmClient.builder()), new AwsCallCounter(), Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC));

    static Stream<BadEvents.Case> badEvents() throws IOException {
        return BadEvents.cases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badEvents")
    void badEvent_isRefusedWithAClearError_andNoCall(BadEvents.Case bad) {
        bad.assertRefusedBy(handler);
    }

    /** Every detail-type drain-instance's rules deliver (template.yaml) has refused cases, not only the common ones. */
    @Test
    void theCorpus_refusesSomeEventOfEveryTypeDrainInstanceIsRouted() throws IOException {
        Set<String> covered = BadEvents.detailTypes();
        Set<String> routed = Set.of(EventTypes.SPOT_INTERRUPTION_WARNING, EventTypes.REBALANCE_RECOMMENDATION,
                EventTypes.INSTANCE_STATE_CHANGE, EventTypes.LIFECYCLE_TERMINATE, EventTypes.LIFECYCLE_LAUNCH, EventTypes.HEALTH_EVENT,
                EventTypes.INSTANCE_RETIREMENT_REQUESTED);
        assertEquals(Set.of(), routed.stream().filter(type -> !covered.contains(type)).collect(Collectors.toSet()),
                "routed types with no refused case in bad-events/");
    }
}
