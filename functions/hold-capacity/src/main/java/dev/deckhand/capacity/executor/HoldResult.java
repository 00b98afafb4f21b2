package dev.deckhand.capacity.executor;

import dev.deckhand.capacity.planner.HoldRequest;
import dev.deckhand.capacity.planner.Outcome;
import dev.deckhand.core.event.DeckhandResult;
import java.util.List;

/** What one invocation of hold-capacity did: one entry per lever it looked at. */
public record HoldResult(String eventId, HoldRequest.Trigger trigger, Outcome decision, String reason, boolean dryRun,
                         List<LeverResult> levers) implements DeckhandResult {

    /**
     * @param before  the lever's setting before; {@code after} what it is (or would be, in a dry run) after
     * @param added   what Deckhand holds on it after this run
     * @param shortage the {@code Deckhand Capacity Shortage} status published for it by this run, or null
     */
    public record LeverResult(String cluster, String lever, String kind, String setting, String action, String reason,
                              int before, int after, int added, String retiring, String shortage) {

        public LeverResult(String cluster, String lever, String kind, String setting, String action, String reason,
                           int before, int after, int added, String retiring) {
            this(cluster, lever, kind, setting, action, reason, before, after, added, retiring, null);
        }

        /** With the {@code Deckhand Capacity Shortage} this run published for the lever (SHORT, RESOLVED), or null. */
        public LeverResult withShortage(String status) {
            return new LeverResult(cluster, lever, kind, setting, action, reason, before, after, added, retiring, status);
        }
    }
}
