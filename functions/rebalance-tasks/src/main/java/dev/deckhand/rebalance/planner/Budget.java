package dev.deckhand.rebalance.planner;

import java.time.Duration;

/** How much one run may move: tasks per service, tasks per cluster, and how long a service rests after a move. */
public record Budget(int perService, int perCluster, Duration cooldown) {
}
