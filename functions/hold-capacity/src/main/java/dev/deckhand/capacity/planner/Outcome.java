package dev.deckhand.capacity.planner;

/** What one run of hold-capacity came to; its name is the result's {@code outcome} (prefixed {@code DRY_RUN_} for a change in a dry run). */
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
    NOT_MANAGED
}
