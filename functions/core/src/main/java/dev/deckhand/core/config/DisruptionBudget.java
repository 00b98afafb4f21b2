package dev.deckhand.core.config;

/**
 * How much of a cluster may be draining at once, whatever the cause (a rotation, a retirement, a
 * Spot interruption, a scale-in): at most {@code maxDraining} instances and at most
 * {@code maxDrainingPercent} of the cluster, rounded down but never below one. One budget, from
 * rotate-ami's {@code RotateMaxDraining} and {@code RotateMaxDrainingPercent}: rotate-ami retires
 * within it, and drain-instance holds every retirement request to it.
 *
 * <pre>{@code
 * DisruptionBudget budget = new DisruptionBudget(2, 25);
 * boolean drainNow = budget.allows(draining, registered);
 * }</pre>
 *
 * @param maxDraining        instances of a cluster draining at once, 1 to 1000
 * @param maxDrainingPercent the same as a share of the cluster's registered instances, 1 to 100
 */
public record DisruptionBudget(int maxDraining, int maxDrainingPercent) {

    public DisruptionBudget {
        if (maxDraining < 1 || maxDraining > 1000 || maxDrainingPercent < 1 || maxDrainingPercent > 100) {
            throw new ConfigException("a disruption budget is 1 to 1000 instances and 1 to 100 percent, got "
                    + maxDraining + " and " + maxDrainingPercent + "%");
        }
    }

    /** The instances of a cluster of {@code size} that may be draining at once. */
    public int allowedDraining(int size) {
        return Math.min(maxDraining, Math.max(1, size * maxDrainingPercent / 100));
    }

    /** Whether one more instance of a cluster of {@code size} may start draining while {@code draining} are. */
    public boolean allows(int draining, int size) {
        return draining < allowedDraining(size);
    }
}
