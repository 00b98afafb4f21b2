package dev.deckhand.rebalance.planner;

/** What one rebalance run came to; its name is the result's {@code decision}. */
public enum Outcome {
    /** The event asks for nothing (a container instance that is not new capacity). */
    IGNORED,
    /** No cluster the event names is managed (DECKHAND_CLUSTERS). */
    NOT_MANAGED,
    /** Every cluster or service named was deleted since the event. */
    GONE,
    /** Nothing to stop. */
    BALANCED,
    /** Tasks would be stopped, but this is a dry run. */
    DRY_RUN_REBALANCE,
    /** Tasks were stopped. */
    REBALANCED;

    /**
     * The outcome of a run over {@code clusters} managed clusters, {@code gone} of them deleted since
     * the event, with {@code stopped} tasks stopped (or, in a dry run, to stop).
     */
    public static Outcome of(int clusters, int gone, int stopped, boolean dryRun) {
        if (clusters == 0) {
            return NOT_MANAGED;
        }
        if (gone == clusters) {
            return GONE;
        }
        return stopped == 0 ? BALANCED : dryRun ? DRY_RUN_REBALANCE : REBALANCED;
    }
}
