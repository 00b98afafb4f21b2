package dev.deckhand.local.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.emulator.LocalAws;
import dev.deckhand.local.scheduler.SchedulerEvent.Kind;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * What AWS does on its own around an event, whatever Deckhand does: the part of the world the
 * local scheduler must play for a replay to show the consequences.
 */
public final class AwsReactions {

    /** EC2 reclaims a Spot Instance two minutes after the warning (hibernation starts at once). */
    static final Duration SPOT_WARNING = Duration.ofMinutes(2);
    /** A stopping or shutting-down instance is gone about this soon. */
    static final Duration SHUTDOWN = Duration.ofSeconds(60);
    /** An ECS agent registers its instance this long after the launch hook fires. */
    static final Duration AGENT_START = Duration.ofSeconds(40);

    private AwsReactions() {
    }

    /**
     * What had already happened when AWS sent {@code event}: for a lifecycle action, the instance
     * waits on the hook with the event's token.
     */
    public static void before(JsonNode event, LocalAws emulator, String region) {
        if (event.path("source").asText().equals("aws.autoscaling") && event.path("detail").has("LifecycleActionToken")) {
            JsonNode detail = event.path("detail");
            emulator.control("autoscaling/lifecycle-action", Map.of("region", region,
                    "group", detail.path("AutoScalingGroupName").asText(), "hook", detail.path("LifecycleHookName").asText(),
                    "instanceId", detail.path("EC2InstanceId").asText(), "token", detail.path("LifecycleActionToken").asText(),
                    "transition", detail.path("LifecycleTransition").asText()));
        }
    }

    /** Schedules what {@code event} sets in motion; returns when the last of it happens, or null if nothing. */
    public static Instant schedule(JsonNode event, LocalScheduler scheduler) {
        String source = event.path("source").asText();
        String detailType = event.path("detail-type").asText();
        Instant time = Instant.parse(event.path("time").asText());
        JsonNode detail = event.path("detail");
        if (source.equals("aws.ec2") && detailType.equals("EC2 Spot Instance Interruption Warning")) {
            String action = detail.path("instance-action").asText("terminate");
            Instant at = action.equals("hibernate") ? time : time.plus(SPOT_WARNING);
            scheduler.terminateAt(detail.path("instance-id").asText(), at, "Spot interruption (" + action + ")");
            return at;
        }
        if (source.equals("aws.ec2") && detailType.equals("EC2 Instance State-change Notification")) {
            String state = detail.path("state").asText();
            if (state.equals("stopping") || state.equals("shutting-down")) {
                Instant at = time.plus(SHUTDOWN);
                scheduler.terminateAt(detail.path("instance-id").asText(), at, "instance " + (state.equals("stopping") ? "stopped" : "terminated"));
                return at;
            }
        }
        if (source.equals("aws.autoscaling") && detailType.equals("EC2 Instance-launch Lifecycle Action")) {
            Instant at = time.plus(AGENT_START);
            scheduler.registerAt(detail.path("EC2InstanceId").asText(), at);
            return at;
        }
        return null;
    }

    /**
     * A lifecycle action the emulator reports completed: Auto Scaling terminates a terminating
     * instance (CONTINUE) and an abandoned launching one; a launching instance that continues goes InService.
     */
    public static void hookCompleted(JsonNode action, LocalScheduler scheduler) {
        String instanceId = action.path("instanceId").asText();
        String result = action.path("state").asText();
        boolean terminating = action.path("transition").asText().endsWith("TERMINATING");
        scheduler.observe(Kind.HOOK_COMPLETED, instanceId, action.path("hook").asText() + " completed with " + result);
        if (terminating || result.equals("ABANDON")) {
            scheduler.terminateAt(instanceId, scheduler.now(), "Auto Scaling terminated it after " + action.path("hook").asText());
        }
    }
}
