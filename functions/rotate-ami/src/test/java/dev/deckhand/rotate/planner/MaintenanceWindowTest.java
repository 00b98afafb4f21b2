package dev.deckhand.rotate.planner;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MaintenanceWindowTest {

    @Test
    void weekdayNightWindow_isOpenForItsLengthOnly() {
        MaintenanceWindow window = MaintenanceWindow.parse("cron(0 2 ? * MON-FRI *)", Duration.ofHours(3));

        assertTrue(window.isOpen(Instant.parse("2026-12-01T03:30:00Z")), "a Tuesday at 03:30");
        assertFalse(window.isOpen(Instant.parse("2026-12-01T05:00:00Z")), "the window has closed");
        assertFalse(window.isOpen(Instant.parse("2026-12-06T03:30:00Z")), "a Sunday");
        assertTrue(window.isOpen(Instant.parse("2026-12-01T02:00:00Z")), "it opens on the minute");
    }

    @Test
    void stepsListsAndNumbers() {
        MaintenanceWindow window = MaintenanceWindow.parse("cron(0/30 1,13 * * ? *)", Duration.ofMinutes(10));

        assertTrue(window.isOpen(Instant.parse("2026-12-01T13:35:00Z")));
        assertFalse(window.isOpen(Instant.parse("2026-12-01T13:45:00Z")));
        assertTrue(MaintenanceWindow.ALWAYS.isOpen(Instant.EPOCH));
    }

    @Test
    void badExpressions_areRefusedWithTheReason() {
        assertThrows(IllegalArgumentException.class, () -> MaintenanceWindow.parse("0 2 * * *", Duration.ofHours(1)));
        assertThrows(IllegalArgumentException.class, () -> MaintenanceWindow.parse("cron(0 2 * * ?)", Duration.ofHours(1)));
        assertThrows(IllegalArgumentException.class, () -> MaintenanceWindow.parse("cron(0 25 * * ? *)", Duration.ofHours(1)));
        assertThrows(IllegalArgumentException.class, () -> MaintenanceWindow.parse("cron(0 2 L * ? *)", Duration.ofHours(1)));
        assertThrows(IllegalArgumentException.class, () -> MaintenanceWindow.parse("cron(0 2 * * ? *)", Duration.ZERO));
    }
}
