package dev.deckhand.core.config;

/**
 * What an EC2 rebalance recommendation does ({@value #KEY}, the same parameter for drain-instance,
 * which acts on it, and hold-capacity, which holds On-Demand only for an instance drain-instance
 * drains).
 */
public enum RebalancePolicy {
    /** Drain, as for a Spot warning: the instance is at elevated risk of interruption. */
    DRAIN,
    /** Find the instance and log one notification line (and a metric); change nothing. */
    NOTIFY,
    /** Do nothing, with no AWS call. */
    IGNORE;

    public static final String KEY = "DECKHAND_REBALANCE_POLICY";

    /** {@value #KEY}: {@code drain} (the default), {@code notify} or {@code ignore}. */
    public static RebalancePolicy from(Env env) {
        return env.choice(KEY, RebalancePolicy.class, DRAIN);
    }
}
