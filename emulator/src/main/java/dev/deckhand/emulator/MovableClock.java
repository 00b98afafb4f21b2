package dev.deckhand.emulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock a test moves forward, as a delay queue's delays or a schedule's runs pass. It lives here
 * because every function's tests use the emulator module, and no function may depend on another.
 *
 * <pre>{@code
 * MovableClock clock = new MovableClock(Instant.parse("2026-11-22T10:00:00Z"));
 * clock.advance(Duration.ofSeconds(30));
 * }</pre>
 */
public final class MovableClock extends Clock {

    private volatile Instant now;

    public MovableClock(Instant start) {
        this.now = start;
    }

    public void advance(Duration by) {
        now = now.plus(by);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }
}
