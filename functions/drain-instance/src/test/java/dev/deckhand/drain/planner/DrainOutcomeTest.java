package dev.deckhand.drain.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.deckhand.drain.planner.DrainDecision.Verdict;
import org.junit.jupiter.api.Test;

class DrainOutcomeTest {

    @Test
    void everyVerdict_isReportedUnderItsOwnName() {
        for (Verdict verdict : Verdict.values()) {
            assertEquals(verdict.name(), DrainOutcome.of(verdict, false).name());
        }
    }

    @Test
    void aDryRun_reportsTheChangesItWouldHaveMade_asDryRun() {
        assertEquals(DrainOutcome.DRY_RUN_DRAIN, DrainOutcome.of(Verdict.DRAIN, true));
        assertEquals(DrainOutcome.DRY_RUN_REACTIVATE, DrainOutcome.of(Verdict.REACTIVATE, true));
        assertEquals(DrainOutcome.ALREADY_DRAINING, DrainOutcome.of(Verdict.ALREADY_DRAINING, true));
    }
}
