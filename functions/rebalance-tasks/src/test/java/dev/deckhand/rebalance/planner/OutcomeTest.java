package dev.deckhand.rebalance.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class OutcomeTest {

    @Test
    void noManagedCluster_isNotManaged() {
        assertEquals(Outcome.NOT_MANAGED, Outcome.of(0, 0, 0, false));
    }

    @Test
    void everyClusterGone_isGone_butOneLeftIsARun() {
        assertEquals(Outcome.GONE, Outcome.of(2, 2, 0, false));
        assertEquals(Outcome.BALANCED, Outcome.of(2, 1, 0, false));
    }

    @Test
    void tasksStopped_isRebalanced_orDryRunRebalance() {
        assertEquals(Outcome.REBALANCED, Outcome.of(1, 0, 3, false));
        assertEquals(Outcome.DRY_RUN_REBALANCE, Outcome.of(1, 0, 3, true));
        assertEquals(Outcome.BALANCED, Outcome.of(1, 0, 0, true));
    }

    @Test
    void sweep_namesEveryManagedCluster_otherTriggersTheirOwn() {
        assertTrue(RebalanceRequest.sweep("e1").everyManagedCluster());
        RebalanceRequest deployed = RebalanceRequest.deploymentCompleted("e1", "web", "frontend");
        assertEquals(List.of("web"), deployed.clusters());
        assertEquals("frontend", deployed.service());
        assertEquals(Trigger.DEPLOYMENT_COMPLETED, deployed.trigger());
        assertNull(RebalanceRequest.newCapacity("e1", "web").service());
    }
}
