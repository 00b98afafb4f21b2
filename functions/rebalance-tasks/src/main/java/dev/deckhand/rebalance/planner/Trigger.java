package dev.deckhand.rebalance.planner;

/** What asked for a rebalance; its name is the result's {@code trigger}. */
public enum Trigger {
    /** A service's deployment completed: that service, in its cluster. */
    DEPLOYMENT_COMPLETED,
    /** New capacity joined a cluster: the whole cluster. */
    NEW_CAPACITY,
    /** The sweep schedule: every managed cluster. */
    SWEEP
}
