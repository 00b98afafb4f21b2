package dev.deckhand.drain.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.deckhand.core.event.BadEventException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code detail.startTime} as the AWS Health schema writes it ("DoW, DD MMM YYYY HH:MM:SS TZ"). */
class HealthScheduledChangeTest {

    private static HealthScheduledChange withStart(String startTime) {
        return new HealthScheduledChange("EC2", "AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED", "scheduledChange", startTime, "open",
                "us-east-2", List.of());
    }

    @Test
    void startTime_inTheSchemasFormat() {
        assertEquals(Instant.parse("2026-08-27T13:19:03Z"), withStart("Thu, 27 Aug 2026 13:19:03 GMT").start());
        // AWS's samples: a one-digit day, and a day of the week that does not match the date ("Thu, 27 Jan 2026").
        assertEquals(Instant.parse("2022-06-03T05:01:10Z"), withStart("Fri, 3 Jun 2022 05:01:10 GMT").start());
        assertEquals(Instant.parse("2026-01-27T13:44:13Z"), withStart("Thu, 27 Jan 2026 13:44:13 GMT").start());
        assertEquals(Instant.parse("2026-08-27T13:19:03Z"), withStart("2026-08-27T13:19:03Z").start());
    }

    @Test
    void startTime_thatIsNoTime_isRefusedNamingTheField() {
        for (String bad : List.of("Thu, 32 Aug 2026 13:19:03 GMT", "Thu, 27 Aug 2026 13:19:03 PST", "tomorrow", "")) {
            BadEventException error = assertThrows(BadEventException.class, () -> withStart(bad).start());
            assertEquals(true, error.getMessage().contains("detail.startTime"), error.getMessage());
        }
    }
}
