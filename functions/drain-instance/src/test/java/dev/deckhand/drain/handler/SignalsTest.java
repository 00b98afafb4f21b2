package dev.deckhand.drain.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.core.config.DisruptionBudget;
import dev.deckhand.core.config.ManagedClusters;
import dev.deckhand.core.config.RebalancePolicy;
import dev.deckhand.core.event.BadEventException;
import dev.deckhand.core.event.EventTypes;
import dev.deckhand.drain.DrainConfig;
import dev.deckhand.drain.planner.RetirementDeferral;
import dev.deckhand.emulator.AccountSeeder.SeededInstance;
import dev.deckhand.emulator.LocalAws;
import dev.deckhand.emulator.MovableClock;
import dev.deckhand.testkit.Envelopes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.Command;
import software.amazon.awssdk.services.ssm.model.SsmException;

/** Every drain signal but the lifecycle hooks, against the emulator; and one drain per instance whatever the signals. */
@Tag("emulator")
class SignalsTest {

    private static final Instant EVENT_TIME = Instant.parse("2026-11-22T10:00:00Z");
    private static final MovableClock CLOCK = new MovableClock(EVENT_TIME.plusSeconds(5));

    private TestAccount account;
    private SeededInstance target;

    @BeforeEach
    void seed() {
        account = new TestAccount();
        account.seed.cluster("batch");
        target = account.seed.instance("batch", "a", true);
        account.seed.instance("batch", "b", false);
    }

    private DrainInstanceHandler handler(DrainConfig config) {
        return account.handler(config, CLOCK);
    }

    private DrainConfig config() {
        return account.config(ManagedClusters.of("batch"), false);
    }

    private static Envelopes.Event event(String source, String detailType) {
        return Envelopes.event(source, detailType).freshId().time(EVENT_TIME);
    }

    static String spot(String id) {
        return event(EventTypes.SOURCE_EC2, EventTypes.SPOT_INTERRUPTION_WARNING)
                .detail("{\"instance-id\":\"" + id + "\",\"instance-action\":\"terminate\"}").json();
    }

    static String rebalance(String id) {
        return event(EventTypes.SOURCE_EC2, EventTypes.REBALANCE_RECOMMENDATION).detail("{\"instance-id\":\"" + id + "\"}").json();
    }

    static String stateChange(String id, String state) {
        return event(EventTypes.SOURCE_EC2, EventTypes.INSTANCE_STATE_CHANGE)
                .detail("{\"instance-id\":\"" + id + "\",\"state\":\"" + state + "\"}").json();
    }

    /** A state change of its own (a fresh id) at {@code time}. */
    static String stateChange(String id, String state, Instant time) {
        return event(EventTypes.SOURCE_EC2, EventTypes.INSTANCE_STATE_CHANGE).freshId().time(time)
                .detail("{\"instance-id\":\"" + id + "\",\"state\":\"" + state + "\"}").json();
    }

    static String retirement(String id) {
        return event(EventTypes.SOURCE_DECKHAND, EventTypes.INSTANCE_RETIREMENT_REQUESTED).detail("{\"schemaVersion\":1,\"instance-id\":\"" + id
                + "\",\"cluster\":\"batch\",\"reason\":\"AMI is outdated\",\"requestedBy\":\"rotate-ami\"}").json();
    }

    private String status() {
        return account.status(target);
    }

    @Test
    void rebalance_drainPolicy_drainsWhenTheGroupHasCapacityRebalancing() throws IOException {
        account.inGroup(target.ec2InstanceId(), "batch-asg", true);

        JsonNode result = TestAccount.invoke(handler(config()), rebalance(target.ec2InstanceId()));

        assertEquals("DRAIN", result.path("decision").asText());
        assertEquals("REBALANCE_RECOMMENDATION", result.path("trigger").asText());
        assertTrue(result.path("reason").asText().contains("batch-asg"), result.path("reason").asText());
        assertEquals("DRAINING", status());
    }

    /** Issue 16 point 6: nothing replaces the instance, so a drain would strand it DRAINING; it is only announced. */
    @Test
    void rebalance_drainPolicy_withoutCapacityRebalancing_notifies_andLeavesItActive() throws IOException {
        JsonNode inNoGroup = TestAccount.invoke(handler(config()), rebalance(target.ec2InstanceId()));
        account.inGroup(target.ec2InstanceId(), "batch-asg", false);
        JsonNode inPlainGroup = TestAccount.invoke(handler(config()), rebalance(target.ec2InstanceId()));

        assertEquals("NOTIFY", inNoGroup.path("decision").asText());
        assertEquals("NOTIFY", inPlainGroup.path("decision").asText());
        assertTrue(inPlainGroup.path("reason").asText().contains("Capacity Rebalancing"), inPlainGroup.path("reason").asText());
        assertEquals("ACTIVE", status());
        assertTrue(!account.calls.calls().contains("ecs:UpdateContainerInstancesState"));
        assertTrue(!account.calls.calls().contains("ecs:TagResource"));
    }

    @Test
    void drain_tagsTheContainerInstanceWithWhyAndWhen() throws IOException {
        JsonNode result = TestAccount.invoke(handler(config()), spot(target.ec2InstanceId()));

        Map<String, String> tags = account.tags(target);
        assertEquals("SPOT_INTERRUPTION", tags.get("deckhand:drained-by"));
        assertEquals(result.path("eventId").asText(), tags.get("deckhand:drain-event"));
        assertTrue(tags.containsKey("deckhand:drained-at"));
    }

    /** The drain call reaches ECS but its answer is lost: Lambda's retry finishes that drain, once. */
    @Test
    void drainCallAnswerLost_theRetryFinishesTheWork_withOneDrainCallAndOneNotificationLine() throws IOException {
        TestAccount lossy = new TestAccount(new LoseAnswerOnce("UpdateContainerInstancesState"));
        lossy.seed.cluster("batch");
        SeededInstance instance = lossy.seed.instance("batch", "a", true);
        DrainInstanceHandler handler = lossy.handler(DrainConfig.defaults(ManagedClusters.of("batch"), false, TestAccount.REGION,
                lossy.queueUrl), CLOCK);
        String event = spot(instance.ec2InstanceId());
        List<String> drainCalls = new ArrayList<>();
        JsonNode[] retried = new JsonNode[1];

        String logs = captureLogs(() -> {
            assertThrows(RuntimeException.class, () -> TestAccount.invoke(handler, event));
            lossy.calls.calls().stream().filter("ecs:UpdateContainerInstancesState"::equals).forEach(drainCalls::add);
            retried[0] = TestAccount.invoke(handler, event);
            lossy.calls.calls().stream().filter("ecs:UpdateContainerInstancesState"::equals).forEach(drainCalls::add);
        });

        assertEquals("DRAIN", retried[0].path("decision").asText());
        assertTrue(retried[0].path("reason").asText().contains("earlier attempt"));
        assertEquals(1, drainCalls.size(), "the retry makes no second drain call");
        assertEquals(1, logs.lines().filter(line -> line.contains("\"notification\":true")).count());
    }

    /** Lets the call reach AWS, then fails it as a lost answer would (once). */
    static final class LoseAnswerOnce implements ExecutionInterceptor {
        private final String operation;
        private boolean lost;

        LoseAnswerOnce(String operation) {
            this.operation = operation;
        }

        @Override
        public void afterExecution(Context.AfterExecution context,
                                   ExecutionAttributes attributes) {
            if (!lost && operation.equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))) {
                lost = true;
                throw SdkClientException.create("injected: the answer to " + operation + " was lost");
            }
        }
    }

    @Test
    void rebalance_notifyPolicy_findsTheInstance_andChangesNothing() throws IOException {
        JsonNode result = TestAccount.invoke(handler(config().withRebalancePolicy(RebalancePolicy.NOTIFY)),
                rebalance(target.ec2InstanceId()));

        assertEquals("NOTIFY", result.path("decision").asText());
        assertEquals("batch", result.path("cluster").asText());
        assertEquals("ACTIVE", status());
        assertTrue(!account.calls.calls().contains("ecs:UpdateContainerInstancesState"));
    }

    @Test
    void rebalance_ignorePolicy_makesNoCallAtAll() throws IOException {
        JsonNode result = TestAccount.invoke(handler(config().withRebalancePolicy(RebalancePolicy.IGNORE)),
                rebalance(target.ec2InstanceId()));

        assertEquals("IGNORED", result.path("decision").asText());
        assertEquals(List.of(), account.calls.calls());
    }

    @Test
    void stateChange_stoppingAndShuttingDown_drain() throws IOException {
        SeededInstance other = account.seed.instance("batch", "a", false);
        DrainInstanceHandler handler = handler(config());

        assertEquals("DRAIN", TestAccount.invoke(handler, stateChange(target.ec2InstanceId(), "stopping")).path("decision").asText());
        assertEquals("DRAIN", TestAccount.invoke(handler, stateChange(other.ec2InstanceId(), "shutting-down")).path("decision").asText());
    }

    @Test
    void stateChange_otherStates_areRefused_withNoCall() {
        DrainInstanceHandler handler = handler(config());

        BadEventException error = assertThrows(BadEventException.class,
                () -> TestAccount.invoke(handler, stateChange(target.ec2InstanceId(), "pending")));

        assertTrue(error.getMessage().contains("detail.state"), error.getMessage());
        assertEquals(List.of(), account.calls.calls());
    }

    @Test
    void retirement_drains_andTheSampleMatchesTheSchema() throws IOException {
        JsonNode result = TestAccount.invoke(handler(config()), retirement(target.ec2InstanceId()));

        assertEquals("DRAIN", result.path("decision").asText());
        assertEquals("RETIREMENT", result.path("trigger").asText());
    }

    // Issue 17 point 13: a retirement drains within the cluster's disruption budget (RotateMaxDraining, RotateMaxDrainingPercent).

    private String setStatus(String containerInstanceArn, String status) {
        account.aws.client(EcsClient.builder(), TestAccount.REGION).updateContainerInstancesState(r -> r.cluster("batch")
                .containerInstances(containerInstanceArn).status(status));
        return status;
    }

    @Test
    void retirement_withTheBudgetFull_waitsOnTheRecheckQueue_andDrainsOnceTheOtherDrainIsDone() throws IOException {
        SeededInstance other = account.seed.instance("batch", "c", false);
        setStatus(other.containerInstanceArn(), "DRAINING"); // 1 of 3 draining: the budget (2, 25%) allows 1
        DrainInstanceHandler handler = handler(config());

        JsonNode deferred = TestAccount.invoke(handler, retirement(target.ec2InstanceId()));

        assertEquals("DEFERRED", deferred.path("decision").asText(), deferred.toString());
        assertTrue(deferred.path("reason").asText().contains("1 of 3 instances DRAINING, its budget 1"), deferred.toString());
        assertEquals("ACTIVE", status());
        assertTrue(!account.calls.calls().contains("ecs:UpdateContainerInstancesState"));

        setStatus(other.containerInstanceArn(), "ACTIVE"); // its drain is over (here: back in service)
        RecheckPoller poller = new RecheckPoller(account, CLOCK);
        poller.drainQueue(handler, 5);

        assertEquals(1, poller.deliveries);
        assertEquals("DRAINING", status());
    }

    @Test
    void retirement_withTheBudgetFullForAnHour_isGivenUp_andNothingIsDrained() throws IOException {
        SeededInstance other = account.seed.instance("batch", "c", false);
        setStatus(other.containerInstanceArn(), "DRAINING");
        DrainInstanceHandler handler = handler(config());

        TestAccount.invoke(handler, retirement(target.ec2InstanceId()));
        RecheckPoller poller = new RecheckPoller(account, CLOCK);
        poller.drainQueue(handler, 30);

        assertEquals(RetirementDeferral.MAX_DEFERRALS, poller.deliveries, "bounded: twelve waits, then given up");
        assertEquals("ACTIVE", status());
        assertTrue(!account.calls.calls().contains("ecs:UpdateContainerInstancesState"));
    }

    @Test
    void retirement_underALargerBudget_drainsAtOnce() throws IOException {
        SeededInstance other = account.seed.instance("batch", "c", false);
        setStatus(other.containerInstanceArn(), "DRAINING");
        DrainConfig roomy = config().withRetirementBudget(new DisruptionBudget(2, 100));

        JsonNode result = TestAccount.invoke(handler(roomy), retirement(target.ec2InstanceId()));

        assertEquals("DRAIN", result.path("decision").asText(), result.toString());
        assertEquals("DRAINING", status());
    }

    @Test
    void retirement_dryRun_withTheBudgetFull_sendsNothing() throws IOException {
        SeededInstance other = account.seed.instance("batch", "c", false);
        setStatus(other.containerInstanceArn(), "DRAINING");

        JsonNode result = TestAccount.invoke(handler(account.config(ManagedClusters.of("batch"), true)), retirement(target.ec2InstanceId()));

        assertEquals("DRY_RUN_DEFERRED", result.path("decision").asText(), result.toString());
        assertTrue(!account.calls.calls().contains("sqs:SendMessage"), account.calls.calls().toString());
    }

    /** Issue 17 point 12: a managed cluster deleted since (DECKHAND_CLUSTERS still names it) is skipped; the search goes on. */
    @Test
    void spotWarning_withADeletedManagedCluster_skipsIt_andDrainsInTheOther() throws IOException {
        account.seed.cluster("retired");
        account.aws.client(EcsClient.builder(), TestAccount.REGION).deleteCluster(r -> r.cluster("retired"));

        JsonNode result = TestAccount.invoke(handler(account.config(ManagedClusters.of("retired", "batch"), false)), spot(target.ec2InstanceId()));

        assertEquals("DRAIN", result.path("decision").asText(), result.toString());
        assertEquals("batch", result.path("cluster").asText());
        assertEquals("DRAINING", status());
    }

    /** Every order of four signals for one instance: one drain call, one notification line. */
    @Test
    void oneDrainPerInstance_whateverTheSignalsAndTheirOrder() throws IOException {
        List<List<Integer>> orders = List.of(List.of(0, 1, 2, 3), List.of(3, 2, 1, 0), List.of(1, 3, 0, 2), List.of(2, 0, 3, 1));
        for (List<Integer> order : orders) {
            seed();
            String id = target.ec2InstanceId();
            account.inGroup(id, "batch-asg", true); // a rebalance recommendation drains only where a replacement comes
            String token = "87654321-4321-4321-4321-210987654321";
            account.waitOnHook("batch-asg", "deckhand-drain", id, token, "autoscaling:EC2_INSTANCE_TERMINATING");
            account.aws.client(AutoScalingClient.builder(), TestAccount.REGION).putLifecycleHook(r -> r.autoScalingGroupName("batch-asg")
                    .lifecycleHookName("deckhand-drain").lifecycleTransition("autoscaling:EC2_INSTANCE_TERMINATING").heartbeatTimeout(300));
            List<String> signals = List.of(spot(id), rebalance(id), stateChange(id, "shutting-down"),
                    LifecycleHookTest.lifecycleEvent("EC2 Instance-terminate Lifecycle Action", "autoscaling:EC2_INSTANCE_TERMINATING",
                            "deckhand-drain", id));
            DrainInstanceHandler handler = handler(config());
            List<String> drainCalls = new ArrayList<>();
            String logs = captureLogs(() -> {
                for (int index : order) {
                    for (int delivery = 0; delivery < 2; delivery++) { // each one twice
                        TestAccount.invoke(handler, signals.get(index));
                        account.calls.calls().stream().filter("ecs:UpdateContainerInstancesState"::equals).forEach(drainCalls::add);
                    }
                }
            });

            assertEquals(1, drainCalls.size(), "order " + order);
            assertEquals(1, logs.lines().filter(line -> line.contains("\"notification\":true")).count(), "order " + order);
            assertEquals("DRAINING", status());
        }
    }

    @Test
    void preDrainCommand_isSentAfterTheDrain_toThatInstanceOnly() throws IOException {
        DrainConfig config = config().withPreDrain("AWS-RunShellScript", Map.of("commands", List.of("systemctl kill -s USR1 fluent-bit")));

        JsonNode result = TestAccount.invoke(handler(config), spot(target.ec2InstanceId()));

        List<String> calls = account.calls.calls();
        assertTrue(calls.indexOf("ecs:UpdateContainerInstancesState") < calls.indexOf("ssm:SendCommand"), calls.toString());
        List<Command> commands = account.aws.client(SsmClient.builder(), TestAccount.REGION).listCommands().commands();
        assertEquals(1, commands.size());
        assertEquals(List.of(target.ec2InstanceId()), commands.get(0).instanceIds());
        assertEquals("AWS-RunShellScript", commands.get(0).documentName());
        assertEquals(commands.get(0).commandId(), result.path("preDrainCommandId").asText());
    }

    @Test
    void preDrainCommand_ssmUnreachable_isLogged_andTheDrainStands() throws IOException {
        DrainConfig config = config().withPreDrain("AWS-RunShellScript", Map.of("commands", List.of("echo flush")));
        SsmClient unreachable = SsmClient.builder().region(Region.of(TestAccount.REGION)).credentialsProvider(LocalAws.credentials())
                .endpointOverride(URI.create("http://127.0.0.1:9")).httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.addExecutionInterceptor(account.calls)).build();
        DrainInstanceHandler handler = new DrainInstanceHandler(config, account.ecs, account.ec2, account.autoscaling, account.sqs, unreachable,
                account.calls, CLOCK);
        String[] result = new String[1];

        String logs = captureLogs(() -> result[0] = TestAccount.invoke(handler, spot(target.ec2InstanceId())).path("decision").asText());

        assertEquals("DRAIN", result[0]);
        assertEquals("DRAINING", status());
        assertTrue(logs.contains("pre-drain command was not sent"), logs);
    }

    @Test
    void preDrainCommand_refusedBySsm_namesSsmsError_andTheDrainStands() throws IOException {
        DrainConfig config = config().withPreDrain("AWS-RunShellScript", Map.of("commands", List.of("echo flush")));
        SsmException refused = assertThrows(SsmException.class, () -> account.aws.client(SsmClient.builder(), TestAccount.REGION).sendCommand(r -> r
                .instanceIds("i-1234567890abcdef0").documentName("No-Such-Document").timeoutSeconds(60).comment("test")));
        String logs = captureLogs(() -> TestAccount.invoke(handler(config.withPreDrain("No-Such-Document", Map.of())),
                spot(target.ec2InstanceId())));

        assertTrue(refused.awsErrorDetails().errorCode().startsWith("Invalid"), refused.getMessage());
        assertEquals("DRAINING", status());
        assertTrue(logs.contains("pre-drain command was not sent"), logs);
    }

    interface Body {
        void run() throws IOException;
    }

    static String captureLogs(Body body) throws IOException {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
