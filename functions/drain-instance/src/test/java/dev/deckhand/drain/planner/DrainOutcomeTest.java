package dev.deckhand.drain.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DrainOutcomeTest {

    @Test
    void outsideADryRun_everyDecision_isReportedAsDecided() {
        for (DrainOutcome decided : DrainOutcome.values()) {
            assertEquals(decided, decided.reported(false));
        }
    }

    @Test
    void aDryRun_reportsTheChangesItWouldHaveMade_asDryRun_andTheRestAsDecided() {
        for (DrainOutcome decided : DrainOutcome.values()) {
            DrainOutcome expected = decided == DrainOutcome.DRAIN ? DrainOutcome.DRY_RUN_DRAIN
                    : decided == DrainOutcome.REACTIVATE ? DrainOutcome.DRY_RUN_REACTIVATE : decided;
            assertEquals(expected, decided.reported(true), decided.name());
        }
    }
}
