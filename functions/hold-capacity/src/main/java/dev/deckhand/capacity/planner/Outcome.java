package dev.deckhand.capacity.planner;

/** What one run of hold-capacity came to; its name is the result's {@code decision} (a change in a dry run reads {@code DRY_RUN_...}). */
public enum Outcome {
    /** A lever was raised. */
    RAISED,
    /** A hand-back step lowered a lever. */
    HANDED_BACK,
    /** A hand-back step asked drain-instance to drain an On-Demand instance. */
    RETIRING,
    /** No capacity changed. */
    HOLDING,
    /** The signal is older than the hold window. */
    STALE,
    /** The signal is not a loss to hold On-Demand for. */
    IGNORED,
    /** Nothing the signal names has a lever. */
    NOT_HELD,
    /** The cluster is not one Deckhand manages. */
    NOT_MANAGED,
    /** DECKHAND_DRY_RUN: a lever would have been raised. */
    DRY_RUN_RAISED,
    /** DECKHAND_DRY_RUN: a hand-back step would have lowered a lever. */
    DRY_RUN_HANDED_BACK,
    /** DECKHAND_DRY_RUN: a hand-back step would have asked for an instance's retirement. */
    DRY_RUN_RETIRING;

    /** The outcome as a run reports it: a change (RAISED, HANDED_BACK, RETIRING) in a dry run is its DRY_RUN_ twin. */
    public Outcome reported(boolean dryRun) {
        if (!dryRun) {
            return this;
        }
        return switch (this) {
            case RAISED -> DRY_RUN_RAISED;
            case HANDED_BACK -> DRY_RUN_HANDED_BACK;
            case RETIRING -> DRY_RUN_RETIRING;
            default -> this;
        };
    }
}
