package dev.deckhand.rebalance.planner;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A service and where its running tasks are.
 *
 * @param deploying       more than one deployment, or the primary one not COMPLETED: left alone
 * @param optedOut        tagged {@code deckhand:rebalance=false}
 * @param lastRebalanced  from its {@code deckhand:rebalanced-at} tag; null when never
 * @param cpu             CPU units one task reserves; {@code memory} MiB; {@code hostPorts} its static host ports
 * @param tasks           running task ARN -> container instance ARN
 * @param placementStrategy the type of the service's first placement strategy (spread, binpack, random)
 */
public record ServiceTasks(String name, int desired, int minimumHealthyPercent, boolean deploying, boolean daemon,
                           boolean optedOut, Instant lastRebalanced, int cpu, int memory, Set<Integer> hostPorts,
                           List<Placed> tasks, String placementStrategy) {

    /** For services with ECS's default placement (spread across zones). */
    public ServiceTasks(String name, int desired, int minimumHealthyPercent, boolean deploying, boolean daemon,
                        boolean optedOut, Instant lastRebalanced, int cpu, int memory, Set<Integer> hostPorts, List<Placed> tasks) {
        this(name, desired, minimumHealthyPercent, deploying, daemon, optedOut, lastRebalanced, cpu, memory, hostPorts, tasks, "spread");
    }

    public record Placed(String taskArn, String nodeArn) {
    }
}
