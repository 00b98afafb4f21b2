package dev.deckhand.drain.planner;

import dev.deckhand.core.event.IsoInstant;
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
 *
 * The deadline ({@link #deadline}) is the configured one, unless the hook's GlobalTimeout comes
 * first: heartbeats cannot hold an instance longer, so the wait then ends
 * {@link #GLOBAL_TIMEOUT_MARGIN} before it, with Deckhand's result rather than the hook's
 * DefaultResult, and the reason names it. A launch into a warm pool completes at once
 * ({@link #atStart}); a failed check is retried within the hook's time left ({@link #retryDelay}).
 */
public final class HookPlanner {

    /** SQS DelaySeconds is at most 15 minutes. */
    public static final Duration MAX_DELAY = Duration.ofMinutes(15);
    /**
     * How long before the hook's GlobalTimeout a wait capped by it ends: Auto Scaling counts from
     * when the instance began to wait, a little before the event's time, and a check may run a few
     * seconds late.
     */
    public static final Duration GLOBAL_TIMEOUT_MARGIN = Duration.ofSeconds(60);
    /** The longest wait before a failed check runs again. */
    public static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(10);
    /** Auto Scaling's warm pool, as a lifecycle event's {@code Origin} or {@code Destination}. */
    public static final String WARM_POOL = "WarmPool";

    /**
     * When a wait ends.
     *
     * @param at  the deadline
     * @param by  what set it: the configuration key, or {@code GlobalTimeout}
     * @param why one sentence for the log line at the start of the wait
     */
    public record Deadline(Instant at, String by, String why) {
    }

    private final Duration interval;

    public HookPlanner(Duration interval) {
        this.interval = interval;
    }

    /**
     * The deadline of a wait that starts at {@code start}: {@code configured} after it, or
     * {@link #GLOBAL_TIMEOUT_MARGIN} before the hook's GlobalTimeout when that is sooner.
     */
    public static Deadline deadline(HookKind kind, Instant start, Duration configured, long globalTimeoutSeconds) {
        String key = kind == HookKind.TERMINATE ? "DECKHAND_DRAIN_DEADLINE" : "DECKHAND_LAUNCH_DEADLINE";
        Instant own = start.plus(configured);
        Instant global = start.plusSeconds(globalTimeoutSeconds).minus(GLOBAL_TIMEOUT_MARGIN);
        if (global.isBefore(own)) {
            return new Deadline(global, "GlobalTimeout", "the hook's GlobalTimeout (" + globalTimeoutSeconds
                    + " s: heartbeats cannot hold the instance longer) comes before " + key + " (" + seconds(configured)
                    + " s), so the wait ends " + seconds(GLOBAL_TIMEOUT_MARGIN) + " s before it");
        }
        return new Deadline(own, key, key + " (" + seconds(configured) + " s), within the hook's GlobalTimeout ("
                + globalTimeoutSeconds + " s)");
    }

    /**
     * What the event alone decides, before any check: a launch into the warm pool
     * ({@code Destination} WarmPool) completes at once, since the instance is stopped (or kept
     * out of the cluster) in the pool and its ECS agent does not register there. Null when the
     * instance must be checked: a terminate action drains even when the instance goes back
     * into the pool, and a launch out of the pool waits for its agent like any other.
     */
    public static HookStep atStart(HookKind kind, String origin, String destination) {
        if (kind == HookKind.LAUNCH && WARM_POOL.equals(destination)) {
            return HookStep.complete("CONTINUE", "the instance is launching into the warm pool (Origin " + origin
                    + ", Destination WarmPool): its ECS agent does not register there, so there is nothing to wait for");
        }
        return null;
    }

    /**
     * How soon a failed check runs again: {@link #MAX_RETRY_DELAY} at most, and short enough that
     * every retry left fits in the time before the hook would time out (its last heartbeat plus
     * HeartbeatTimeout, or its GlobalTimeout), so the last one can still complete it.
     *
     * @param retriesLeft how many more times the check may fail before the hook is completed anyway
     */
    public static Duration retryDelay(HookWaitState check, int retriesLeft, Instant now) {
        Instant expires = check.lastHeartbeat().plusSeconds(check.hookTimeoutSeconds());
        if (check.globalTimeoutAt().isBefore(expires)) {
            expires = check.globalTimeoutAt();
        }
        Duration left = Duration.between(now, expires);
        Duration delay = left.dividedBy(Math.max(1, retriesLeft) + 1L);
        if (delay.compareTo(MAX_RETRY_DELAY) > 0) {
            delay = MAX_RETRY_DELAY;
        }
        if (delay.compareTo(Duration.ofSeconds(1)) < 0) {
            delay = Duration.ofSeconds(1);
        }
        return delay;
    }

    private static long seconds(Duration duration) {
        return duration.toSeconds();
    }

    /**
     * @param status         the container instance's status, null when no managed cluster has it
     * @param tasks          the tasks still on it: running, pending, and (terminate) stopping and not yet STOPPED
     * @param agentConnected whether its ECS agent is connected
     */
    public HookStep next(HookWaitState check, String status, int tasks, boolean agentConnected, Instant now) {
        boolean pastDeadline = !now.isBefore(check.deadline());
        if (check.kind() == HookKind.TERMINATE) {
            if (status == null || "INACTIVE".equals(status)) {
                return HookStep.complete("CONTINUE", "the instance is in no managed cluster: nothing to wait for");
            }
            if (tasks == 0) {
                return HookStep.complete("CONTINUE", "no task is left on the instance");
            }
            if (pastDeadline && check.deadlineSetByGlobalTimeout()) {
                return HookStep.complete("CONTINUE", "the hook's GlobalTimeout (" + globalSeconds(check)
                        + " s, which heartbeats cannot extend) is about to end the wait with " + tasks
                        + " task(s) still on the instance; the instance goes anyway");
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
        if (pastDeadline && check.deadlineSetByGlobalTimeout()) {
            return HookStep.complete("ABANDON", "the instance did not become ACTIVE with its agent connected before "
                    + "the hook's GlobalTimeout (" + globalSeconds(check) + " s, which heartbeats cannot extend) was near");
        }
        if (pastDeadline) {
            return HookStep.complete("ABANDON", "the instance did not become ACTIVE with its agent connected before "
                    + "the launch deadline (DECKHAND_LAUNCH_DEADLINE)");
        }
        return wait(check, now, status == null ? "the instance has not registered in a managed cluster yet"
                : "the instance is " + status + (agentConnected ? "" : " with its agent disconnected"));
    }

    private static long globalSeconds(HookWaitState check) {
        return Duration.between(IsoInstant.parse(check.startedAt()), check.globalTimeoutAt()).toSeconds();
    }

    private HookStep wait(HookWaitState check, Instant now, String why) {
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
