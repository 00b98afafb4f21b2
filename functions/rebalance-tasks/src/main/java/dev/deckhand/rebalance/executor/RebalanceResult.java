package dev.deckhand.rebalance.executor;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.deckhand.rebalance.planner.Plan;
import java.util.List;
import java.util.Map;

/** What rebalance-tasks returns (and replay prints): per cluster, the tasks stopped, the services left alone, the skew. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RebalanceResult(String eventId, String trigger, String decision, String reason, boolean dryRun,
                              List<ClusterResult> clusters, Map<String, Integer> awsCalls) {

    /** @param gone why nothing was read: the cluster or service named no longer exists; null when it does */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ClusterResult(String cluster, String service, List<Stopped> stopped, List<Plan.Skipped> skipped, Plan.Skew skew,
                                String gone) {

        static ClusterResult gone(String cluster, String service, String why) {
            return new ClusterResult(cluster, service, List.of(), List.of(), new Plan.Skew(0, 0, 0), why);
        }
    }

    public record Stopped(String service, String taskArn, String from, String to, String reason) {
    }

    public RebalanceResult withAwsCalls(Map<String, Integer> calls) {
        return new RebalanceResult(eventId, trigger, decision, reason, dryRun, clusters, calls);
    }
}
