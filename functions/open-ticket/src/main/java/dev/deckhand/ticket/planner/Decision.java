package dev.deckhand.ticket.planner;

/** What one event came to, as the result's {@code decision} names it. */
public enum Decision {
    /** A ticket was sent to the sinks (opened, updated or closed). */
    TICKETED,
    /** DECKHAND_DRY_RUN: the sinks were only searched. */
    DRY_RUN_TICKET,
    /** A deployment started or succeeded: one chat line, no ticket. */
    CHAT_ONLY,
    /** Below the threshold, or a state nobody must act on. */
    IGNORED,
    /** The cluster (or the service's cluster) is not one Deckhand manages. */
    NOT_MANAGED,
    /** Inspector closed the finding for one image, but other images of the repository still carry it. */
    KEPT_OPEN,
    /** The service or cluster was deleted since the event. */
    GONE,
    /** A group launched again, or capacity is back: its tickets closed. */
    CLOSED,
    /** Nothing open to close. */
    NOTHING_OPEN
}
