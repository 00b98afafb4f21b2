package dev.deckhand.capacity.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class OutcomeTest {

    @Test
    void aChangeInADryRun_isReportedAsDryRun_andNothingElseIs() {
        assertEquals(Outcome.DRY_RUN_RAISED, Outcome.RAISED.reported(true));
        assertEquals(Outcome.DRY_RUN_HANDED_BACK, Outcome.HANDED_BACK.reported(true));
        assertEquals(Outcome.DRY_RUN_RETIRING, Outcome.RETIRING.reported(true));
        assertEquals(Outcome.HOLDING, Outcome.HOLDING.reported(true));
        assertEquals(Outcome.RAISED, Outcome.RAISED.reported(false));
    }
}
