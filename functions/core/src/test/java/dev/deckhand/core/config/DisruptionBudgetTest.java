package dev.deckhand.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DisruptionBudgetTest {

    @Test
    void allowedDraining_isTheSmallerOfCountAndShare_roundedDown_neverBelowOne() {
        DisruptionBudget budget = new DisruptionBudget(2, 25);

        assertEquals(1, budget.allowedDraining(1), "25% of 1 rounds down to 0: one instance may still drain");
        assertEquals(1, budget.allowedDraining(7));
        assertEquals(2, budget.allowedDraining(8));
        assertEquals(2, budget.allowedDraining(400), "the count caps the share");
    }

    @Test
    void allows_oneMoreOnlyUnderTheBudget() {
        DisruptionBudget budget = new DisruptionBudget(2, 100);

        assertTrue(budget.allows(1, 4));
        assertFalse(budget.allows(2, 4));
    }

    @Test
    void outOfRange_isRefused() {
        assertThrows(ConfigException.class, () -> new DisruptionBudget(0, 25));
        assertThrows(ConfigException.class, () -> new DisruptionBudget(2, 101));
    }
}
