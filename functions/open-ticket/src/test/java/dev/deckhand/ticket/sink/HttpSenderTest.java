package dev.deckhand.ticket.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

class HttpSenderTest {

    @Test
    void retryAfter_readsSecondsAndHttpDates_andFallsBackToBackoff() {
        assertEquals(Duration.ofSeconds(7), HttpSender.retryAfter("7", 1));
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(30));
        long seconds = HttpSender.retryAfter(date, 1).toSeconds();
        assertTrue(seconds >= 27 && seconds <= 30, "" + seconds);
        assertEquals(Duration.ZERO, HttpSender.retryAfter("Thu, 01 Jan 1970 00:00:00 GMT", 1));
        long fallback = HttpSender.retryAfter("soon", 1).toMillis();
        assertTrue(fallback >= 250 && fallback <= 375, "" + fallback);
    }

    @Test
    void backoff_doublesWithJitter_andIsBounded() {
        for (int attempt = 1; attempt <= 10; attempt++) {
            long base = 250L << Math.min(attempt - 1, 6);
            long wait = HttpSender.backoff(attempt).toMillis();
            assertTrue(wait >= base && wait <= base * 3 / 2, attempt + ": " + wait);
        }
    }

    @Test
    void secrets_areRedacted_andNeverPrinted() {
        Secret secret = new Secret("s3cr3t-value-for-redaction");

        assertEquals("****", secret.toString());
        assertEquals("token **** leaked", Secret.redact("token s3cr3t-value-for-redaction leaked"));
    }
}
