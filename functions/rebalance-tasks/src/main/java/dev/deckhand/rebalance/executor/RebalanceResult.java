package dev.deckhand.rebalance.executor;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.deckhand.core.event.DeckhandResult;
import dev.deckhand.rebalance.planner.Outcome;
import dev.deckhand.rebalance.planner.Plan;
import dev.deckhand.rebalance.planner.Trigger;
import java.util.List;

/** What rebalance-tasks returns (and replay prints): per cluster, the tasks stopped, the services left alone, the skew. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RebalanceResult(String eventId, Trigger trigger, Outcome decision, String reason, boolean dryRun,
                              List<ClusterResult> clusters) implements DeckhandResult {

    /** The event asks for nothing ({@code why}): no cluster read. */
    static RebalanceResult ignored(String eventId, Trigger trigger, String why, boolean dryRun) {
        return new RebalanceResult(eventId, trigger, Outcome.IGNORED, why, dryRun, List.of());
    }

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
}
