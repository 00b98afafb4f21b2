package dev.deckhand.core.aws;

/**
 * The tags one part of Deckhand reads and another writes (or the operator sets), each named once.
 * A function's own bookkeeping tags stay with it (hold-capacity's {@code HoldTags}, drain-instance's
 * {@code deckhand:drained-*}).
 */
public final class DeckhandTags {

    /**
     * The operator's tag on a managed cluster's groups, fleets and instances, its value the cluster's
     * name; Deckhand's IAM scopes its writes by it (README, "What you grant").
     */
    public static final String CLUSTER = "deckhand:cluster";
    /** hold-capacity's On-Demand lever (an Auto Scaling group, a Spot Fleet or an EC2 Fleet): the cluster whose capacity it holds. */
    public static final String HOLD_LEVER = "deckhand:hold-capacity";
    /** A separate Spot source of hold-capacity's (a group, a Spot Fleet or an EC2 Fleet): the cluster it serves. */
    public static final String HOLD_SPOT = "deckhand:hold-spot";
    /** On a launch template rotate-ami moved: the default version before, which a rollback restores. */
    public static final String PREVIOUS_VERSION = "deckhand:previous-version";
    /** On a launch template rotate-ami moved: the version it made the default. */
    public static final String ROTATED_VERSION = "deckhand:rotated-version";
    /** On a launch template under a canary: this prefix and the cluster's name, the canary's instance and image. */
    public static final String CANARY_PREFIX = "deckhand:canary:";

    private DeckhandTags() {
    }
}
