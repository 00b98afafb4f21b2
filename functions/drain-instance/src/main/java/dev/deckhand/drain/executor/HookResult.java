package dev.deckhand.drain.executor;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.deckhand.core.event.DeckhandResult;
import dev.deckhand.drain.planner.HookDecision;
import dev.deckhand.drain.planner.HookKind;
import dev.deckhand.drain.planner.HookWaitState;

/**
 * What one check of a lifecycle hook did: {@code decision} is COMPLETED (with {@code result}),
 * ALREADY_COMPLETED (the action was no longer waiting), WAITING (next check in
 * {@code nextCheckSeconds}), RETRYING, NOT_DECKHANDS_HOOK, DRY_RUN, or GAVE_UP (completed after the
 * last retry failed); {@code drain} is the instance's drain when this check started it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HookResult(
        String eventId,
        HookKind trigger,
        HookDecision decision,
        String reason,
        boolean dryRun,
        String instanceId,
        String autoScalingGroupName,
        String lifecycleHookName,
        int check,
        String result,
        String cluster,
        Integer tasksOnInstance,
        Boolean heartbeat,
        Long nextCheckSeconds,
        DrainResult drain) implements DeckhandResult {

    /** A hook whose name is not Deckhand's: left alone, before any check. */
    static HookResult notDeckhands(HookKind kind, String eventId, String instanceId, String group, String hook, String reason,
                                   boolean dryRun) {
        return new HookResult(eventId, kind, HookDecision.NOT_DECKHANDS_HOOK, reason, dryRun, instanceId, group, hook, 0, null,
                null, null, null, null, null);
    }

    /** The first check failed: it runs again from the recheck queue in {@code retryInSeconds}. */
    static HookResult retrying(HookKind kind, String eventId, String instanceId, String group, String hook, String reason,
                               long retryInSeconds, boolean dryRun) {
        return new HookResult(eventId, kind, HookDecision.RETRYING, reason, dryRun, instanceId, group, hook, 0, null, null, null,
                null, retryInSeconds, null);
    }

    /** The hook was completed with {@code result} (COMPLETED), or given up on and completed (GAVE_UP). */
    static HookResult completed(HookWaitState check, HookDecision how, String result, String reason, String cluster, Integer tasks,
                                DrainResult drain, boolean dryRun) {
        return of(check, how, reason, dryRun, result, cluster, tasks, null, null, drain);
    }

    /** The lifecycle action was no longer waiting when this check came to complete it or beat its heartbeat. */
    static HookResult alreadyCompleted(HookWaitState check, String reason, String cluster, Integer tasks, DrainResult drain,
                                       boolean dryRun) {
        return of(check, HookDecision.ALREADY_COMPLETED, reason, dryRun, null, cluster, tasks, null, null, drain);
    }

    /** The next check is in {@code nextCheckSeconds}, after a heartbeat when {@code heartbeat}. */
    static HookResult waiting(HookWaitState check, String reason, String cluster, int tasks, boolean heartbeat, long nextCheckSeconds,
                              DrainResult drain, boolean dryRun) {
        return of(check, HookDecision.WAITING, reason, dryRun, null, cluster, tasks, heartbeat, nextCheckSeconds, drain);
    }

    /** DECKHAND_DRY_RUN: what the check decided ({@code wouldComplete}: the result it would complete with, else null), nothing done. */
    static HookResult dryRun(HookWaitState check, String wouldComplete, String reason, String cluster, Integer tasks, DrainResult drain) {
        return of(check, HookDecision.DRY_RUN, reason, true, wouldComplete, cluster, tasks, null, null, drain);
    }

    private static HookResult of(HookWaitState check, HookDecision decision, String reason, boolean dryRun, String result,
                                 String cluster, Integer tasks, Boolean heartbeat, Long nextCheckSeconds, DrainResult drain) {
        return new HookResult(check.eventId(), check.kind(), decision, reason, dryRun, check.instanceId(),
                check.autoScalingGroupName(), check.lifecycleHookName(), check.checks(), result, cluster, tasks, heartbeat,
                nextCheckSeconds, drain);
    }
}
