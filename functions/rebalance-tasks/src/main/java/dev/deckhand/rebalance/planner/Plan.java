package dev.deckhand.rebalance.planner;

import java.util.List;

/** What to stop, what was left alone and why, and how skewed the cluster is. */
public record Plan(List<TaskStop> stops, List<Skipped> skipped, Skew skew) {

    /** Stop {@code taskArn} (on {@code fromNode}); {@code toNode} has room for its replacement. */
    public record TaskStop(String service, String taskArn, String fromNode, String toNode, String reason) {
    }

    public record Skipped(String service, String reason) {
    }

    /** Reserved CPU per eligible instance: the busiest against the median. */
    public record Skew(int instances, int maxReservedCpu, int medianReservedCpu) {
    }
}
