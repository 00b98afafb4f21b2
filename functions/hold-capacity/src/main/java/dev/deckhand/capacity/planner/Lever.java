package dev.deckhand.capacity.planner;

import java.time.Instant;
import java.util.List;

/**
 * One cluster's On-Demand lever as read, with what Deckhand recorded on it (its tags).
 *
 * @param value        the setting now (desired capacity, On-Demand base, On-Demand target)
 * @param lowest       AWS's own lower bound for the setting (the group's MinSize, or 0)
 * @param highest      the highest the setting may go (MaxSize, or the group's desired capacity for
 *                     a base, or the fleet's total target)
 * @param added        what Deckhand added and has not handed back ({@code deckhand:hold-added})
 * @param cap          the most Deckhand may add ({@code deckhand:hold-max}, else DECKHAND_HOLD_MAX)
 * @param raisedAt     Deckhand's last raise, or null
 * @param loweredAt    Deckhand's last hand-back step, or null
 * @param spotOkSince  since when the scheduled run has seen the Spot side at its desired capacity, or null
 * @param retiring     the On-Demand instance drained for the next hand-back step, or null
 * @param retiringAt   when its retirement was requested, or null
 * @param seen         keys of the Spot losses already counted (most recent last)
 */
public record Lever(String cluster, String id, LeverKind kind, int value, int lowest, int highest, int added, int cap,
                    Instant raisedAt, Instant loweredAt, Instant spotOkSince, String retiring, Instant retiringAt,
                    List<String> seen) {

    public Lever {
        seen = List.copyOf(seen);
    }

    /** The AWS name of the setting Deckhand changes. */
    public String setting() {
        return kind.setting();
    }

    /** The capacity the user configured: what the setting would be without Deckhand. */
    public int floor() {
        return Math.max(lowest, value - added);
    }
}
