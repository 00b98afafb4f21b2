package dev.deckhand.drain.planner;

/**
 * What a drain expects of the instance, written in the {@code deckhand:drained-for} tag: whether it
 * comes back with the same container instance, which Deckhand then sets ACTIVE again.
 */
public enum DrainedFor {
    /** Terminated, or may be (every signal but the ones below): the drain stays. */
    TERMINATION("termination"),
    /** Stopped (or hibernated, or into a stopped warm pool): re-activated when the instance runs again. */
    STOP("stop"),
    /**
     * AWS Health reboot or network maintenance: the instance runs on after it with no state change;
     * re-activated once EC2 describes the maintenance completed, or when a stopped instance runs again.
     */
    MAINTENANCE("maintenance");

    /** The tag's value once Deckhand set the instance ACTIVE again, so a later drain by an operator is never taken for Deckhand's. */
    public static final String REACTIVATED = "reactivated";

    private final String tag;

    DrainedFor(String tag) {
        this.tag = tag;
    }

    /** The value of the {@code deckhand:drained-for} tag. */
    public String tag() {
        return tag;
    }

    /** True when {@code tagValue} (null when absent) names a drain the instance comes back from. */
    public static boolean comesBack(String tagValue) {
        return STOP.tag.equals(tagValue) || MAINTENANCE.tag.equals(tagValue);
    }
}
