package dev.deckhand.rebalance.handler;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.deckhand.core.aws.AwsCallCounter;
import dev.deckhand.core.config.ManagedClusters;
import dev.deckhand.core.event.EventTypes;
import dev.deckhand.rebalance.RebalanceConfig;
import dev.deckhand.rebalance.planner.Budget;
import dev.deckhand.testkit.BadEventCorpusTest;
import dev.deckhand.testkit.NoAws;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * rebalance-tasks' bad events, its own (src/test/resources/bad-events) and the test kit's envelope cases:
 * each refused with a clear error, before any AWS call.
 */
class BadEventsTest extends BadEventCorpusTest {

    @Override
    protected RequestStreamHandler handler() {
        return new RebalanceTasksHandler(new RebalanceConfig(ManagedClusters.of("web"), false,
                NoAws.REGION, new Budget(2, 10, Duration.ofMinutes(30))), NoAws.client(EcsClient.builder()), new AwsCallCounter(),
                Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC));
    }

    @Override
    protected Set<String> routedDetailTypes() {
        return Set.of(EventTypes.ECS_DEPLOYMENT_STATE_CHANGE, EventTypes.ECS_CONTAINER_INSTANCE_STATE_CHANGE,
                EventTypes.SCHEDULED_EVENT);
    }

    @Override
    protected Route envelopeRoute() {
        return new Route(EventTypes.SOURCE_ECS, EventTypes.ECS_DEPLOYMENT_STATE_CHANGE);
    }
}
