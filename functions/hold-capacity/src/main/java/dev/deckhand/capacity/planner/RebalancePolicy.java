package dev.deckhand.capacity.planner;

/**
 * drain-instance's {@code DECKHAND_REBALANCE_POLICY}, as hold-capacity reads it: only under {@code drain}
 * does a rebalance recommendation lose the instance, so only then is On-Demand held for it.
 */
public enum RebalancePolicy { DRAIN, NOTIFY, IGNORE }
