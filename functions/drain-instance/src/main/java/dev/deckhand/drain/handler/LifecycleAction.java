package dev.deckhand.drain.handler;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.deckhand.core.event.BadEventException;
import dev.deckhand.core.event.EventParser;
import dev.deckhand.drain.planner.HookKind;
import java.util.regex.Pattern;

/**
 * The detail of {@code aws.autoscaling} / {@code EC2 Instance-terminate Lifecycle Action} and
 * {@code EC2 Instance-launch Lifecycle Action}. Example (EC2 Auto Scaling User Guide, "Amazon EC2
 * Auto Scaling event reference"):
 *
 * <pre>{@code
 * "detail": {
 *   "LifecycleActionToken": "87654321-4321-4321-4321-210987654321",
 *   "AutoScalingGroupName": "my-asg",
 *   "LifecycleHookName": "my-lifecycle-hook",
 *   "EC2InstanceId": "i-1234567890abcdef0",
 *   "LifecycleTransition": "autoscaling:EC2_INSTANCE_TERMINATING",
 *   "NotificationMetadata": "additional-info",
 *   "Origin": "AutoScalingGroup",
 *   "Destination": "EC2"
 * }
 * }</pre>
 *
 * {@code Origin} and {@code Destination} (EC2, AutoScalingGroup or WarmPool) say where the
 * instance comes from and goes to; with a warm pool, a launch action may be an instance going
 * into the pool (Origin EC2, Destination WarmPool) and a terminate action one going back into it
 * (Origin AutoScalingGroup, Destination WarmPool): EC2 Auto Scaling User Guide, "Warm pool example
 * events and patterns". Optional, and not refused whatever their value (a place Auto Scaling
 * adds later is waited on as an ordinary launch or terminate); only WarmPool changes what
 * Deckhand does. Long values are shortened for the log.
 */
record LifecycleAction(
        @JsonProperty("LifecycleActionToken") String token,
        @JsonProperty("AutoScalingGroupName") String group,
        @JsonProperty("LifecycleHookName") String hook,
        @JsonProperty("EC2InstanceId") String instanceId,
        @JsonProperty("LifecycleTransition") String transition,
        @JsonProperty("Origin") String origin,
        @JsonProperty("Destination") String destination) {

    /**
     * Auto Scaling's own limits: names of 1 to 255 characters (hook names [A-Za-z0-9\-_\/]), a token
     * of exactly 36 characters (API Reference, CompleteLifecycleAction: "Fixed length of 36"). The
     * token is opaque: AWS's documented events carry ones such as 71514b9d-6a40-4b26-8523-05e7eEXAMPLE,
     * so only its length and printable characters are checked, not a UUID's shape.
     */
    private static final Pattern TOKEN = Pattern.compile("[\\x21-\\x7e]{36}");
    private static final Pattern HOOK = Pattern.compile("[A-Za-z0-9\\-_/]{1,255}");

    public LifecycleAction {
        required("LifecycleActionToken", token);
        required("AutoScalingGroupName", group);
        required("LifecycleHookName", hook);
        required("EC2InstanceId", instanceId);
        required("LifecycleTransition", transition);
        if (!TOKEN.matcher(token).matches()) {
            throw new BadEventException("event field `detail.LifecycleActionToken` is not a lifecycle action token: "
                    + EventParser.abbreviate(token));
        }
        if (group.length() > 255 || group.chars().anyMatch(Character::isISOControl)) {
            throw new BadEventException("event field `detail.AutoScalingGroupName` is not an Auto Scaling group name");
        }
        if (!HOOK.matcher(hook).matches()) {
            throw new BadEventException("event field `detail.LifecycleHookName` is not a lifecycle hook name: "
                    + EventParser.abbreviate(hook));
        }
        EventParser.requireInstanceId("detail.EC2InstanceId", instanceId);
        origin = origin == null ? null : EventParser.abbreviate(origin);
        destination = destination == null ? null : EventParser.abbreviate(destination);
    }

    private static void required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new BadEventException("event field `detail." + field + "` is missing");
        }
    }

    /** The hook kind, checked against the event's detail-type. */
    HookKind kind(HookKind expected) {
        if (!expected.transition().equals(transition)) {
            throw new BadEventException("event field `detail.LifecycleTransition` is " + EventParser.abbreviate(transition)
                    + " but the detail-type is for " + expected.transition());
        }
        return expected;
    }
}
