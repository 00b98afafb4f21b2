package dev.deckhand.drain.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deckhand.core.config.RebalancePolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RebalanceWatchMessageTest {

    private static final Instant DRAINED = Instant.parse("2026-11-22T10:00:05Z");
    private static final RebalanceWatch WATCH = RebalanceWatch.of("e-1", "i-1234567890abcdef0", DRAINED, Duration.ofHours(1));

    /** Only an instance still InService at the bound is re-activated; one terminating, in standby or gone from its group is left. */
    @Test
    void atTheBound_onlyAnInstanceStillInService_isReactivated() {
        Instant bound = DRAINED.plus(Duration.ofHours(1));
        assertFalse(WATCH.due(bound.minusSeconds(1)));
        assertEquals(RebalanceWatch.Step.WAIT, WATCH.step(bound.minusSeconds(1), null));
        assertEquals(RebalanceWatch.Step.REACTIVATE, WATCH.step(bound, "InService"));
        assertEquals(RebalanceWatch.Step.REPLACED, WATCH.step(bound, "Terminating:Wait"));
        assertEquals(RebalanceWatch.Step.REPLACED, WATCH.step(bound, "Standby"));
        assertEquals(RebalanceWatch.Step.REPLACED, WATCH.step(bound, null));
    }

    @Test
    void hops_landOnTheBound_atMostFifteenMinutesApart() {
        assertEquals(HealthSchedule.MAX_HOP, WATCH.nextCheck(DRAINED));
        assertEquals(Duration.ofMinutes(5), WATCH.nextCheck(DRAINED.plus(Duration.ofMinutes(55))));
        assertEquals(1, WATCH.next().hops());
        assertEquals(WATCH.reactivateAt(), WATCH.next().reactivateAt());
    }

    @Test
    void aMessageItCannotUse_isRefused() {
        assertThrows(BadRecheckMessageException.class, () -> new RebalanceWatch(2, "e-1", "i-1234567890abcdef0", "2026-11-22T11:00:05Z", 0));
        assertThrows(BadRecheckMessageException.class, () -> new RebalanceWatch(1, "e-1", "i-nope", "2026-11-22T11:00:05Z", 0));
        assertThrows(BadRecheckMessageException.class, () -> new RebalanceWatch(1, "e-1", "i-1234567890abcdef0", "tomorrow", 0));
        assertThrows(BadRecheckMessageException.class, () -> new RebalanceWatch(1, "e-1", "i-1234567890abcdef0", null, 0));
        assertThrows(BadRecheckMessageException.class, () -> new RebalanceWatch(1, " ", "i-1234567890abcdef0", "2026-11-22T11:00:05Z", 0));
    }

    /** A later drain signal makes a rebalance drain its own; a rebalance drain is undone only by its bound. */
    @Test
    void aLaterSignal_supersedesTheRebalanceDrain() {
        DrainPlanner planner = new DrainPlanner(RebalancePolicy.DRAIN);
        DrainRequest spot = new DrainRequest("e-2", "i-1234567890abcdef0", Signal.SPOT_INTERRUPTION, DRAINED);
        DrainRequest again = new DrainRequest("e-3", "i-1234567890abcdef0", Signal.REBALANCE_RECOMMENDATION, null, DrainedFor.REBALANCE);
        assertTrue(planner.supersedes(spot, "rebalance"));
        assertFalse(planner.supersedes(again, "rebalance"));
        assertFalse(planner.supersedes(spot, "termination"));
        assertTrue(DrainedFor.undoneBy(Signal.REBALANCE_UNREPLACED, "rebalance"));
        assertFalse(DrainedFor.undoneBy(Signal.REBALANCE_UNREPLACED, "termination"));
        assertFalse(DrainedFor.undoneBy(Signal.INSTANCE_RUNNING, "rebalance"));
        assertFalse(DrainedFor.undoneBy(Signal.MAINTENANCE_OVER, "rebalance"));
        assertFalse(DrainedFor.undoneBy(Signal.MAINTENANCE_MOVED, "rebalance"));
        assertTrue(DrainedFor.undoneBy(Signal.MAINTENANCE_MOVED, "maintenance"));
        for (Signal signal : Signal.values()) {
            assertEquals(Set.of(Signal.INSTANCE_RUNNING, Signal.MAINTENANCE_OVER, Signal.MAINTENANCE_MOVED, Signal.REBALANCE_UNREPLACED)
                            .contains(signal),
                    signal.reactivates(), signal.name());
        }
    }
}
