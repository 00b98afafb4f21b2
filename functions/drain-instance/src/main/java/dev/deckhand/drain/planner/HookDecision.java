package dev.deckhand.drain.planner;

/** What one check of a lifecycle hook did, as its result's {@code decision} names it. */
public enum HookDecision {
    /** The hook was completed (with the result's {@code result}). */
    COMPLETED,
    /** The lifecycle action was no longer waiting (completed by an earlier delivery, or timed out). */
    ALREADY_COMPLETED,
    /** Checked again after {@code nextCheckSeconds}. */
    WAITING,
    /** The first check failed; it is retried through the recheck queue. */
    RETRYING,
    /** The hook's name does not start with Deckhand's prefix: left to whoever owns it. */
    NOT_DECKHANDS_HOOK,
    /** DECKHAND_DRY_RUN: decided and logged; the hook is left to its own timeout. */
    DRY_RUN,
    /** The last retry of a check failed: completed rather than left to its timeout. */
    GAVE_UP
}
