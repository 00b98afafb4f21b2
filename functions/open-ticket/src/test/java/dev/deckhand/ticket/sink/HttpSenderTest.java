package dev.deckhand.ticket.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    private static HttpHeaders headers(String... pairs) {
        Map<String, List<String>> map = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], List.of(pairs[i + 1]));
        }
        return HttpHeaders.of(map, (a, b) -> true);
    }

    /** GitHub, "Rate limits for the REST API", "Exceeding the rate limit". */
    @Test
    void rateLimitWait_readsGitHubsHeaders_andTellsALimitFromARefusal() {
        HttpSender http = new HttpSender(4, Duration.ofSeconds(20), d -> { });
        long reset = Instant.now().getEpochSecond() + 30;

        assertEquals(Duration.ofSeconds(5), http.rateLimitWait(429, headers("retry-after", "5"), "", 1));
        assertEquals(Duration.ofSeconds(5), http.rateLimitWait(403, headers("retry-after", "5"), "", 1));
        long untilReset = http.rateLimitWait(403, headers("x-ratelimit-remaining", "0", "x-ratelimit-reset", Long.toString(reset)), "", 1).toSeconds();
        assertTrue(untilReset >= 29 && untilReset <= 31, "" + untilReset);
        assertEquals(Duration.ofMinutes(1), http.rateLimitWait(403, headers(), "{\"message\":\"You have exceeded a secondary rate limit\"}", 1),
                "a secondary limit without headers: at least a minute");
        assertEquals(Duration.ofMinutes(1), http.rateLimitWait(429, headers(), "", 1));
        assertEquals(null, http.rateLimitWait(403, headers("x-ratelimit-remaining", "12"), "{\"message\":\"Resource not accessible by integration\"}", 1),
                "a 403 that is no limit is a refusal");
        assertEquals(null, http.rateLimitWait(503, headers("retry-after", "5"), "", 1), "a 503 is not a rate limit (its Retry-After is read apart)");
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
