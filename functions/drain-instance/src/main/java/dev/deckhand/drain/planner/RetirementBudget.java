package dev.deckhand.drain.planner;

import java.time.Duration;

/**
 * How much of a cluster a retirement request may drain: rotate-ami's disruption budget (the same
 * {@code RotateMaxDraining} and {@code RotateMaxDrainingPercent}), applied by drain-instance to every
 * retirement request, from rotate-ami and from hold-capacity alike. A request drains only while the
 * cluster's DRAINING instances (any cause) are under the budget; otherwise it waits on the recheck
 * queue, {@link #DEFER_FOR} at a time, at most {@link #MAX_DEFERRALS} times.
 *
 * <pre>{@code
 * RetirementBudget budget = new RetirementBudget(2, 25);
 * boolean drainNow = budget.allows(draining, registered);
 * }</pre>
 *
 * @param maxDraining        instances of a cluster draining at once, 1 to 1000
 * @param maxDrainingPercent the same as a share of the cluster's registered instances (rounded down, never below one), 1 to 100
 */
public record RetirementBudget(int maxDraining, int maxDrainingPercent) {

    /** The wait between two looks at a full budget: a drain takes minutes (tasks stop, targets deregister). */
    public static final Duration DEFER_FOR = Duration.ofMinutes(5);
    /**
     * Looks before a request is given up (an hour): its requester asks again (rotate-ami on its next run
     * for an instance marked retiring and still ACTIVE; hold-capacity retires after its drain wait).
     */
    public static final int MAX_DEFERRALS = 12;

    public RetirementBudget {
        if (maxDraining < 1 || maxDraining > 1000 || maxDrainingPercent < 1 || maxDrainingPercent > 100) {
            throw new IllegalArgumentException("a retirement budget is 1 to 1000 instances and 1 to 100 percent, got "
                    + maxDraining + " and " + maxDrainingPercent + "%");
        }
    }

    /** The instances of a cluster of {@code registered} that may be draining at once (as rotate-ami counts it). */
    public int allowedDraining(int registered) {
        return Math.min(maxDraining, Math.max(1, registered * maxDrainingPercent / 100));
    }

    /** Whether one more instance may start draining now. */
    public boolean allows(int draining, int registered) {
        return draining < allowedDraining(registered);
    }
}
