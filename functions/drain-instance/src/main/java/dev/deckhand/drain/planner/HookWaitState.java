package dev.deckhand.drain.planner;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.deckhand.core.aws.ClusterDirectory;
import dev.deckhand.core.event.IsoInstant;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The state of one lifecycle-hook wait, carried from check to check in the recheck queue's message
 * body (so no table is needed). Times are ISO-8601 strings ending in {@code At}.
 *
 * <pre>{@code
 * {"version":1,"kind":"TERMINATE","eventId":"12345678-1234-1234-1234-123456789014",
 *  "instanceId":"i-1234567890abcdef0","autoScalingGroupName":"demo-batch-asg",
 *  "lifecycleHookName":"deckhand-drain","lifecycleActionToken":"87654321-4321-4321-4321-210987654321",
 *  "cluster":"demo-batch","containerInstanceArn":"arn:aws:ecs:us-east-2:123456789012:container-instance/demo-batch/4c1e...",
 *  "startedAt":"2026-11-22T10:00:00Z","deadlineAt":"2026-11-22T11:00:00Z","heartbeatAt":"2026-11-22T10:00:00Z",
 *  "hookTimeoutSeconds":300,"checks":3,"globalTimeoutSeconds":30000,"toWarmPool":false}
 * }</pre>
 *
 * @param cluster              where the instance was found; null until it is (a launching instance
 *                             registers later)
 * @param heartbeatAt          when the hook's timeout last restarted (the event, or the last heartbeat)
 * @param deadlineAt           when the wait ends: the configured deadline, or shortly before the
 *                             hook's GlobalTimeout when that comes first
 * @param hookTimeoutSeconds   the hook's HeartbeatTimeout
 * @param checks               how many checks ran before this one
 * @param globalTimeoutSeconds the hook's GlobalTimeout, the longest an instance may wait whatever
 *                             the heartbeats; 0 in a message from before it was carried (then
 *                             derived as Auto Scaling does: the smaller of 48 h and 100 x
 *                             HeartbeatTimeout)
 * @param toWarmPool           a terminate action whose instance goes back into the warm pool
 *                             ({@code Destination} WarmPool): drained for a stop, since it comes back
 *                             with the same container instance; false in a message from before it was carried
 */
public record HookWaitState(
        int version,
        HookKind kind,
        String eventId,
        String instanceId,
        String autoScalingGroupName,
        String lifecycleHookName,
        String lifecycleActionToken,
        String cluster,
        String containerInstanceArn,
        String startedAt,
        String deadlineAt,
        String heartbeatAt,
        long hookTimeoutSeconds,
        int checks,
        long globalTimeoutSeconds,
        boolean toWarmPool) implements RecheckMessage {

    public static final int VERSION = 1;
    /** Auto Scaling's longest GlobalTimeout, 48 hours (API Reference, LifecycleHook). */
    public static final long MAX_GLOBAL_TIMEOUT_SECONDS = 172800;

    public HookWaitState {
        if (version != VERSION) {
            throw new BadRecheckMessageException("recheck message field `version` must be " + VERSION + ", got " + version);
        }
        if (kind == null) {
            throw new BadRecheckMessageException("recheck message field `kind` is missing");
        }
        if (!ClusterDirectory.isInstanceId(instanceId)) {
            throw new BadRecheckMessageException("recheck message field `instanceId` is not an EC2 instance id");
        }
        for (String[] field : new String[][] {{"autoScalingGroupName", autoScalingGroupName},
                {"lifecycleHookName", lifecycleHookName}, {"lifecycleActionToken", lifecycleActionToken}, {"eventId", eventId}}) {
            if (field[1] == null || field[1].isBlank() || field[1].length() > 1600) {
                throw new BadRecheckMessageException("recheck message field `" + field[0] + "` is missing or too long");
            }
        }
        instant("startedAt", startedAt);
        instant("deadlineAt", deadlineAt);
        instant("heartbeatAt", heartbeatAt);
        if (hookTimeoutSeconds < 30 || hookTimeoutSeconds > 7200) {
            throw new BadRecheckMessageException("recheck message field `hookTimeoutSeconds` must be 30 to 7200 (Auto Scaling's range)");
        }
        if (globalTimeoutSeconds != 0 && (globalTimeoutSeconds < hookTimeoutSeconds
                || globalTimeoutSeconds > MAX_GLOBAL_TIMEOUT_SECONDS)) {
            throw new BadRecheckMessageException("recheck message field `globalTimeoutSeconds` must be from `hookTimeoutSeconds` to "
                    + MAX_GLOBAL_TIMEOUT_SECONDS);
        }
    }

    /** Auto Scaling's GlobalTimeout for a HeartbeatTimeout: the smaller of 48 hours and 100 times it. */
    public static long globalTimeoutFor(long heartbeatTimeoutSeconds) {
        return Math.min(MAX_GLOBAL_TIMEOUT_SECONDS, 100 * heartbeatTimeoutSeconds);
    }

    /** When Auto Scaling ends the wait whatever the heartbeats: GlobalTimeout after it started. */
    @JsonIgnore
    public Instant globalTimeoutAt() {
        long global = globalTimeoutSeconds == 0 ? globalTimeoutFor(hookTimeoutSeconds) : globalTimeoutSeconds;
        return IsoInstant.parse(startedAt).plusSeconds(global);
    }

    /** Whether the deadline is the one the GlobalTimeout set (it ends the wait before the configured deadline). */
    @JsonIgnore
    public boolean deadlineSetByGlobalTimeout() {
        return !deadline().isBefore(globalTimeoutAt().minus(HookPlanner.GLOBAL_TIMEOUT_MARGIN));
    }

    private static Instant instant(String field, String value) {
        if (value == null) {
            throw new BadRecheckMessageException("recheck message field `" + field + "` is missing");
        }
        try {
            return IsoInstant.parse(value);
        } catch (DateTimeParseException e) {
            throw new BadRecheckMessageException("recheck message field `" + field + "` is not an ISO-8601 time");
        }
    }

    @JsonIgnore
    public Instant deadline() {
        return IsoInstant.parse(deadlineAt);
    }

    @JsonIgnore
    public Instant lastHeartbeat() {
        return IsoInstant.parse(heartbeatAt);
    }

    public HookWaitState located(String foundCluster, String foundArn) {
        return new HookWaitState(version, kind, eventId, instanceId, autoScalingGroupName, lifecycleHookName,
                lifecycleActionToken, foundCluster, foundArn, startedAt, deadlineAt, heartbeatAt, hookTimeoutSeconds, checks,
                globalTimeoutSeconds, toWarmPool);
    }

    /** The state the next check starts from. */
    public HookWaitState next(Instant heartbeat) {
        return new HookWaitState(version, kind, eventId, instanceId, autoScalingGroupName, lifecycleHookName,
                lifecycleActionToken, cluster, containerInstanceArn, startedAt, deadlineAt,
                heartbeat == null ? heartbeatAt : heartbeat.toString(), hookTimeoutSeconds, checks + 1, globalTimeoutSeconds,
                toWarmPool);
    }
}
