package dev.deckhand.capacity.planner;

import java.time.Instant;
import java.util.List;

/**
 * What to do with one lever, and the record to leave on it. {@code value} and {@code added} are
 * the new setting and the new count of what Deckhand added; the other fields are the tags to write
 * (null removes the tag).
 */
public record HoldDecision(Action action, String reason, int value, int added, Instant raisedAt, Instant loweredAt,
                           Instant spotOkSince, String retiring, Instant retiringAt, List<String> seen) {

    public enum Action {
        /** Raise the setting to {@code value}. */
        RAISE,
        /** Ask drain-instance to drain {@code retiring}: the first half of a hand-back step. */
        RETIRE,
        /** Remove the drained instance and lower the setting to {@code value}: the second half. */
        LOWER,
        /** Change no capacity; the record may still change (the stable period starts or ends). */
        HOLD
    }

    public boolean changesCapacity() {
        return action == Action.RAISE || action == Action.LOWER;
    }
}
