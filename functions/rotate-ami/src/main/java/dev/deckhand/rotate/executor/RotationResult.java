package dev.deckhand.rotate.executor;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.deckhand.core.event.DeckhandResult;
import dev.deckhand.rotate.planner.Plan;
import dev.deckhand.rotate.planner.RotationDecision;
import dev.deckhand.rotate.planner.TemplateOutcome;
import dev.deckhand.rotate.planner.Trigger;
import java.util.List;

/** What one run of rotate-ami did (and replay prints): per template, per consumer moved, per cluster. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RotationResult(String eventId, Trigger trigger, RotationDecision decision, String reason, boolean dryRun, boolean windowOpen,
                             List<TemplateOutcome> templates, List<String> consumersMoved,
                             List<ClusterResult> clusters) implements DeckhandResult {

    /** A run that looked at no template or cluster: nothing rotated, and why. */
    static RotationResult nothing(String eventId, Trigger trigger, RotationDecision decision, String reason, boolean dryRun,
                                  boolean windowOpen) {
        return new RotationResult(eventId, trigger, decision, reason, dryRun, windowOpen, List.of(), List.of(), List.of());
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ClusterResult(String cluster, int draining, int allowedDraining, List<String> retired, List<String> terminated,
                                List<String> requestedAgain, String canary, String rolledBack, String waiting, List<Plan.Skipped> skipped) {
    }
}
