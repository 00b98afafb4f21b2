package dev.deckhand.drain.executor;

import dev.deckhand.drain.planner.HookWaitState;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingException;
import software.amazon.awssdk.services.autoscaling.model.LifecycleHook;

/**
 * Auto Scaling lifecycle-hook calls: the hook's timeouts (described once per container), heartbeats
 * and completion. Completing an action that is no longer waiting (completed by an earlier delivery
 * of the same event, or timed out) is not an error: the hook is done either way.
 */
public final class LifecycleHooks {

    private static final Logger log = LoggerFactory.getLogger(LifecycleHooks.class);
    /** Auto Scaling's default HeartbeatTimeout, used when the hook cannot be described. */
    static final int DEFAULT_TIMEOUT_SECONDS = 3600;

    private final AutoScalingClient autoscaling;
    private final Map<String, Timeouts> timeouts = new ConcurrentHashMap<>();

    public LifecycleHooks(AutoScalingClient autoscaling) {
        this.autoscaling = autoscaling;
    }

    /**
     * A hook's timeouts, in seconds.
     *
     * @param heartbeat its HeartbeatTimeout: how long the action waits without a heartbeat
     * @param global    its GlobalTimeout: how long the action may wait at all, whatever the heartbeats
     */
    public record Timeouts(int heartbeat, long global) {
    }

    /** The hook's HeartbeatTimeout and GlobalTimeout (derived as Auto Scaling does when not described). */
    public Timeouts timeouts(String group, String hook) {
        return timeouts.computeIfAbsent(group + "\u0000" + hook, key -> {
            for (LifecycleHook described : autoscaling.describeLifecycleHooks(r -> r.autoScalingGroupName(group)
                    .lifecycleHookNames(hook)).lifecycleHooks()) {
                if (described.heartbeatTimeout() != null) {
                    int heartbeat = described.heartbeatTimeout();
                    long global = described.globalTimeout() != null ? described.globalTimeout()
                            : HookWaitState.globalTimeoutFor(heartbeat);
                    return new Timeouts(heartbeat, global);
                }
            }
            log.atWarn().addKeyValue("autoScalingGroupName", group).addKeyValue("lifecycleHookName", hook)
                    .log("lifecycle hook not found; assuming Auto Scaling's default timeout of 3600 s");
            return new Timeouts(DEFAULT_TIMEOUT_SECONDS, HookWaitState.globalTimeoutFor(DEFAULT_TIMEOUT_SECONDS));
        });
    }

    /** @return false when the action is no longer waiting */
    public boolean heartbeat(HookWaitState check) {
        try {
            autoscaling.recordLifecycleActionHeartbeat(r -> r.autoScalingGroupName(check.autoScalingGroupName())
                    .lifecycleHookName(check.lifecycleHookName()).lifecycleActionToken(check.lifecycleActionToken())
                    .instanceId(check.instanceId()));
            return true;
        } catch (AutoScalingException e) {
            if (noLongerWaiting(e)) {
                return false;
            }
            throw e;
        }
    }

    /** @return false when the action was no longer waiting (already completed, or timed out) */
    public boolean complete(HookWaitState check, String result) {
        try {
            autoscaling.completeLifecycleAction(r -> r.autoScalingGroupName(check.autoScalingGroupName())
                    .lifecycleHookName(check.lifecycleHookName()).lifecycleActionToken(check.lifecycleActionToken())
                    .instanceId(check.instanceId()).lifecycleActionResult(result));
            return true;
        } catch (AutoScalingException e) {
            if (noLongerWaiting(e)) {
                return false;
            }
            throw e;
        }
    }

    private static boolean noLongerWaiting(AutoScalingException e) {
        return e.awsErrorDetails() != null && "ValidationError".equals(e.awsErrorDetails().errorCode())
                && String.valueOf(e.awsErrorDetails().errorMessage()).startsWith("No active Lifecycle Action found");
    }
}
