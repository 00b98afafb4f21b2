package dev.deckhand.drain.planner;

import dev.deckhand.drain.planner.DrainDecision.Verdict;

/**
 * What drain-instance did with one instance, as its result's {@code decision} names it: the planner's
 * {@link Verdict} (a dry run's change prefixed {@code DRY_RUN_}), or what a retirement's disruption
 * budget or a Health change days ahead came to.
 */
public enum DrainOutcome {
    DRAIN,
    DRY_RUN_DRAIN,
    ALREADY_DRAINING,
    NOT_MANAGED,
    NOT_DRAINABLE,
    NOTIFY,
    LEFT_TO_ECS,
    /** A rebalance recommendation under the {@code ignore} policy, or a Health change of a type it does not drain for. */
    IGNORED,
    REACTIVATE,
    DRY_RUN_REACTIVATE,
    LEFT_DRAINING,
    NOT_DRAINING,
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

    /** The planner's verdict as the result reports it: DRAIN and REACTIVATE read DRY_RUN_... in a dry run. */
    public static DrainOutcome of(Verdict verdict, boolean dryRun) {
        if (dryRun && verdict == Verdict.DRAIN) {
            return DRY_RUN_DRAIN;
        }
        if (dryRun && verdict == Verdict.REACTIVATE) {
            return DRY_RUN_REACTIVATE;
        }
        return valueOf(verdict.name());
    }
}
