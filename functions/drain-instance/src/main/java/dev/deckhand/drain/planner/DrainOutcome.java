package dev.deckhand.drain.planner;

/**
 * What drain-instance does with one instance, as its result's {@code decision} names it. The planner
 * decides the first ten ({@link DrainDecision}); a dry run reports its changes as {@code DRY_RUN_...}
 * ({@link #reported}); the rest are what a Health change days ahead or a retirement's disruption
 * budget came to.
 */
public enum DrainOutcome {
    /** Set the container instance DRAINING. */
    DRAIN,
    /** Already DRAINING: no call. */
    ALREADY_DRAINING,
    /** Not registered in any managed cluster: nothing of Deckhand's to do. Not an error. */
    NOT_MANAGED,
    /** Registered, but in a status ECS cannot drain from (REGISTERING, DEREGISTERING, ...). */
    NOT_DRAINABLE,
    /** A rebalance recommendation under the {@code notify} policy: say it, change nothing. */
    NOTIFY,
    /**
     * ECS drains this instance itself (its capacity provider has managed instance draining, or is
     * an ECS Managed Instances provider): no drain, no tag, the hook of ECS's own left to ECS.
     */
    LEFT_TO_ECS,
    /** A rebalance recommendation under the {@code ignore} policy, or a Health change of a type it does not drain for: no AWS call. */
    IGNORED,
    /** The instance runs again after a stop Deckhand drained it for: set it ACTIVE. */
    REACTIVATE,
    /** The instance runs again, DRAINING, but not by Deckhand for a stop (an operator, a termination): left alone. */
    LEFT_DRAINING,
    /** The instance runs again and is not DRAINING: nothing to re-activate. */
    NOT_DRAINING,
    DRY_RUN_DRAIN,
    DRY_RUN_REACTIVATE,
    /** A Health change days ahead: the drain's first hop is on the recheck queue. */
    SCHEDULED,
    DRY_RUN_SCHEDULE,
    /** A drain of the instance is scheduled already, no later than this change's. */
    ALREADY_SCHEDULED,
    /** A retirement over the cluster's disruption budget: it waits on the recheck queue. */
    DEFERRED,
    DRY_RUN_DEFERRED,
    /** A retirement that waited its last time: the requester asks again. */
    GIVEN_UP;

    /** True for the decisions that send an operator one notification line. */
    public boolean notifies() {
        return this == DRAIN || this == NOTIFY || this == REACTIVATE;
    }

    /** The decision as the result reports it: DRAIN and REACTIVATE read DRY_RUN_... in a dry run. */
    public DrainOutcome reported(boolean dryRun) {
        if (dryRun && this == DRAIN) {
            return DRY_RUN_DRAIN;
        }
        if (dryRun && this == REACTIVATE) {
            return DRY_RUN_REACTIVATE;
        }
        return this;
    }
}
