package dev.deckhand.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingException;
import software.amazon.awssdk.services.autoscaling.model.LifecycleHook;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Pins emulator/python/deckhand_emulator/autoscaling_hooks.py to the EC2 Auto Scaling API Reference
 * (CompleteLifecycleAction, RecordLifecycleActionHeartbeat): a lifecycle action completes once,
 * heartbeats leave it waiting, and a call for no waiting action is a ValidationError. Also
 * sqs_time.py, the local scheduler's compressed time for delay queues.
 */
class AutoScalingHookFidelityTest {

    private static final String REGION = "us-east-2";
    private LocalAws aws;
    private AutoScalingClient autoscaling;

    @BeforeEach
    void emptyAccount() {
        aws = LocalAws.shared();
        aws.reset();
        autoscaling = aws.client(AutoScalingClient.builder(), REGION);
    }

    private String waiting(String instanceId) {
        return aws.control("autoscaling/lifecycle-action", Map.of("region", REGION, "group", "asg", "hook", "deckhand-drain",
                "instanceId", instanceId)).path("token").asText();
    }

    private JsonNode action(int index) {
        return aws.control("autoscaling/lifecycle-actions", Map.of("region", REGION)).path("actions").get(index);
    }

    @Test
    void completeLifecycleAction_byToken_recordsTheResultOnce() {
        String token = waiting("i-1234567890abcdef0");

        autoscaling.completeLifecycleAction(r -> r.autoScalingGroupName("asg").lifecycleHookName("deckhand-drain")
                .lifecycleActionToken(token).lifecycleActionResult("CONTINUE"));

        assertEquals("CONTINUE", action(0).path("state").asText());
        AutoScalingException again = assertThrows(AutoScalingException.class, () -> autoscaling.completeLifecycleAction(r -> r
                .autoScalingGroupName("asg").lifecycleHookName("deckhand-drain").lifecycleActionToken(token)
                .lifecycleActionResult("CONTINUE")));
        assertEquals("ValidationError", again.awsErrorDetails().errorCode());
        assertTrue(again.awsErrorDetails().errorMessage().startsWith("No active Lifecycle Action found with token"));
    }

    @Test
    void completeLifecycleAction_byInstanceId_andAbandon() {
        waiting("i-1234567890abcdef0");

        autoscaling.completeLifecycleAction(r -> r.autoScalingGroupName("asg").lifecycleHookName("deckhand-drain")
                .instanceId("i-1234567890abcdef0").lifecycleActionResult("ABANDON"));

        assertEquals("ABANDON", action(0).path("state").asText());
    }

    @Test
    void completeLifecycleAction_otherHookOrBadResult_isValidationError() {
        String token = waiting("i-1234567890abcdef0");

        AutoScalingException otherHook = assertThrows(AutoScalingException.class, () -> autoscaling.completeLifecycleAction(r -> r
                .autoScalingGroupName("asg").lifecycleHookName("someone-elses-hook").lifecycleActionToken(token)
                .lifecycleActionResult("CONTINUE")));
        AutoScalingException badResult = assertThrows(AutoScalingException.class, () -> autoscaling.completeLifecycleAction(r -> r
                .autoScalingGroupName("asg").lifecycleHookName("deckhand-drain").lifecycleActionToken(token)
                .lifecycleActionResult("MAYBE")));

        assertEquals("ValidationError", otherHook.awsErrorDetails().errorCode());
        assertEquals("ValidationError", badResult.awsErrorDetails().errorCode());
        assertEquals("WAITING", action(0).path("state").asText());
    }

    @Test
    void heartbeat_keepsTheActionWaiting_andFailsOnceCompleted() {
        String token = waiting("i-1234567890abcdef0");

        autoscaling.recordLifecycleActionHeartbeat(r -> r.autoScalingGroupName("asg").lifecycleHookName("deckhand-drain")
                .lifecycleActionToken(token));
        autoscaling.recordLifecycleActionHeartbeat(r -> r.autoScalingGroupName("asg").lifecycleHookName("deckhand-drain")
                .instanceId("i-1234567890abcdef0"));

        assertEquals(2, action(0).path("heartbeats").size());
        assertEquals("WAITING", action(0).path("state").asText());
        autoscaling.completeLifecycleAction(r -> r.autoScalingGroupName("asg").lifecycleHookName("deckhand-drain")
                .lifecycleActionToken(token).lifecycleActionResult("CONTINUE"));
        AutoScalingException late = assertThrows(AutoScalingException.class, () -> autoscaling.recordLifecycleActionHeartbeat(r -> r
                .autoScalingGroupName("asg").lifecycleHookName("deckhand-drain").lifecycleActionToken(token)));
        assertEquals("ValidationError", late.awsErrorDetails().errorCode());
    }

    @Test
    void describeLifecycleHooks_answersTheHeartbeatTimeout() {
        autoscaling.putLifecycleHook(r -> r.autoScalingGroupName("asg").lifecycleHookName("deckhand-drain")
                .lifecycleTransition("autoscaling:EC2_INSTANCE_TERMINATING").heartbeatTimeout(300).defaultResult("CONTINUE"));

        LifecycleHook hook = autoscaling.describeLifecycleHooks(r -> r.autoScalingGroupName("asg")
                .lifecycleHookNames("deckhand-drain")).lifecycleHooks().get(0);

        assertEquals(300, hook.heartbeatTimeout());
    }

    @Test
    void reset_forgetsLifecycleActions() {
        waiting("i-1234567890abcdef0");

        aws.reset();

        assertEquals(0, aws.control("autoscaling/lifecycle-actions", Map.of("region", REGION)).path("actions").size());
    }

    @Test
    void releaseDelayed_makesTheEarliestDelayedMessagesVisibleAndSaysHowFarTimeMoved() {
        SqsClient sqs = aws.client(SqsClient.builder(), REGION);
        String url = sqs.createQueue(r -> r.queueName("recheck")).queueUrl();
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("first").delaySeconds(60));
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("second").delaySeconds(300));
        assertEquals(0, sqs.receiveMessage(r -> r.queueUrl(url)).messages().size(), "delayed messages are invisible");

        JsonNode released = aws.control("sqs/release-delayed", Map.of("region", REGION, "queue", "recheck"));

        assertEquals(1, released.path("released").asInt());
        assertTrue(Math.abs(released.path("seconds").asInt() - 60) <= 1, released.toString());
        assertEquals("first", sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10)).messages().get(0).body());
    }
}
