package dev.deckhand.rotate.planner;

import java.time.Duration;

/**
 * How much of a cluster may be draining at once: at most {@code maxDraining} instances and at most
 * {@code maxDrainingPercent} of the cluster (rounded down, but never below one), counting drains from
 * any cause (a Spot interruption, a scale-in); and how long a canary may take.
 *
 * @param maxAge an instance older than this is retired even on the current image (daily rotation); null: never
 */
public record Budget(int maxDraining, int maxDrainingPercent, Duration canaryDeadline, Duration maxAge) {

    /** The instances of a cluster of {@code size} that may be draining at once. */
    public int allowedDraining(int size) {
        int byPercent = Math.max(1, size * maxDrainingPercent / 100);
        return Math.min(maxDraining, byPercent);
    }
}
