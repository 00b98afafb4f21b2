package dev.deckhand.drain.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.deckhand.core.event.EventParser;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HookPlannerTest {

    private static final Instant START = Instant.parse("2026-11-22T10:00:00Z");
    private final HookPlanner planner = new HookPlanner(Duration.ofSeconds(30));

    private static HookWaitState check(HookKind kind, long timeoutSeconds, Instant heartbeatAt) {
        return new HookWaitState(1, kind, "e1", "i-1234567890abcdef0", "asg", "deckhand-drain",
                "87654321-4321-4321-4321-210987654321", "batch", "arn", START.toString(),
                START.plus(Duration.ofHours(1)).toString(), heartbeatAt.toString(), timeoutSeconds, 0,
                HookWaitState.globalTimeoutFor(timeoutSeconds), false);
    }

    private static HookWaitState withDeadline(HookKind kind, long timeoutSeconds, HookPlanner.Deadline deadline) {
        return new HookWaitState(1, kind, "e1", "i-1234567890abcdef0", "asg", "deckhand-drain",
                "87654321-4321-4321-4321-210987654321", "batch", "arn", START.toString(), deadline.at().toString(),
                START.toString(), timeoutSeconds, 0, HookWaitState.globalTimeoutFor(timeoutSeconds), false);
    }

    @Test
    void terminate_instanceInNoManagedCluster_completesAtOnce() {
        HookStep step = planner.next(check(HookKind.TERMINATE, 300, START), null, 0, false, START);

        assertTrue(step.complete());
        assertEquals("CONTINUE", step.result());
    }

    @Test
    void terminate_noTaskLeft_continues() {
        HookStep step = planner.next(check(HookKind.TERMINATE, 300, START), "DRAINING", 0, true, START.plusSeconds(60));

        assertTrue(step.complete());
        assertEquals("CONTINUE", step.result());
    }

    @Test
    void terminate_tasksLeft_waitsTheInterval_withoutHeartbeatWhileTheHookHasTime() {
        HookStep step = planner.next(check(HookKind.TERMINATE, 300, START), "DRAINING", 3, true, START.plusSeconds(30));

        assertFalse(step.complete());
        assertEquals(Duration.ofSeconds(30), step.delay());
        assertFalse(step.heartbeat());
    }

    @Test
    void terminate_heartbeatWhenTheHookWouldHaveLessThanHalfItsTimeoutAtTheNextCheck() {
        HookWaitState check = check(HookKind.TERMINATE, 120, START);

        assertFalse(planner.next(check, "DRAINING", 3, true, START.plusSeconds(30)).heartbeat()); // 60 s left at next check
        assertTrue(planner.next(check, "DRAINING", 3, true, START.plusSeconds(31)).heartbeat());  // 59 s left
        HookWaitState beaten = check(HookKind.TERMINATE, 120, START.plusSeconds(60));
        assertFalse(planner.next(beaten, "DRAINING", 3, true, START.plusSeconds(61)).heartbeat());
    }

    @Test
    void terminate_shortHookTimeout_checksAtLeastTwicePerTimeout() {
        HookStep step = planner.next(check(HookKind.TERMINATE, 30, START), "DRAINING", 3, true, START);

        assertEquals(Duration.ofSeconds(15), step.delay());
    }

    @Test
    void terminate_deadlinePassed_continuesAnyway_andSaysHowManyTasksWereLeft() {
        HookStep step = planner.next(check(HookKind.TERMINATE, 300, START), "DRAINING", 2, true, START.plus(Duration.ofHours(1)));

        assertTrue(step.complete());
        assertEquals("CONTINUE", step.result());
        assertTrue(step.reason().contains("2 task(s)"), step.reason());
    }

    @Test
    void terminate_nextCheckNeverAfterTheDeadline() {
        HookStep step = planner.next(check(HookKind.TERMINATE, 300, START), "DRAINING", 2, true,
                START.plus(Duration.ofHours(1)).minusSeconds(10));

        assertEquals(Duration.ofSeconds(10), step.delay());
    }

    @Test
    void launch_activeWithAgentConnected_continues() {
        HookStep step = planner.next(check(HookKind.LAUNCH, 300, START), "ACTIVE", 0, true, START);

        assertTrue(step.complete());
        assertEquals("CONTINUE", step.result());
    }

    @Test
    void launch_notRegisteredOrAgentDisconnected_waits() {
        assertFalse(planner.next(check(HookKind.LAUNCH, 300, START), null, 0, false, START).complete());
        assertFalse(planner.next(check(HookKind.LAUNCH, 300, START), "ACTIVE", 0, false, START).complete());
        assertFalse(planner.next(check(HookKind.LAUNCH, 300, START), "REGISTERING", 0, true, START).complete());
    }

    @Test
    void launch_deadlinePassed_abandons() {
        HookStep step = planner.next(check(HookKind.LAUNCH, 300, START), null, 0, false, START.plus(Duration.ofHours(2)));

        assertTrue(step.complete());
        assertEquals("ABANDON", step.result());
    }

    @Test
    void giveUpResult_terminateContinues_launchAbandons() {
        assertEquals("CONTINUE", HookKind.TERMINATE.resultWhenGivingUp());
        assertEquals("ABANDON", HookKind.LAUNCH.resultWhenGivingUp());
    }

    @Test
    void check_malformedState_isRefused() {
        BadRecheckMessageException error = assertThrows(BadRecheckMessageException.class, () -> new HookWaitState(1, HookKind.TERMINATE, "e1",
                "i-1234567890abcdef0", "asg", "deckhand-drain", "t", null, null, "yesterday",
                START.toString(), START.toString(), 300, 0, 30000, false));

        assertTrue(error.getMessage().contains("startedAt"));
    }

    @Test
    void check_globalTimeoutOutsideAutoScalingsRange_isRefused_andAbsentIsDerived() {
        BadRecheckMessageException error = assertThrows(BadRecheckMessageException.class, () -> new HookWaitState(1, HookKind.TERMINATE, "e1",
                "i-1234567890abcdef0", "asg", "deckhand-drain", "t", null, null, START.toString(),
                START.toString(), START.toString(), 300, 0, 200000, false));
        HookWaitState old = new HookWaitState(1, HookKind.TERMINATE, "e1", "i-1234567890abcdef0", "asg", "deckhand-drain", "t",
                null, null, START.toString(), START.toString(), START.toString(), 600, 0, 0, false);

        assertTrue(error.getMessage().contains("globalTimeoutSeconds"));
        assertEquals(START.plusSeconds(60000), old.globalTimeoutAt(), "100 x 600 s");
    }

    /** A message sent before `toWarmPool` was carried (an upgrade while a hook waits) reads as not into the pool. */
    @Test
    void aMessageFromBeforeToWarmPool_isReadAsNotIntoThePool_andANewOneKeepsIt() throws JsonProcessingException {
        String before = """
                {"version":1,"kind":"TERMINATE","eventId":"e1","instanceId":"i-1234567890abcdef0","autoScalingGroupName":"asg",
                 "lifecycleHookName":"deckhand-drain","lifecycleActionToken":"t","startedAt":"2026-11-22T10:00:00Z",
                 "deadlineAt":"2026-11-22T11:00:00Z","heartbeatAt":"2026-11-22T10:00:00Z","hookTimeoutSeconds":300,
                 "checks":2,"globalTimeoutSeconds":30000}""";
        EventParser parser = new EventParser();

        HookWaitState old = parser.mapper().readValue(before, HookWaitState.class);
        HookWaitState intoThePool = parser.mapper().readValue(before.replace("30000}", "30000,\"toWarmPool\":true}"), HookWaitState.class);

        assertFalse(old.toWarmPool());
        assertTrue(intoThePool.next(null).located("batch", "arn").toWarmPool(), "carried from check to check");
    }

    @Test
    void globalTimeout_isTheSmallerOf48HoursAnd100HeartbeatTimeouts() {
        assertEquals(3000, HookWaitState.globalTimeoutFor(30));
        assertEquals(172800, HookWaitState.globalTimeoutFor(3600));
    }

    @Test
    void deadline_configuredWhenWithinTheGlobalTimeout_elseCappedBeforeIt() {
        HookPlanner.Deadline own = HookPlanner.deadline(HookKind.TERMINATE, START, Duration.ofHours(1), 30000);
        HookPlanner.Deadline capped = HookPlanner.deadline(HookKind.LAUNCH, START, Duration.ofHours(2), 3000);

        assertEquals(START.plus(Duration.ofHours(1)), own.at());
        assertEquals("DECKHAND_DRAIN_DEADLINE", own.by());
        assertEquals(START.plusSeconds(3000).minus(HookPlanner.GLOBAL_TIMEOUT_MARGIN), capped.at());
        assertEquals("GlobalTimeout", capped.by());
        assertTrue(capped.why().contains("DECKHAND_LAUNCH_DEADLINE") && capped.why().contains("3000 s"), capped.why());
    }

    @Test
    void deadlineSetByTheGlobalTimeout_isNamedWhenTheWaitEndsByIt() {
        HookPlanner.Deadline capped = HookPlanner.deadline(HookKind.TERMINATE, START, Duration.ofHours(2), 3000);
        Instant at = capped.at();

        HookStep terminate = planner.next(withDeadline(HookKind.TERMINATE, 30, capped), "DRAINING", 2, true, at);
        HookStep launch = planner.next(withDeadline(HookKind.LAUNCH, 30, capped), null, 0, false, at);
        HookStep configured = planner.next(check(HookKind.TERMINATE, 300, START), "DRAINING", 2, true,
                START.plus(Duration.ofHours(1)));

        assertEquals("CONTINUE", terminate.result());
        assertTrue(terminate.reason().contains("GlobalTimeout (3000 s"), terminate.reason());
        assertEquals("ABANDON", launch.result());
        assertTrue(launch.reason().contains("GlobalTimeout"), launch.reason());
        assertFalse(configured.reason().contains("GlobalTimeout"), configured.reason());
    }

    @Test
    void atStart_launchIntoTheWarmPool_continuesAtOnce_everythingElseIsChecked() {
        HookStep intoPool = HookPlanner.atStart(HookKind.LAUNCH, "EC2", "WarmPool");

        assertTrue(intoPool.complete());
        assertEquals("CONTINUE", intoPool.result());
        assertEquals(null, HookPlanner.atStart(HookKind.LAUNCH, "WarmPool", "AutoScalingGroup"), "out of the pool: wait for the agent");
        assertEquals(null, HookPlanner.atStart(HookKind.LAUNCH, "EC2", "AutoScalingGroup"));
        assertEquals(null, HookPlanner.atStart(HookKind.LAUNCH, null, null));
        assertEquals(null, HookPlanner.atStart(HookKind.TERMINATE, "AutoScalingGroup", "WarmPool"), "back into the pool: drain");
    }

    @Test
    void retryDelay_shortAndEveryRetryLeftFitsBeforeTheHookTimesOut() {
        HookWaitState beatAtStart = check(HookKind.TERMINATE, 600, START);
        HookWaitState shortHook = check(HookKind.TERMINATE, 30, START);

        assertEquals(HookPlanner.MAX_RETRY_DELAY, HookPlanner.retryDelay(beatAtStart, 4, START.plusSeconds(30)));
        assertEquals(Duration.ofSeconds(4), HookPlanner.retryDelay(shortHook, 4, START.plusSeconds(10)), "20 s left, 4 retries");
        assertEquals(Duration.ofSeconds(1), HookPlanner.retryDelay(shortHook, 4, START.plusSeconds(40)), "already expired: at once");
        Duration nearGlobal = HookPlanner.retryDelay(check(HookKind.TERMINATE, 600, START.plusSeconds(59900)), 4,
                START.plusSeconds(59990));
        assertEquals(Duration.ofSeconds(2), nearGlobal, "10 s before the 60000 s GlobalTimeout");
    }
}
