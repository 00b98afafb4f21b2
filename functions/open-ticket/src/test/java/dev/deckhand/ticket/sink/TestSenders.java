package dev.deckhand.ticket.sink;

import java.time.Duration;

/**
 * {@link HttpSender}s for tests in other packages: its constructor with a short request timeout
 * (for a sink that answers late or never) is package-private, not part of open-ticket's API.
 *
 * <pre>{@code
 * HttpSender http = TestSenders.withRequestTimeout(4, Duration.ofSeconds(20), slept::add, Duration.ofMillis(500));
 * }</pre>
 */
public final class TestSenders {

    private TestSenders() {
    }

    public static HttpSender withRequestTimeout(int maxAttempts, Duration maxRetryAfter, HttpSender.Sleeper sleeper, Duration requestTimeout) {
        return new HttpSender(maxAttempts, maxRetryAfter, sleeper, requestTimeout);
    }
}
