package dev.deckhand.capacity.executor;

import dev.deckhand.core.aws.DeckhandTags;

/**
 * The tags hold-capacity reads and writes. The user tags the lever and the Spot sources; Deckhand
 * records what it did on the lever, under {@code deckhand:hold-}, and IAM lets it write only those
 * keys, only on resources tagged {@link #LEVER}.
 */
public final class HoldTags {

    /** On the On-Demand lever: the cluster whose capacity it holds (open-ticket reads it too). */
    public static final String LEVER = DeckhandTags.HOLD_LEVER;
    /** On a separate Spot source (an Auto Scaling group, a Spot Fleet or an EC2 Fleet): the cluster it serves. */
    public static final String SPOT = DeckhandTags.HOLD_SPOT;
    /** Optional, on the lever: the most Deckhand may add there (else DECKHAND_HOLD_MAX). */
    public static final String MAX = "deckhand:hold-max";

    /** What Deckhand added and has not handed back. */
    public static final String ADDED = "deckhand:hold-added";
    public static final String RAISED_AT = "deckhand:hold-raised-at";
    public static final String LOWERED_AT = "deckhand:hold-lowered-at";
    public static final String SPOT_OK_SINCE = "deckhand:hold-spot-ok-since";
    /** The On-Demand instance drained for the next hand-back step, and when. */
    public static final String RETIRING = "deckhand:hold-retiring";
    public static final String RETIRING_AT = "deckhand:hold-retiring-at";
    /** Keys of the Spot losses counted (8 hex digits each, space-separated). */
    public static final String SEEN = "deckhand:hold-seen";
    /** When Deckhand published a SHORT {@code Deckhand Capacity Shortage} for the lever; removed with the RESOLVED one. */
    public static final String SHORT_SINCE = "deckhand:hold-short";
    /**
     * A change recorded and not yet confirmed done: {@code VALUE[ INSTANCE decrement|keep[ DESIRED]]}
     * (DESIRED: a mixed group's desired capacity after a hand-back step).
     */
    public static final String PENDING = "deckhand:hold-pending";

    private HoldTags() {
    }
}
