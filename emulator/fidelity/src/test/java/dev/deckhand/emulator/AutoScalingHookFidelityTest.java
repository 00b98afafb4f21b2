package dev.deckhand.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingException;
import software.amazon.awssdk.services.autoscaling.model.LifecycleHook;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Pins emulator/python/deckhand_emulator/autoscaling_hooks.py to the EC2 Auto Scaling API Reference
 * (CompleteLifecycleAction, RecordLifecycleActionHeartbeat): a lifecycle action completes once,
 * heartbeats leave it waiting, and a call for no waiting action is a ValidationError. Its timeouts:
 * <a href="https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_PutLifecycleHook.html">PutLifecycleHook</a>
 * (HeartbeatTimeout, 30 to 7200 s, default 3600; DefaultResult, the action taken when it elapses),
 * <a href="https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_RecordLifecycleActionHeartbeat.html">RecordLifecycleActionHeartbeat</a>
 * ("extends the timeout by the length of time defined using the PutLifecycleHook API call") and
 * <a href="https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_LifecycleHook.html">LifecycleHook</a>
 * (GlobalTimeout: "the maximum time, in seconds, that an instance can remain in a wait state. The
 * maximum is 172800 seconds (48 hours) or 100 times HeartbeatTimeout, whichever is smaller").
 * Also sqs_time.py and clock.py, the local scheduler's compressed time.
 */
@Tag("emulator")
class AutoScalingHookFidelityTest extends EmptyAccountTest {

    private AutoScalingClient autoscaling;

    @BeforeEach
    void emptyAccount() {
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
    void describeLifecycleHooks_answersTheGlobalTimeout_theSmallerOf48HoursAnd100Heartbeats() {
        autoscaling.putLifecycleHook(r -> r.autoScalingGroupName("asg").lifecycleHookName("short")
                .lifecycleTransition("autoscaling:EC2_INSTANCE_TERMINATING").heartbeatTimeout(300));
        autoscaling.putLifecycleHook(r -> r.autoScalingGroupName("asg").lifecycleHookName("long")
                .lifecycleTransition("autoscaling:EC2_INSTANCE_TERMINATING").heartbeatTimeout(7200));
        autoscaling.putLifecycleHook(r -> r.autoScalingGroupName("asg").lifecycleHookName("default")
                .lifecycleTransition("autoscaling:EC2_INSTANCE_LAUNCHING"));

        Map<String, LifecycleHook> hooks = new java.util.HashMap<>();
        autoscaling.describeLifecycleHooks(r -> r.autoScalingGroupName("asg")).lifecycleHooks()
                .forEach(h -> hooks.put(h.lifecycleHookName(), h));

        assertEquals(30000, hooks.get("short").globalTimeout(), "100 x 300 s");
        assertEquals(172800, hooks.get("long").globalTimeout(), "48 h, less than 100 x 7200 s");
        assertEquals(3600, hooks.get("default").heartbeatTimeout());
        assertEquals(172800, hooks.get("default").globalTimeout(), "48 h, less than 100 x 3600 s");
        assertEquals("ABANDON", hooks.get("default").defaultResult());
    }

    private void advance(long seconds) {
        aws.control("clock/advance", Map.of("seconds", seconds));
    }

    private String waitingOn(String hook, int heartbeatTimeout, String defaultResult) {
        autoscaling.putLifecycleHook(r -> r.autoScalingGroupName("asg").lifecycleHookName(hook)
                .lifecycleTransition("autoscaling:EC2_INSTANCE_TERMINATING").heartbeatTimeout(heartbeatTimeout)
                .defaultResult(defaultResult));
        return aws.control("autoscaling/lifecycle-action", Map.of("region", REGION, "group", "asg", "hook", hook,
                "instanceId", "i-1234567890abcdef0")).path("token").asText();
    }

    @Test
    void action_withoutHeartbeat_endsAtTheHeartbeatTimeout_withTheDefaultResult() {
        String token = waitingOn("deckhand-drain", 60, "ABANDON");

        advance(50);
        assertEquals("WAITING", action(0).path("state").asText(), "50 s of a 60 s timeout");
        advance(15);

        assertEquals("ABANDON", action(0).path("state").asText());
        assertEquals("HeartbeatTimeout", action(0).path("endedBy").asText());
        AutoScalingException late = assertThrows(AutoScalingException.class, () -> autoscaling.completeLifecycleAction(r -> r
                .autoScalingGroupName("asg").lifecycleHookName("deckhand-drain").lifecycleActionToken(token)
                .lifecycleActionResult("CONTINUE")));
        assertEquals("ValidationError", late.awsErrorDetails().errorCode());
        assertTrue(late.awsErrorDetails().errorMessage().startsWith("No active Lifecycle Action found"));
    }

    @Test
    void heartbeats_holdTheActionOnlyUntilTheGlobalTimeout_thenItEndsAndHeartbeatsAreRefused() {
        String token = waitingOn("deckhand-drain", 30, "CONTINUE"); // GlobalTimeout 3000 s

        for (int elapsed = 25; elapsed < 3000; elapsed += 25) {
            advance(25);
            autoscaling.recordLifecycleActionHeartbeat(r -> r.autoScalingGroupName("asg").lifecycleHookName("deckhand-drain")
                    .lifecycleActionToken(token));
        }
        assertEquals("WAITING", action(0).path("state").asText(), "2975 s, every heartbeat in time");
        advance(26);

        assertEquals("CONTINUE", action(0).path("state").asText());
        assertEquals("GlobalTimeout", action(0).path("endedBy").asText());
        AutoScalingException late = assertThrows(AutoScalingException.class, () -> autoscaling.recordLifecycleActionHeartbeat(r -> r
                .autoScalingGroupName("asg").lifecycleHookName("deckhand-drain").lifecycleActionToken(token)));
        assertEquals("ValidationError", late.awsErrorDetails().errorCode());
        assertTrue(late.awsErrorDetails().errorMessage().startsWith("No active Lifecycle Action found with token"));
    }

    @Test
    void completeLifecycleAction_inTime_isRecordedAsCompletedNotTimedOut() {
        String token = waitingOn("deckhand-drain", 60, "ABANDON");
        advance(40);

        autoscaling.completeLifecycleAction(r -> r.autoScalingGroupName("asg").lifecycleHookName("deckhand-drain")
                .lifecycleActionToken(token).lifecycleActionResult("CONTINUE"));
        advance(100);

        assertEquals("CONTINUE", action(0).path("state").asText());
        assertEquals("CompleteLifecycleAction", action(0).path("endedBy").asText());
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

    @Test
    void releaseDelayed_inFlight_deliversAMessageAgainWhenItsVisibilityTimeoutEnds_andMovesTheClock() {
        SqsClient sqs = aws.client(SqsClient.builder(), REGION);
        String url = sqs.createQueue(r -> r.queueName("recheck")).queueUrl();
        String token = waitingOn("deckhand-drain", 300, "ABANDON");
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("failed once"));
        sqs.receiveMessage(r -> r.queueUrl(url).visibilityTimeout(360));
        assertEquals(0, aws.control("sqs/release-delayed", Map.of("region", REGION, "queue", "recheck")).path("released").asInt(),
                "without inFlight only delayed messages count");

        JsonNode released = aws.control("sqs/release-delayed", Map.of("region", REGION, "queue", "recheck", "inFlight", true));

        assertEquals(1, released.path("released").asInt());
        assertTrue(Math.abs(released.path("seconds").asInt() - 360) <= 1, released.toString());
        assertEquals("failed once", sqs.receiveMessage(r -> r.queueUrl(url)).messages().get(0).body());
        assertEquals("HeartbeatTimeout", action(0).path("endedBy").asText(), "360 s passed for the 300 s hook too");
        assertTrue(!token.isEmpty());
    }
}
