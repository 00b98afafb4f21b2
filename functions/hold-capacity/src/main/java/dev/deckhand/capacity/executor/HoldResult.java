package dev.deckhand.capacity.executor;

import java.util.List;
import java.util.Map;

/** What one invocation of hold-capacity did: one entry per lever it looked at. */
public record HoldResult(String eventId, String trigger, String outcome, String message, boolean dryRun,
                         List<LeverResult> levers, Map<String, Integer> awsCalls) {

    /**
     * @param before  the lever's setting before; {@code after} what it is (or would be, in a dry run) after
     * @param added   what Deckhand holds on it after this run
     */
    public record LeverResult(String cluster, String lever, String kind, String setting, String action, String reason,
                              int before, int after, int added, String retiring) {
    }

    public HoldResult withAwsCalls(Map<String, Integer> calls) {
        return new HoldResult(eventId, trigger, outcome, message, dryRun, levers, calls);
    }
}
