package dev.deckhand.local.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.emulator.DeckhandHome;
import dev.deckhand.local.demo.DemoAccount;
import dev.deckhand.local.lambda.Invocation;
import dev.deckhand.local.scheduler.SchedulerEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** deckhand replay end to end: emulator, demo account, routing, a real function JVM through the Lambda runtime client. */
@Tag("emulator")
class ReplayTest {

    private static final Path HOME = DeckhandHome.find();
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReplayCommand.Outcome replay(Path event, String... flags) throws IOException {
        List<String> args = new ArrayList<>(List.of(flags));
        args.add(0, event.toString());
        return new ReplayCommand(HOME).replay(ReplayOptions.parse(args));
    }

    private static JsonNode result(ReplayCommand.Outcome outcome) throws IOException {
        List<Invocation> attempts = outcome.attempts().values().iterator().next();
        return JSON.readTree(attempts.get(attempts.size() - 1).body());
    }

    @Test
    void spotWarning_drainsTheDemoInstance_andReportsWhatItWillNotSave() throws IOException {
        ReplayCommand.Outcome outcome = replay(HOME.resolve("events/spot-interruption-warning.json"));

        assertEquals(0, outcome.exitCode());
        JsonNode result = result(outcome);
        assertEquals("DRAIN", result.get("decision").asText());
        assertEquals("demo-batch", result.get("cluster").asText());
        assertEquals(2, result.get("notSaved").size());
        assertEquals("ACTIVE", outcome.before().get("i-1234567890abcdef0").status());
        assertEquals(null, outcome.after().get("i-1234567890abcdef0"), "the Spot instance is gone after its deadline");
        assertTrue(outcome.timeline().stream().anyMatch(step -> step.kind() == SchedulerEvent.Kind.TASK_STARTED
                && "batch-worker".equals(step.service())), "the drained service task is replaced elsewhere");
        assertTrue(outcome.timeline().stream().anyMatch(step -> step.kind() == SchedulerEvent.Kind.TASK_KILLED
                && "family:nightly-report".equals(step.detail())), "the standalone task dies with the instance");
        assertEquals(4, outcome.after().values().stream().filter(row -> row.cluster().equals("demo-batch"))
                .mapToInt(InstanceRow::runningTasks).sum(), "batch-worker keeps its 4 tasks; the report is gone");
        assertTrue(outcome.attempts().values().iterator().next().get(0).logLines().stream()
                .anyMatch(line -> line.contains("\"decision\":\"DRAIN\"")));
    }

    @Test
    void spotWarning_dryRun_changesNothing() throws IOException {
        ReplayCommand.Outcome outcome = replay(HOME.resolve("events/spot-interruption-warning.json"), "--dry-run");

        assertEquals(0, outcome.exitCode());
        assertEquals("DRY_RUN_DRAIN", result(outcome).get("decision").asText());
        assertTrue(outcome.timeline().stream().noneMatch(step -> step.kind() == SchedulerEvent.Kind.TASK_STOPPED),
                "nothing drained: no task moves before the instance goes");
        assertTrue(outcome.timeline().stream().filter(step -> step.kind() == SchedulerEvent.Kind.TASK_KILLED).count() >= 2,
                "without the drain every task on the instance dies with it");
    }

    @Test
    void terminateHook_drains_heartbeatsWhileTasksRemain_thenCompletes_andTheInstanceGoes() throws IOException {
        ReplayCommand.Outcome outcome = replay(HOME.resolve("events/lifecycle-terminate.json"));

        assertEquals(0, outcome.exitCode());
        JsonNode first = result(outcome);
        assertEquals("WAITING", first.get("decision").asText());
        assertEquals("DRAIN", first.get("drain").get("decision").asText());
        List<SchedulerEvent.Kind> kinds = outcome.timeline().stream().map(SchedulerEvent::kind).toList();
        assertTrue(kinds.contains(SchedulerEvent.Kind.HOOK_HEARTBEAT), kinds.toString());
        int finished = kinds.indexOf(SchedulerEvent.Kind.TASK_FINISHED);
        int completed = kinds.indexOf(SchedulerEvent.Kind.HOOK_COMPLETED);
        assertTrue(finished >= 0 && completed > finished, "the hook completes once the last task is gone: " + kinds);
        assertTrue(kinds.indexOf(SchedulerEvent.Kind.INSTANCE_TERMINATED) > completed, kinds.toString());
        assertEquals(null, outcome.after().get("i-1234567890abcdef0"));
        assertFalse(outcome.rechecks().isEmpty());
        assertTrue(outcome.rechecks().stream().noneMatch(r -> r.invocation().error()));
    }

    @Test
    void launchHook_waitsForTheAgentToRegister_thenContinues() throws IOException {
        ReplayCommand.Outcome outcome = replay(HOME.resolve("events/lifecycle-launch.json"));

        assertEquals(0, outcome.exitCode());
        List<SchedulerEvent.Kind> kinds = outcome.timeline().stream().map(SchedulerEvent::kind).toList();
        assertTrue(kinds.indexOf(SchedulerEvent.Kind.HOOK_COMPLETED) > kinds.indexOf(SchedulerEvent.Kind.INSTANCE_REGISTERED)
                && kinds.contains(SchedulerEvent.Kind.INSTANCE_REGISTERED), kinds.toString());
        assertTrue(outcome.timeline().stream().anyMatch(step -> step.kind() == SchedulerEvent.Kind.HOOK_COMPLETED
                && step.detail().endsWith("CONTINUE")));
        assertEquals("ACTIVE", outcome.after().get("i-0a1b2c3d4e5f67890").status());
    }

    @Test
    void launchHook_forAnAlreadyRegisteredInstance_answersContinue_notAnError(@TempDir Path dir) throws IOException {
        // The ordinary order in a real account: the agent registers before the launch event arrives.
        ObjectNode event = (ObjectNode)
                JSON.readTree(HOME.resolve("events/lifecycle-launch.json").toFile());
        ((ObjectNode) event.get("detail"))
                .put("EC2InstanceId", DemoAccount.SAMPLE_INSTANCE_ID);
        Path file = dir.resolve("launch-registered.json");
        Files.writeString(file, JSON.writeValueAsString(event));

        ReplayCommand.Outcome outcome = replay(file);

        assertEquals(0, outcome.exitCode());
        List<Invocation> attempts = outcome.attempts().values().iterator().next();
        assertEquals(1, attempts.size(), "answered at the first attempt: " + attempts.get(attempts.size() - 1).body());
        assertFalse(attempts.get(0).error(), attempts.get(0).body());
        JsonNode answer = result(outcome);
        assertEquals("COMPLETED", answer.path("decision").asText(), answer.toString());
        assertEquals("CONTINUE", answer.path("result").asText(), answer.toString());
        assertEquals("demo-batch", answer.path("cluster").asText(), answer.toString());
        assertTrue(outcome.timeline().stream().anyMatch(step -> step.kind() == SchedulerEvent.Kind.HOOK_COMPLETED
                && step.detail().endsWith("CONTINUE")), outcome.timeline().toString());
        assertEquals("ACTIVE", outcome.after().get(DemoAccount.SAMPLE_INSTANCE_ID).status());
    }

    @Test
    void deploymentCompleted_movesTasksOffTheBusiestInstances_andTheSchedulerPlacesThemOnEmptyOnes() throws IOException {
        ReplayCommand.Outcome outcome = replay(HOME.resolve("events/ecs-deployment-completed.json"));

        assertEquals(0, outcome.exitCode());
        JsonNode result = result(outcome);
        assertEquals("REBALANCED", result.get("decision").asText());
        assertEquals(2, result.get("clusters").get(0).get("stopped").size());
        int maxBefore = outcome.before().values().stream().filter(r -> r.cluster().equals("demo-web")).mapToInt(InstanceRow::runningTasks).max().orElseThrow();
        int maxAfter = outcome.after().values().stream().filter(r -> r.cluster().equals("demo-web")).mapToInt(InstanceRow::runningTasks).max().orElseThrow();
        long emptyBefore = outcome.before().values().stream().filter(r -> r.cluster().equals("demo-web") && r.runningTasks() == 0).count();
        long emptyAfter = outcome.after().values().stream().filter(r -> r.cluster().equals("demo-web") && r.runningTasks() == 0).count();
        assertTrue(maxAfter < maxBefore && emptyAfter < emptyBefore, "before max " + maxBefore + " empty " + emptyBefore
                + ", after max " + maxAfter + " empty " + emptyAfter);
        assertEquals(10, outcome.after().values().stream().filter(r -> r.cluster().equals("demo-web")).mapToInt(InstanceRow::runningTasks).sum(),
                "every task is replaced");
    }

    @Test
    void deploymentCompleted_reachesRebalanceTasksAndOpenTicket_eachOnce() throws IOException {
        ReplayCommand.Outcome outcome = replay(HOME.resolve("events/ecs-deployment-completed.json"));

        assertEquals(0, outcome.exitCode());
        assertEquals(Set.of("RebalanceTasksFunction.DeploymentOrNewCapacity", "OpenTicketFunction.Deployments"),
                outcome.attempts().keySet());
        outcome.attempts().values().forEach(tries -> assertEquals(1, tries.size()));
        JsonNode chat = JSON.readTree(outcome.attempts().get("OpenTicketFunction.Deployments").get(0).body());
        assertEquals("CHAT_ONLY", chat.get("decision").asText());
        assertEquals("REBALANCED", JSON.readTree(outcome.attempts().get("RebalanceTasksFunction.DeploymentOrNewCapacity").get(0).body())
                .get("decision").asText());
    }

    @Test
    void ecrScan_opensOneOpsItem_withTheWorstFindings_andWhereTheImageRuns() throws IOException {
        ReplayCommand.Outcome outcome = replay(HOME.resolve("events/ecr-image-scan.json"));

        assertEquals(0, outcome.exitCode());
        JsonNode result = result(outcome);
        assertEquals("TICKETED", result.get("decision").asText());
        assertEquals("CREATED", result.get("sinks").get(0).get("action").asText());
        assertEquals("demo-batch/report-builder", result.get("deployedIn").get(0).asText());
        assertEquals(1, result.get("priority").asInt(), "CRITICAL and deployed");
        assertTrue(result.get("body").asText().contains("CVE-2024-6387"), result.get("body").asText());
    }

    /** Issue 19: the sample's fleet is the demo's EC2 Fleet; its ticket carries the fleet's own history (DescribeFleetHistory). */
    @Test
    void ec2FleetError_opensATicketWithTheFleetsTemplateAndRecentHistory() throws IOException {
        ReplayCommand.Outcome outcome = replay(HOME.resolve("events/ec2-fleet-error.json"));

        assertEquals(0, outcome.exitCode());
        JsonNode ticket = outcome.attempts().entrySet().stream().filter(e -> e.getKey().startsWith("OpenTicketFunction"))
                .map(e -> e.getValue().get(e.getValue().size() - 1).body()).map(body -> {
                    try {
                        return JSON.readTree(body);
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }).findFirst().orElseThrow();
        assertEquals("TICKETED", ticket.get("decision").asText(), ticket.toString());
        String body = ticket.get("body").asText();
        assertTrue(body.contains("Cluster: demo-fleet") && body.contains("Template: ") && body.contains("demo-fleet-spot"), body);
        assertTrue(body.contains("RECENT ACTIVITY") && body.contains("instance-change launched i-"), body);
        assertEquals(1, ticket.path("awsCalls").path("ec2:DescribeFleetHistory").asInt(), ticket.path("awsCalls").toString());
    }

    @Test
    void eventMatchingNoRule_invokesNothing_andExits2() throws IOException {
        ReplayCommand.Outcome outcome = replay(Path.of("src/test/resources/near-misses/spot-warning-other-source.json"));

        assertFalse(outcome.routed());
        assertTrue(outcome.attempts().isEmpty());
        assertEquals(2, outcome.exitCode());
    }

    @Test
    void forgedRetirementRequest_onTheDefaultBus_reachesNoRule_andDrainsNothing() throws IOException {
        ReplayCommand.Outcome outcome = replay(HOME.resolve("events/instance-retirement-requested.json"));

        assertFalse(outcome.routed(), "only rules on Deckhand's own bus take source deckhand");
        assertTrue(outcome.attempts().isEmpty());
        assertEquals(2, outcome.exitCode());
    }

    @Test
    void busThatTheTemplateDoesNotHave_isRefused() {
        assertThrows(() -> replay(HOME.resolve("events/instance-retirement-requested.json"), "--bus", "payments"));
    }

    @Test
    void malformedEvent_isRetriedAsLambdaDoes_thenLandsInTheFailureQueue(@TempDir Path dir) throws IOException {
        Path event = dir.resolve("bad.json");
        Files.writeString(event, Files.readString(HOME.resolve("events/spot-interruption-warning.json"))
                .replace("\"instance-id\": \"i-1234567890abcdef0\"", "\"instance-id\": \"not-an-instance\""));

        ReplayCommand.Outcome outcome = replay(event);

        assertEquals(1, outcome.exitCode());
        List<Invocation> attempts = outcome.attempts().get("DrainInstanceFunction.SpotInterruptionWarning");
        assertEquals(3, attempts.size());
        assertTrue(attempts.get(0).body().contains("detail.instance-id"), attempts.get(0).body());
        JsonNode record = JSON.readTree(outcome.failureQueueRecords().get("DrainInstanceFailureQueue"));
        assertEquals("RetriesExhausted", record.get("requestContext").get("condition").asText());
        assertEquals("not-an-instance", record.get("requestPayload").get("detail").get("instance-id").asText());
        assertEquals("ACTIVE", outcome.before().get("i-1234567890abcdef0").status());
        assertTrue(outcome.timeline().stream().noneMatch(step -> step.kind() == SchedulerEvent.Kind.TASK_STOPPED));
    }

    @Test
    void holdCapacity_stormInTheHistory_raisesTheOnDemandGroup_andTheScheduleHandsItBack() throws IOException {
        ReplayCommand.Outcome outcome = replay(HOME.resolve("events/scheduled-hold-capacity.json"),
                "--history", HOME.resolve("events/history/hold-capacity-storm-then-recovery.json").toString(),
                "--parameter", "HoldCapacityWindow=3h");

        assertEquals(0, outcome.exitCode());
        List<String> holds = outcome.history().stream().filter(step -> step.rule().startsWith("HoldCapacityFunction"))
                .map(step -> ReplayCommand.parseOrText(step.invocation().body()).path("decision").asText()).toList();
        assertEquals(List.of("RAISED", "HOLDING", "HOLDING", "RETIRING"), holds);
        assertTrue(outcome.history().stream().anyMatch(step -> step.rule().startsWith("DrainInstanceFunction")),
                "EventBridge also routes the storm's signals to drain-instance");
        JsonNode result = result(outcome);
        assertEquals("HANDED_BACK", result.get("decision").asText(), result.toString());
        assertEquals(2, result.at("/levers/0/before").asInt());
        assertEquals(1, result.at("/levers/0/after").asInt());
        assertEquals(0, result.at("/levers/0/added").asInt());
    }

    @Test
    void options_refuseUnknownParametersAndFlags() {
        assertThrows(() -> ReplayOptions.parse(List.of("e.json", "--bogus")));
        assertThrows(() -> ReplayOptions.parse(List.of()));
        assertThrows(() -> ReplayOptions.parse(List.of("e.json", "--parameter", "NoEquals")));
        assertEquals(Map.of("DryRun", "true"), ReplayOptions.parse(List.of("e.json", "--dry-run")).parameters());
    }

    private static void assertThrows(Executable executable) {
        Assertions.assertThrows(IllegalArgumentException.class, executable);
    }
}
