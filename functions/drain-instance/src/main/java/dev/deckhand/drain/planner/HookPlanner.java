package dev.deckhand.drain.planner;

import java.time.Duration;
import java.time.Instant;

/**
 * Decides each check of a lifecycle-hook wait. Pure: what was seen and the time come in, a
 * {@link HookStep} goes out.
 *
 * <pre>{@code
 * HookStep step = new HookPlanner(Duration.ofSeconds(30)).next(check, "DRAINING", 3, true, now);
 * }</pre>
 *
 * A terminating instance is released (CONTINUE) when it is in no managed cluster, has no task
 * left, or the drain deadline passed. A launching instance is released (CONTINUE) once it is
 * ACTIVE with its agent connected, and ABANDONed at the deadline. Otherwise check again after the
 * recheck interval, never later than half the hook's timeout, and send a heartbeat when the hook
 * would have less than half its timeout left at the next check.
 */
public final class HookPlanner {

    /** SQS DelaySeconds is at most 15 minutes. */
    public static final Duration MAX_DELAY = Duration.ofMinutes(15);

    private final Duration interval;

    public HookPlanner(Duration interval) {
        this.interval = interval;
    }

    /**
     * @param status         the container instance's status, null when no managed cluster has it
     * @param tasks          its running plus pending tasks
     * @param agentConnected whether its ECS agent is connected
     */
    public HookStep next(HookCheck check, String status, int tasks, boolean agentConnected, Instant now) {
        boolean pastDeadline = !now.isBefore(check.deadline());
        if (check.kind() == HookKind.TERMINATE) {
            if (status == null || "INACTIVE".equals(status)) {
                return HookStep.complete("CONTINUE", "the instance is in no managed cluster: nothing to wait for");
            }
            if (tasks == 0) {
                return HookStep.complete("CONTINUE", "no task is left on the instance");
            }
            if (pastDeadline) {
                return HookStep.complete("CONTINUE", "the drain deadline passed with " + tasks
                        + " task(s) still on the instance (DECKHAND_DRAIN_DEADLINE); the instance goes anyway");
            }
            return wait(check, now, tasks + " task(s) still on the instance");
        }
        if ("ACTIVE".equals(status) && agentConnected) {
            return HookStep.complete("CONTINUE", "the instance is ACTIVE in its cluster with its agent connected");
        }
        if (pastDeadline) {
            return HookStep.complete("ABANDON", "the instance did not become ACTIVE with its agent connected before "
                    + "the launch deadline (DECKHAND_LAUNCH_DEADLINE)");
        }
        return wait(check, now, status == null ? "the instance has not registered in a managed cluster yet"
                : "the instance is " + status + (agentConnected ? "" : " with its agent disconnected"));
    }

    private HookStep wait(HookCheck check, Instant now, String why) {
        Duration timeout = Duration.ofSeconds(check.hookTimeoutSeconds());
        Duration delay = interval;
        Duration toDeadline = Duration.between(now, check.deadline());
        if (toDeadline.compareTo(delay) < 0) {
            delay = toDeadline;
        }
        if (timeout.dividedBy(2).compareTo(delay) < 0) {
            delay = timeout.dividedBy(2);
        }
        if (delay.compareTo(MAX_DELAY) > 0) {
            delay = MAX_DELAY;
        }
        if (delay.compareTo(Duration.ofSeconds(1)) < 0) {
            delay = Duration.ofSeconds(1);
        }
        Instant expires = check.lastHeartbeat().plus(timeout);
        boolean heartbeat = Duration.between(now.plus(delay), expires).compareTo(timeout.dividedBy(2)) < 0;
        return HookStep.waitFor(delay, heartbeat, why);
    }
}
