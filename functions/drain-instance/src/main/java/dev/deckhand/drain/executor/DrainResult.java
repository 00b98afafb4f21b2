package dev.deckhand.drain.executor;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.deckhand.drain.planner.TaskAtRisk;
import java.util.List;
import java.util.Map;

/**
 * What drain-instance returns (and what {@code deckhand replay} prints): the decision, why, what
 * it changed, what the drain will not save, and the AWS calls it took.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DrainResult(
        String eventId,
        @JsonProperty("trigger") String signal,
        String instanceId,
        String decision,
        String reason,
        boolean dryRun,
        boolean changed,
        String cluster,
        String containerInstanceArn,
        String previousStatus,
        String deadline,
        Long secondsLeft,
        List<TaskAtRisk> notSaved,
        Integer tasksOnInstance,
        String preDrainCommandId,
        Map<String, Integer> awsCalls) {

    public DrainResult withAwsCalls(Map<String, Integer> calls) {
        return new DrainResult(eventId, signal, instanceId, decision, reason, dryRun, changed, cluster,
                containerInstanceArn, previousStatus, deadline, secondsLeft, notSaved, tasksOnInstance,
                preDrainCommandId, calls);
    }
}
