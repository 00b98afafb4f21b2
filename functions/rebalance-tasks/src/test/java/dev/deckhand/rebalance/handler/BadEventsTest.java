package dev.deckhand.rebalance.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.deckhand.core.aws.AwsCallCounter;
import dev.deckhand.core.config.ManagedClusters;
import dev.deckhand.core.event.EventTypes;
import dev.deckhand.rebalance.RebalanceConfig;
import dev.deckhand.rebalance.planner.Budget;
import dev.deckhand.testkit.BadEvents;
import dev.deckhand.testkit.NoAws;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.ecs.EcsClient;

/** rebalance-tasks' bad-event corpus (src/test/resources/bad-events): each refused with a clear error, before any AWS call. */
class BadEventsTest {

    private final RebalanceTasksHandler handler = new RebalanceTasksHandler(new RebalanceConfig(ManagedClusters.of("web"), false,
            NoAws.REGION, new Budget(2, 10, Duration.ofMinutes(30))), NoAws.client(EcsClient.builder()), new AwsCallCounter(),
            Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC));

    static Stream<BadEvents.Case> badEvents() throws IOException {
        return BadEvents.cases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badEvents")
    void badEvent_isRefusedWithAClearError_andNoCall(BadEvents.Case bad) {
        bad.assertRefusedBy(handler);
    }

    /** Every detail-type rebalance-tasks' rules deliver (template.yaml) has refused cases, not only the common ones. */
    @Test
    void theCorpus_refusesSomeEventOfEveryTypeRebalanceTasksIsRouted() throws IOException {
        Set<String> covered = BadEvents.detailTypes();
        Set<String> routed = Set.of(EventTypes.ECS_DEPLOYMENT_STATE_CHANGE, EventTypes.ECS_CONTAINER_INSTANCE_STATE_CHANGE,
                EventTypes.SCHEDULED_EVENT);
        assertEquals(Set.of(), routed.stream().filter(type -> !covered.contains(type)).collect(Collectors.toSet()),
                "routed types with no refused case in bad-events/");
    }
}
