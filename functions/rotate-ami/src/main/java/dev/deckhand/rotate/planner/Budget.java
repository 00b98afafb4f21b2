package dev.deckhand.rotate.planner;

import dev.deckhand.core.config.DisruptionBudget;
import java.time.Duration;

/**
 * What one rotation may disrupt: the cluster's {@link DisruptionBudget} (instances draining at once,
 * from any cause), and how long a canary may take.
 *
 * @param maxAge an instance older than this is retired even on the current image (daily rotation); null: never
 */
public record Budget(DisruptionBudget draining, Duration canaryDeadline, Duration maxAge) {

    public Budget(int maxDraining, int maxDrainingPercent, Duration canaryDeadline, Duration maxAge) {
        this(new DisruptionBudget(maxDraining, maxDrainingPercent), canaryDeadline, maxAge);
    }

    /** The instances of a cluster of {@code size} that may be draining at once. */
    public int allowedDraining(int size) {
        return draining.allowedDraining(size);
    }
}
