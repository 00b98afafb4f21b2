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
     * re-activated once EC2 describes the maintenance completed, or moved over a hop later (drained
     * again before its new start), or when a stopped instance runs again.
     */
    MAINTENANCE("maintenance"),
    /**
     * A rebalance recommendation, the instance's group having Capacity Rebalancing: Auto Scaling is to
     * replace and then terminate it; re-activated if it is still in service {@code DECKHAND_REBALANCE_DRAIN_MAX} later.
     */
    REBALANCE("rebalance");

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

    /** True when {@code tagValue} (null when absent) names a drain a running instance comes back from. */
    public static boolean comesBack(String tagValue) {
        return STOP.tag.equals(tagValue) || MAINTENANCE.tag.equals(tagValue);
    }

    /**
     * True when the instance is back from the drain {@code tagValue} names, by {@code back}: a running
     * instance from a stop or a maintenance, a completed or moved maintenance from that maintenance, a
     * rebalance no replacement came for from that rebalance.
     */
    public static boolean undoneBy(Signal back, String tagValue) {
        return switch (back) {
            case MAINTENANCE_OVER, MAINTENANCE_MOVED -> MAINTENANCE.tag.equals(tagValue);
            case REBALANCE_UNREPLACED -> REBALANCE.tag.equals(tagValue);
            default -> comesBack(tagValue);
        };
    }
}
