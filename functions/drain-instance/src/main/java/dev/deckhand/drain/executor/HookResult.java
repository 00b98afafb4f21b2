package dev.deckhand.drain.executor;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * What one check of a lifecycle hook did: {@code action} is COMPLETED (with {@code result}),
 * ALREADY_COMPLETED (the action was no longer waiting), WAITING (next check in
 * {@code nextCheckSeconds}), NOT_DECKHANDS_HOOK, DRY_RUN, or GAVE_UP (completed after the last retry
 * failed).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HookResult(
        String eventId,
        @JsonProperty("trigger") String kind,
        String instanceId,
        String autoScalingGroupName,
        String lifecycleHookName,
        int check,
        String action,
        String result,
        String reason,
        String cluster,
        Integer tasksOnInstance,
        Boolean heartbeat,
        Long nextCheckSeconds,
        DrainResult drain,
        Map<String, Integer> awsCalls) {

    public HookResult withAwsCalls(Map<String, Integer> calls) {
        return new HookResult(eventId, kind, instanceId, autoScalingGroupName, lifecycleHookName, check, action, result,
                reason, cluster, tasksOnInstance, heartbeat, nextCheckSeconds, drain, calls);
    }
}
