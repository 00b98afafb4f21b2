package dev.deckhand.drain.planner;

/** What an EC2 rebalance recommendation does ({@code DECKHAND_REBALANCE_POLICY}). */
public enum RebalancePolicy {
    /** Drain, as for a Spot warning: the instance is at elevated risk of interruption. */
    DRAIN,
    /** Find the instance and log one notification line (and a metric); change nothing. */
    NOTIFY,
    /** Do nothing, with no AWS call. */
    IGNORE
}
