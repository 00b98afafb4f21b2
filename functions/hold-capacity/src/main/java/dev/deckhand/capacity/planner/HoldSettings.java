package dev.deckhand.capacity.planner;

import java.time.Duration;

/**
 * The planner's limits.
 *
 * @param window       a Spot loss signal older than this is stale and not counted
 * @param cooldown     no hand-back step sooner than this after a raise, nor after the previous step
 * @param stablePeriod how long the Spot side must have been at its desired capacity before a step
 * @param drainWait    how long a retiring instance is given to drain before the step completes anyway
 */
public record HoldSettings(Duration window, Duration cooldown, Duration stablePeriod, Duration drainWait) {
}
