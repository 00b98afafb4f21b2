package dev.deckhand.rotate.planner;

/** What started a run of rotate-ami (the result's {@code trigger}). */
public enum Trigger {
    /** The main schedule: new images are taken. */
    SCHEDULE,
    /** The reconcile schedule: a rotation under way moves on, no new image is taken. */
    RECONCILE,
    /** {@code Deckhand AMI Refresh Requested}. */
    REQUESTED,
    /** A tracked SSM parameter changed. */
    PARAMETER_CHANGED,
    /** An Image Builder image became available. */
    IMAGE_AVAILABLE,
    /** A group's or fleet's launch failed for a reason a person must fix: a canary on its image rolls back at once. */
    LAUNCH_FAILED
}
