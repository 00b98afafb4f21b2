package dev.deckhand.drain.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.core.config.ManagedClusters;
import dev.deckhand.core.event.EventTypes;
import dev.deckhand.drain.DrainConfig;
import dev.deckhand.emulator.AccountSeeder.SeededInstance;
import dev.deckhand.emulator.MovableClock;
import dev.deckhand.testkit.Envelopes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Lifecycle hooks end to end against the emulator: the event, the checks through the recheck
 * queue (delivered by {@link RecheckPoller} as Lambda's SQS event source would), heartbeats, and
 * the completion the emulator records.
 */
@Tag("emulator")
class LifecycleHookTest {

    private static final Instant EVENT_TIME = Instant.parse("2026-11-22T10:00:00Z");
    private static final String TOKEN = "87654321-4321-4321-4321-210987654321";
    private static final String TERMINATING = "autoscaling:EC2_INSTANCE_TERMINATING";
    private static final String LAUNCHING = "autoscaling:EC2_INSTANCE_LAUNCHING";

    private TestAccount account;
    private MovableClock clock;
    private SeededInstance target;
    private List<String> taskArns;

    private void seed(TestAccount fresh, int hookTimeoutSeconds) {
        account = fresh;
        clock = new MovableClock(EVENT_TIME.plusSeconds(2));
        account.seed.cluster("web");
        account.seed.cluster("batch");
        account.seed.instance("batch", "a", false);
        target = account.seed.instance("batch", "b", false);
        String td = account.seed.taskDefinition("worker", 256, 256, null);
        account.seed.service("batch", "worker", td, 2);
        taskArns = account.seed.serviceTasks("batch", "worker", td, List.of(target, target));
        account.aws.client(AutoScalingClient.builder(), TestAccount.REGION).putLifecycleHook(r -> r
                .autoScalingGroupName("batch-asg").lifecycleHookName("deckhand-drain").lifecycleTransition(TERMINATING)
                .heartbeatTimeout(hookTimeoutSeconds).defaultResult("CONTINUE"));
        account.aws.client(AutoScalingClient.builder(), TestAccount.REGION).putLifecycleHook(r -> r
                .autoScalingGroupName("batch-asg").lifecycleHookName("deckhand-launch").lifecycleTransition(LAUNCHING)
                .heartbeatTimeout(hookTimeoutSeconds).defaultResult("ABANDON"));
    }

    private DrainInstanceHandler handler(boolean dryRun) {
        return account.handler(account.config(ManagedClusters.of("web", "batch"), dryRun), clock);
    }

    static String lifecycleEvent(String detailType, String transition, String hook, String instanceId) {
        return Envelopes.event(EventTypes.SOURCE_AUTOSCALING, detailType).id("12345678-1234-1234-1234-123456789014").time(EVENT_TIME)
                .resources("arn:aws:autoscaling:us-east-2:123456789012:autoScalingGroup:x:autoScalingGroupName/batch-asg")
                .detail("""
                        {"LifecycleActionToken":"%s","AutoScalingGroupName":"batch-asg","LifecycleHookName":"%s",
                         "EC2InstanceId":"%s","LifecycleTransition":"%s"}""".formatted(TOKEN, hook, instanceId, transition)).json();
    }

    private String terminateEvent(String instanceId) {
        account.waitOnHook("batch-asg", "deckhand-drain", instanceId, TOKEN, TERMINATING);
        return lifecycleEvent("EC2 Instance-terminate Lifecycle Action", TERMINATING, "deckhand-drain", instanceId);
    }

    private void tasksLeave() {
        EcsClient ecs = account.aws.client(EcsClient.builder(), TestAccount.REGION);
        for (String task : taskArns) {
            ecs.stopTask(r -> r.cluster("batch").task(task).reason("replaced on another instance"));
        }
    }

    /** The tasks left, and their 30 s of STOPPING (the default stopTimeout) passed: they are STOPPED. */
    private void tasksStopped() {
        tasksLeave();
        account.aws.control("clock/advance", Map.of("seconds", 30));
        clock.advance(Duration.ofSeconds(30));
    }

    private String containerInstanceStatus() {
        return account.status(target);
    }

    @Test
    void terminate_drains_waitsWithHeartbeats_thenContinuesOnceTheTasksLeft() throws IOException {
        seed(new TestAccount(), 120);
        DrainInstanceHandler handler = handler(false);

        JsonNode first = TestAccount.invoke(handler, terminateEvent(target.ec2InstanceId()));

        assertEquals("WAITING", first.path("decision").asText());
        assertEquals("DRAIN", first.path("drain").path("decision").asText());
        assertEquals("DRAINING", containerInstanceStatus());
        RecheckPoller poller = new RecheckPoller(account, clock);
        poller.drainQueue(handler, 6);     // three minutes of checks with the tasks still there
        JsonNode waiting = account.lifecycleActions().get(0);
        assertEquals("WAITING", waiting.path("state").asText());
        assertTrue(waiting.path("heartbeats").size() >= 2, waiting.toString());

        tasksLeave();
        poller.drainQueue(handler, 100);

        JsonNode done = account.lifecycleActions().get(0);
        assertEquals("CONTINUE", done.path("state").asText());
        assertEquals(1, account.lifecycleActions().size());
    }

    /**
     * Done is every task on the instance STOPPED, not runningTasksCount 0: a task stopped for the
     * drain leaves that count at once, while it is still DEACTIVATING behind its load balancer and
     * then STOPPING ("Amazon ECS task lifecycle",
     * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-lifecycle-explanation.html).
     */
    @Test
    void terminate_tasksStillDeactivatingOrStopping_keepTheHookWaiting_untilTheyAreStopped() throws IOException {
        seed(new TestAccount(), 300);
        String targetGroup = account.aws.targetGroup(TestAccount.REGION, "web", 120);
        EcsClient ecs = account.aws.client(EcsClient.builder(), TestAccount.REGION);
        String td = account.seed.taskDefinition("web", 256, 256, 60);
        ecs.createService(r -> r.cluster("batch").serviceName("web").taskDefinition(td).desiredCount(1)
                .loadBalancers(lb -> lb.targetGroupArn(targetGroup).containerName("web").containerPort(80)));
        String web = account.seed.serviceTasks("batch", "web", td, List.of(target)).get(0);
        DrainInstanceHandler handler = handler(false);
        TestAccount.invoke(handler, terminateEvent(target.ec2InstanceId()));
        RecheckPoller poller = new RecheckPoller(account, clock);

        tasksLeave();
        ecs.stopTask(r -> r.cluster("batch").task(web).reason("replaced on another instance"));
        Instant stopped = clock.instant();
        poller.drainQueue(handler, poller.deliveries + 1);
        assertEquals(0, ecs.describeContainerInstances(r -> r.cluster("batch").containerInstances(target.containerInstanceArn()))
                .containerInstances().get(0).runningTasksCount());
        assertEquals("WAITING", account.lifecycleActions().get(0).path("state").asText(), "completed while a task is "
                + ecs.describeTasks(r -> r.cluster("batch").tasks(web)).tasks().get(0).lastStatus());
        poller.drainQueue(handler, 100);

        assertEquals("CONTINUE", account.lifecycleActions().get(0).path("state").asText());
        assertEquals("STOPPED", ecs.describeTasks(r -> r.cluster("batch").tasks(web)).tasks().get(0).lastStatus());
        assertTrue(!clock.instant().isBefore(stopped.plusSeconds(120 + 60)),
                "completed at " + clock.instant() + ", before the deregistration delay and stopTimeout since " + stopped);
    }

    @Test
    void terminate_heartbeatsNeverLetTheHookTimeOut() throws IOException {
        seed(new TestAccount(), 60);
        DrainInstanceHandler handler = handler(false);
        List<Instant> checks = new ArrayList<>();
        Instant[] lastBeat = {EVENT_TIME};

        TestAccount.invoke(handler, terminateEvent(target.ec2InstanceId()));
        RecheckPoller poller = new RecheckPoller(account, clock);
        for (int i = 0; i < 12; i++) {
            int beatsBefore = account.lifecycleActions().get(0).path("heartbeats").size();
            poller.drainQueue(handler, poller.deliveries + 1);
            checks.add(clock.instant());
            if (account.lifecycleActions().get(0).path("heartbeats").size() > beatsBefore) {
                lastBeat[0] = clock.instant();
            }
            assertTrue(Duration.between(lastBeat[0], clock.instant()).toSeconds() < 60,
                    "the hook would have timed out at check " + i + " (" + checks + ")");
        }
    }

    @Test
    void terminate_drainDeadline_completesAnywayWithTasksLeft() throws IOException {
        seed(new TestAccount(), 300);
        DrainInstanceHandler handler = account.handler(account.config(ManagedClusters.of("web", "batch"), false)
                .withDeadlines(Duration.ofMinutes(3), Duration.ofMinutes(15)), clock);

        TestAccount.invoke(handler, terminateEvent(target.ec2InstanceId()));
        new RecheckPoller(account, clock).drainQueue(handler, 100);

        assertEquals("CONTINUE", account.lifecycleActions().get(0).path("state").asText());
        assertTrue(Duration.between(EVENT_TIME, clock.instant()).toSeconds() >= 180);
    }

    @Test
    void terminate_instanceInNoManagedCluster_completesAtOnce_withoutQueueing() throws IOException {
        seed(new TestAccount(), 300);
        DrainInstanceHandler handler = handler(false);

        JsonNode result = TestAccount.invoke(handler, terminateEvent("i-0fedcba9876543210"));

        assertEquals("COMPLETED", result.path("decision").asText());
        assertEquals("CONTINUE", account.lifecycleActions().get(0).path("state").asText());
        assertTrue(!account.calls.calls().contains("sqs:SendMessage"), account.calls.calls().toString());
    }

    @Test
    void terminate_sameEventTwice_oneDrain_hookCompletedOnce_secondSeesItDone() throws IOException {
        seed(new TestAccount(), 300);
        DrainInstanceHandler handler = handler(false);
        String event = terminateEvent(target.ec2InstanceId());
        tasksStopped();

        JsonNode first = TestAccount.invoke(handler, event);
        JsonNode second = TestAccount.invoke(handler, event);

        assertEquals("COMPLETED", first.path("decision").asText());
        assertEquals("ALREADY_COMPLETED", second.path("decision").asText());
        assertEquals("CONTINUE", account.lifecycleActions().get(0).path("state").asText());
        assertTrue(!account.calls.calls().contains("ecs:UpdateContainerInstancesState"), "the second delivery does not drain again");
    }

    @Test
    void terminate_dryRun_drainsNothing_andLeavesTheHookAlone() throws IOException {
        seed(new TestAccount(), 300);

        JsonNode result = TestAccount.invoke(handler(true), terminateEvent(target.ec2InstanceId()));

        assertEquals("DRY_RUN", result.path("decision").asText());
        assertEquals("ACTIVE", containerInstanceStatus());
        assertEquals("WAITING", account.lifecycleActions().get(0).path("state").asText());
        assertEquals(0, account.lifecycleActions().get(0).path("heartbeats").size());
        List<String> mutating = account.calls.calls().stream().filter(c -> c.contains("Update") || c.contains("Complete")
                || c.contains("Heartbeat") || c.contains("SendMessage")).toList();
        assertEquals(List.of(), mutating);
    }

    @Test
    void terminate_hookThatIsNotDeckhands_isLeftAlone_withNoCall() throws IOException {
        seed(new TestAccount(), 300);

        JsonNode result = TestAccount.invoke(handler(false), lifecycleEvent("EC2 Instance-terminate Lifecycle Action",
                TERMINATING, "karpenter-drain", target.ec2InstanceId()));

        assertEquals("NOT_DECKHANDS_HOOK", result.path("decision").asText());
        assertEquals(List.of(), account.calls.calls());
    }

    @Test
    void launch_waitsForRegistration_thenContinues() throws IOException {
        seed(new TestAccount(), 300);
        DrainInstanceHandler handler = handler(false);
        String newInstance = account.seed.launch("a", false, null).instanceId();
        account.waitOnHook("batch-asg", "deckhand-launch", newInstance, TOKEN, LAUNCHING);

        JsonNode first = TestAccount.invoke(handler, lifecycleEvent("EC2 Instance-launch Lifecycle Action", LAUNCHING,
                "deckhand-launch", newInstance));
        RecheckPoller poller = new RecheckPoller(account, clock);
        poller.drainQueue(handler, 3);

        assertEquals("WAITING", first.path("decision").asText());
        assertEquals("WAITING", account.lifecycleActions().get(0).path("state").asText());
        String document = "{\"instanceId\":\"" + newInstance + "\",\"availabilityZone\":\"us-east-2a\",\"region\":\"us-east-2\"}";
        account.aws.client(EcsClient.builder(), TestAccount.REGION).registerContainerInstance(r -> r.cluster("batch")
                .instanceIdentityDocument(document));
        poller.drainQueue(handler, 100);

        assertEquals("CONTINUE", account.lifecycleActions().get(0).path("state").asText());
    }

    @Test
    void launch_neverRegisters_isAbandonedAtTheDeadline() throws IOException {
        seed(new TestAccount(), 300);
        DrainInstanceHandler handler = handler(false);
        String newInstance = account.seed.launch("a", false, null).instanceId();
        account.waitOnHook("batch-asg", "deckhand-launch", newInstance, TOKEN, LAUNCHING);

        TestAccount.invoke(handler, lifecycleEvent("EC2 Instance-launch Lifecycle Action", LAUNCHING, "deckhand-launch", newInstance));
        new RecheckPoller(account, clock).drainQueue(handler, 200);

        assertEquals("ABANDON", account.lifecycleActions().get(0).path("state").asText());
        assertTrue(Duration.between(EVENT_TIME, clock.instant()).compareTo(Duration.ofMinutes(15)) >= 0);
    }

    /** Fails the n-th AWS call (counting from 1) once, as a dropped connection would. */
    static final class FailNthCall implements ExecutionInterceptor {
        private final int n;
        private final AtomicInteger seen = new AtomicInteger();
        String failed;

        FailNthCall(int n) {
            this.n = n;
        }

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (seen.incrementAndGet() == n) {
                failed = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + ":"
                        + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
                throw SdkClientException.create("injected failure of call " + n + " (" + failed + ")");
            }
        }
    }

    /** Fails every call to one service, from the first. */
    static final class FailService implements ExecutionInterceptor {
        private final String service;

        FailService(String service) {
            this.service = service;
        }

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (service.equalsIgnoreCase(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME))) {
                throw SdkClientException.create("injected: " + service + " is down");
            }
        }
    }

    /** Lambda's asynchronous invocation: the event, then up to two retries when the handler throws. */
    private static void invokeAsync(DrainInstanceHandler handler, String event) {
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                TestAccount.invoke(handler, event);
                return;
            } catch (Exception e) {
                // Lambda retries
            }
        }
    }

    /**
     * Kills the flow at each of its AWS calls in turn (the first run counts them) and shows that
     * the hook is still completed, once, with CONTINUE, and the instance drained.
     */
    @Test
    void terminate_failureAtEveryStep_hookStillCompletesOnce() throws IOException {
        FailNthCall counter = new FailNthCall(0);
        seed(new TestAccount(counter), 120);
        DrainInstanceHandler clean = handler(false);
        invokeAsync(clean, terminateEvent(target.ec2InstanceId()));
        RecheckPoller cleanPoller = new RecheckPoller(account, clock);
        cleanPoller.drainQueue(clean, 3);
        tasksLeave();
        cleanPoller.drainQueue(clean, 100);
        int steps = counter.seen.get();
        assertTrue(steps >= 8, "the flow made " + steps + " calls");

        List<String> failedCalls = new ArrayList<>();
        for (int n = 1; n <= steps; n++) {
            FailNthCall failure = new FailNthCall(n);
            seed(new TestAccount(failure), 120);
            DrainInstanceHandler handler = handler(false);
            invokeAsync(handler, terminateEvent(target.ec2InstanceId()));
            RecheckPoller poller = new RecheckPoller(account, clock);
            poller.drainQueue(handler, 3);
            tasksLeave();
            poller.drainQueue(handler, 100);

            JsonNode actions = account.lifecycleActions();
            failedCalls.add(failure.failed);
            assertEquals(1, actions.size());
            assertEquals("CONTINUE", actions.get(0).path("state").asText(), "failure at call " + n + " (" + failure.failed + ")");
            assertEquals("DRAINING", containerInstanceStatus(), "failure at call " + n + " (" + failure.failed + ")");
        }
        System.out.println("kill-at-each-step: " + steps + " calls, failed in turn: " + failedCalls);
        assertTrue(failedCalls.stream().anyMatch(c -> c.endsWith(":UpdateContainerInstancesState")), failedCalls.toString());
        assertTrue(failedCalls.stream().anyMatch(c -> c.endsWith(":CompleteLifecycleAction")), failedCalls.toString());
        assertTrue(failedCalls.stream().anyMatch(c -> c.endsWith(":SendMessage")), failedCalls.toString());
    }

    @Test
    void terminate_ecsDownForGood_theLastReceiveCompletesTheHook() throws IOException {
        seed(new TestAccount(new FailService("ECS")), 300);
        DrainInstanceHandler handler = handler(false);

        invokeAsync(handler, terminateEvent(target.ec2InstanceId()));
        new RecheckPoller(account, clock).drainQueue(handler, 50);

        JsonNode action = account.lifecycleActions().get(0);
        assertEquals("CONTINUE", action.path("state").asText());
        assertEquals("CompleteLifecycleAction", action.path("endedBy").asText(),
                "Deckhand completes the hook before its 300 s timeout, not Auto Scaling: " + action);
    }

    /** Fails the next calls to one service, as many as asked, as an outage of a few seconds would. */
    static final class FailNextCalls implements ExecutionInterceptor {
        private final String service;
        private final AtomicInteger left = new AtomicInteger();

        FailNextCalls(String service) {
            this.service = service;
        }

        void failNext(int calls) {
            left.set(calls);
        }

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (service.equalsIgnoreCase(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME))
                    && left.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw SdkClientException.create("injected: " + service + " failed this call");
            }
        }
    }

    /**
     * Issue 16, point 3: a failed recheck used to come back only after the queue's 360 s visibility
     * timeout; two in a row outlast a 600 s hook, which Auto Scaling then ends by its timeout.
     */
    @Test
    void terminate_failedRechecks_areRetriedWithinTheHooksTimeLeft_andTheHookNeverTimesOut() throws IOException {
        FailNextCalls ecsOutage = new FailNextCalls("ECS");
        seed(new TestAccount(ecsOutage), 600);
        DrainInstanceHandler handler = handler(false);
        TestAccount.invoke(handler, terminateEvent(target.ec2InstanceId()));
        RecheckPoller poller = new RecheckPoller(account, clock);
        poller.drainQueue(handler, 9);

        ecsOutage.failNext(2);
        poller.drainQueue(handler, poller.deliveries + 12);
        JsonNode during = account.lifecycleActions().get(0);
        tasksLeave();
        poller.drainQueue(handler, 200);

        assertEquals("WAITING", during.path("state").asText(), "still waiting after the failed checks: " + during);
        JsonNode action = account.lifecycleActions().get(0);
        assertEquals("CompleteLifecycleAction", action.path("endedBy").asText(), action.toString());
        assertEquals("CONTINUE", action.path("state").asText());
        double previous = action.path("startedAt").asDouble();
        for (JsonNode beat : action.path("heartbeats")) {
            assertTrue(beat.asDouble() - previous < 600, "no heartbeat for " + (beat.asDouble() - previous) + " s: " + action);
            previous = beat.asDouble();
        }
    }

    /**
     * Issue 16, point 2: a hook's GlobalTimeout (100 x its 30 s HeartbeatTimeout: 3000 s) ends the
     * wait whatever the heartbeats, so a 2 h DECKHAND_DRAIN_DEADLINE is capped by it; Deckhand says
     * so when the wait starts and completes the hook itself before it, naming it.
     */
    @Test
    void terminate_drainDeadlineBeyondTheGlobalTimeout_isCappedByIt_andDeckhandCompletesTheHookNamingIt() throws IOException {
        seed(new TestAccount(), 30);
        DrainInstanceHandler handler = account.handler(account.config(ManagedClusters.of("web", "batch"), false)
                .withDeadlines(Duration.ofHours(2), Duration.ofMinutes(15)), clock);
        String event = terminateEvent(target.ec2InstanceId());

        String logs = SignalsTest.captureLogs(() -> {
            TestAccount.invoke(handler, event);
            new RecheckPoller(account, clock).drainQueue(handler, 1000);
        });

        JsonNode action = account.lifecycleActions().get(0);
        assertEquals("CompleteLifecycleAction", action.path("endedBy").asText(), action.toString());
        assertEquals("CONTINUE", action.path("state").asText());
        assertTrue(Duration.between(EVENT_TIME, clock.instant()).toSeconds() < 3000, clock.instant().toString());
        String start = logs.lines().filter(l -> l.contains("deadlineBy")).findFirst().orElse("");
        assertTrue(start.contains("GlobalTimeout") && start.contains("3000"), "the start of the wait names the cap: " + start);
        String completed = logs.lines().filter(l -> l.contains("lifecycle hook completed")).findFirst().orElse("");
        assertTrue(completed.contains("GlobalTimeout"), "the completion names it: " + completed);
    }

    /** Issue 16, point 2, for a launch hook: ABANDONed by Deckhand before the GlobalTimeout, naming it. */
    @Test
    void launch_launchDeadlineBeyondTheGlobalTimeout_isAbandonedBeforeIt() throws IOException {
        seed(new TestAccount(), 30);
        DrainInstanceHandler handler = account.handler(account.config(ManagedClusters.of("web", "batch"), false)
                .withDeadlines(Duration.ofHours(1), Duration.ofHours(2)), clock);
        String newInstance = account.seed.launch("a", false, null).instanceId();
        account.waitOnHook("batch-asg", "deckhand-launch", newInstance, TOKEN, LAUNCHING);

        String logs = SignalsTest.captureLogs(() -> {
            TestAccount.invoke(handler, lifecycleEvent("EC2 Instance-launch Lifecycle Action", LAUNCHING, "deckhand-launch",
                    newInstance));
            new RecheckPoller(account, clock).drainQueue(handler, 1000);
        });

        JsonNode action = account.lifecycleActions().get(0);
        assertEquals("CompleteLifecycleAction", action.path("endedBy").asText(), action.toString());
        assertEquals("ABANDON", action.path("state").asText());
        String completed = logs.lines().filter(l -> l.contains("lifecycle hook completed")).findFirst().orElse("");
        assertTrue(completed.contains("GlobalTimeout"), completed);
    }

    /**
     * AWS's documented scale-out event into a warm pool (EC2 Auto Scaling User Guide, "Warm pool
     * example events and patterns",
     * https://docs.aws.amazon.com/autoscaling/ec2/userguide/warm-pools-eventbridge-events.html),
     * with this test account's region, group, hook and instance.
     */
    private String warmPoolEvent(String resource, String instanceId) throws IOException {
        try (var in = LifecycleHookTest.class.getResourceAsStream("/events/" + resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("i-1234567890abcdef0", instanceId).replace("2021-01-13T00:12:37.214Z", EVENT_TIME.toString());
        }
    }

    /** Issue 16, point 4: the ECS agent does not register in the pool; nothing to wait for. */
    @Test
    void launch_intoTheWarmPool_continuesAtOnce() throws IOException {
        seed(new TestAccount(), 300);
        DrainInstanceHandler handler = handler(false);
        String newInstance = account.seed.launch("a", false, null).instanceId();
        account.waitOnHook("batch-asg", "deckhand-launch", newInstance, TOKEN, LAUNCHING);

        JsonNode result = TestAccount.invoke(handler, warmPoolEvent("lifecycle-launch-into-warm-pool.json", newInstance));

        assertEquals("COMPLETED", result.path("decision").asText(), result.toString());
        assertEquals("CONTINUE", result.path("result").asText());
        assertTrue(result.path("reason").asText().contains("warm pool"), result.toString());
        JsonNode action = account.lifecycleActions().get(0);
        assertEquals("CONTINUE", action.path("state").asText());
        assertEquals("CompleteLifecycleAction", action.path("endedBy").asText());
        assertTrue(!account.calls.calls().contains("sqs:SendMessage"), account.calls.calls().toString());
        assertTrue(account.calls.calls().stream().noneMatch(c -> c.startsWith("ecs:")), account.calls.calls().toString());
    }

    @Test
    void launch_intoTheWarmPool_dryRun_decidesAndLogs_butLeavesTheHookAlone() throws IOException {
        seed(new TestAccount(), 300);
        String newInstance = account.seed.launch("a", false, null).instanceId();
        account.waitOnHook("batch-asg", "deckhand-launch", newInstance, TOKEN, LAUNCHING);

        JsonNode result = TestAccount.invoke(handler(true), warmPoolEvent("lifecycle-launch-into-warm-pool.json", newInstance));

        assertEquals("DRY_RUN", result.path("decision").asText(), result.toString());
        assertEquals("CONTINUE", result.path("result").asText());
        assertEquals("WAITING", account.lifecycleActions().get(0).path("state").asText());
        assertTrue(account.calls.calls().stream().noneMatch(c -> c.contains("Complete") || c.contains("SendMessage")),
                account.calls.calls().toString());
    }

    /** Issue 16, point 4: an instance going back into the pool on scale in stops like any other: drain first. */
    @Test
    void terminate_backIntoTheWarmPool_stillDrains_andContinuesOnceTheTasksLeft() throws IOException {
        seed(new TestAccount(), 300);
        DrainInstanceHandler handler = handler(false);
        account.waitOnHook("batch-asg", "deckhand-drain", target.ec2InstanceId(), TOKEN, TERMINATING);

        JsonNode first = TestAccount.invoke(handler, warmPoolEvent("lifecycle-terminate-into-warm-pool.json",
                target.ec2InstanceId()));

        assertEquals("WAITING", first.path("decision").asText(), first.toString());
        assertEquals("DRAIN", first.path("drain").path("decision").asText());
        assertEquals("DRAINING", containerInstanceStatus());
        tasksLeave();
        new RecheckPoller(account, clock).drainQueue(handler, 100);
        JsonNode action = account.lifecycleActions().get(0);
        assertEquals("CONTINUE", action.path("state").asText());
        assertEquals("CompleteLifecycleAction", action.path("endedBy").asText());
    }

    /** Scale-in back into the warm pool: the terminate hook drains the target, its tasks stop, the hook continues. */
    private RecheckPoller drainedIntoTheWarmPool(DrainInstanceHandler handler) throws IOException {
        account.waitOnHook("batch-asg", "deckhand-drain", target.ec2InstanceId(), TOKEN, TERMINATING);
        TestAccount.invoke(handler, warmPoolEvent("lifecycle-terminate-into-warm-pool.json", target.ec2InstanceId()));
        tasksStopped();
        RecheckPoller poller = new RecheckPoller(account, clock);
        poller.drainQueue(handler, 100);
        return poller;
    }

    /**
     * Issue 16: an instance Deckhand drained on its way into the warm pool comes back as the same
     * container instance, still DRAINING ("remains in a DRAINING state until it is activated again or
     * deleted", https://docs.aws.amazon.com/AmazonECS/latest/developerguide/container-instance-draining.html).
     * Its launch out of the pool (Origin WarmPool, Destination AutoScalingGroup: "Warm pool example
     * events and patterns", https://docs.aws.amazon.com/autoscaling/ec2/userguide/warm-pools-eventbridge-events.html)
     * sets it ACTIVE again, and the launch hook then continues.
     */
    @Test
    void launch_outOfTheWarmPool_ofAnInstanceDeckhandDrainedIntoIt_isActiveAgain() throws IOException {
        seed(new TestAccount(), 300);
        DrainInstanceHandler handler = handler(false);
        RecheckPoller poller = drainedIntoTheWarmPool(handler);
        assertEquals("CONTINUE", account.lifecycleActions().get(0).path("state").asText());
        assertEquals("DRAINING", containerInstanceStatus(), "in the pool, the same container instance stays DRAINING");

        String outToken = "87654321-4321-4321-4321-210987654399";
        account.waitOnHook("batch-asg", "deckhand-launch", target.ec2InstanceId(), outToken, LAUNCHING);
        String outOfThePool = warmPoolEvent("lifecycle-launch-into-warm-pool.json", target.ec2InstanceId())
                .replace("\"Origin\": \"EC2\"", "\"Origin\": \"WarmPool\"")
                .replace("\"Destination\": \"WarmPool\"", "\"Destination\": \"AutoScalingGroup\"")
                .replace(TOKEN, outToken);
        TestAccount.invoke(handler, outOfThePool);
        poller.drainQueue(handler, poller.deliveries + 20);

        assertEquals("ACTIVE", containerInstanceStatus());
        assertEquals("CONTINUE", account.lifecycleActions().get(1).path("state").asText(), account.lifecycleActions().toString());
    }

    /**
     * A group without a launch hook: the instance Deckhand drained on its way into a stopped warm pool
     * comes out with no lifecycle event to Deckhand, only EC2's state change to running. Drained for a
     * stop (it comes back), it is re-activated then, as any stopped instance Deckhand drained.
     */
    @Test
    void terminate_backIntoTheWarmPool_drainsForAStop_soRunningAgainReactivates() throws IOException {
        seed(new TestAccount(), 300);
        DrainInstanceHandler handler = handler(false);
        drainedIntoTheWarmPool(handler);
        EcsClient ecs = account.aws.client(EcsClient.builder(), TestAccount.REGION);
        assertEquals("stop", ecs.listTagsForResource(r -> r.resourceArn(target.containerInstanceArn())).tags().stream()
                .filter(t -> t.key().equals("deckhand:drained-for")).findFirst().orElseThrow().value());

        JsonNode running = TestAccount.invoke(handler, SignalsTest.stateChange(target.ec2InstanceId(), "running", EVENT_TIME));

        assertEquals("REACTIVATE", running.path("decision").asText(), running.toString());
        assertEquals("ACTIVE", containerInstanceStatus());
    }

    /**
     * The SDK sends a SendMessage again when its answer was lost after SQS took it: two messages with
     * one body. A copy in the batch of its first is dropped, so one wait does not become two.
     */
    @Test
    void recheck_theSameBodyTwiceInABatch_isCheckedOnce() throws IOException {
        seed(new TestAccount(), 300);
        DrainInstanceHandler handler = handler(false);
        TestAccount.invoke(handler, terminateEvent(target.ec2InstanceId()));
        account.aws.control("sqs/release-delayed", Map.of("region", TestAccount.REGION, "queue", "DrainRecheckQueue", "inFlight", true));
        SqsClient sqs = account.aws.client(SqsClient.builder(), TestAccount.REGION);
        String body = sqs.receiveMessage(r -> r.queueUrl(account.queueUrl)).messages().get(0).body();
        account.calls.reset();
        ObjectNode batch = TestAccount.JSON.createObjectNode();
        ArrayNode records = batch.putArray("Records");
        for (String id : List.of("m-1", "m-2")) {
            ObjectNode record = records.addObject().put("messageId", id).put("receiptHandle", "r-" + id)
                    .put("body", body).put("eventSource", "aws:sqs");
            record.putObject("attributes").put("ApproximateReceiveCount", "1");
        }

        JsonNode answer = TestAccount.invoke(handler, batch.toString());

        assertEquals(0, answer.path("batchItemFailures").size(), answer.toString());
        assertEquals(1, account.calls.calls().stream().filter("sqs:SendMessage"::equals).count(), account.calls.calls().toString());
    }

    @Test
    void recheck_malformedMessage_isReportedAsAFailure_andChangesNothing() throws IOException {
        seed(new TestAccount(), 300);
        String batch = """
                {"Records":[{"messageId":"m-1","receiptHandle":"r","body":"{\\"version\\":1,\\"kind\\":\\"TERMINATE\\"}",
                  "attributes":{"ApproximateReceiveCount":"1"},"eventSource":"aws:sqs"}]}
                """;

        JsonNode answer = TestAccount.invoke(handler(false), batch);

        assertEquals("m-1", answer.path("batchItemFailures").get(0).path("itemIdentifier").asText());
        assertEquals(List.of(), account.calls.calls());
    }
}
