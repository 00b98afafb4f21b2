package dev.deckhand.rotate.executor;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.deckhand.rotate.planner.Plan;
import dev.deckhand.rotate.planner.RotationDecision;
import dev.deckhand.rotate.planner.TemplateOutcome;
import dev.deckhand.rotate.planner.Trigger;
import java.util.List;
import java.util.Map;

/** What one run of rotate-ami did (and replay prints): per template, per consumer moved, per cluster. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RotationResult(String eventId, Trigger trigger, RotationDecision decision, String reason, boolean dryRun, boolean windowOpen,
                             List<TemplateOutcome> templates, List<String> consumersMoved,
                             List<ClusterResult> clusters, Map<String, Integer> awsCalls) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ClusterResult(String cluster, int draining, int allowedDraining, List<String> retired, List<String> terminated,
                                List<String> requestedAgain, String canary, String rolledBack, String waiting, List<Plan.Skipped> skipped) {
    }

    public RotationResult withAwsCalls(Map<String, Integer> calls) {
        return new RotationResult(eventId, trigger, decision, reason, dryRun, windowOpen, templates, consumersMoved, clusters, calls);
    }
}
