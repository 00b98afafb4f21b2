package dev.deckhand.drain.handler;

import static dev.deckhand.testkit.Handlers.invoke;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deckhand.core.aws.AwsCallCounter;
import dev.deckhand.core.config.ManagedClusters;
import dev.deckhand.core.event.EventTypes;
import dev.deckhand.emulator.AccountSeeder;
import dev.deckhand.emulator.AccountSeeder.SeededInstance;
import dev.deckhand.emulator.DeckhandHome;
import dev.deckhand.testkit.Envelopes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.ContainerInstanceStatus;

/**
 * drain-instance end to end against the emulator, with the real SDK: state before, event, state
 * after, and the AWS calls it took.
 */
@Tag("emulator")
class DrainInstanceHandlerTest {

    private static final String REGION = "us-east-2";
    private static final Instant EVENT_TIME = Instant.parse("2026-11-22T10:00:00Z");
    /** 30 s after the warning: 90 s left before the instance goes. */
    private static final Clock CLOCK = Clock.fixed(EVENT_TIME.plusSeconds(30), ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestAccount account;
    private AwsCallCounter calls;
    private AccountSeeder seed;

    @BeforeEach
    void emptyAccount() {
        account = new TestAccount();
        calls = account.calls;
        seed = account.seed;
    }

    private DrainInstanceHandler handler(ManagedClusters clusters, boolean dryRun) {
        return account.handler(account.config(clusters, dryRun), CLOCK);
    }

    private static String spotWarning(String instanceId) {
        return Envelopes.event(EventTypes.SOURCE_EC2, EventTypes.SPOT_INTERRUPTION_WARNING).id("3d9e2d3f-1c52-4d2e-9f53-5b6f8b0a7c11")
                .time(EVENT_TIME).region(REGION).resources("arn:aws:ec2:" + REGION + ":123456789012:instance/" + instanceId)
                .detail("{\"instance-id\":\"" + instanceId + "\",\"instance-action\":\"terminate\"}").json();
    }

    private String status(SeededInstance instance) {
        return seed.ecs().describeContainerInstances(r -> r.cluster(instance.cluster())
                .containerInstances(instance.containerInstanceArn())).containerInstances().get(0).status();
    }

    /** The calls up to and including the drain call. */
    private List<String> callsUntilDrain() {
        List<String> made = calls.calls();
        int drain = made.indexOf("ecs:UpdateContainerInstancesState");
        return drain < 0 ? made : made.subList(0, drain + 1);
    }

    @Test
    void drain_instanceInSecondOfTwoClusters_isSetDraining_andNothingElseChanges() throws IOException {
        seed.cluster("web");
        seed.cluster("batch");
        SeededInstance neighbour = seed.instance("web", "a", true);
        SeededInstance target = seed.instance("batch", "b", true);
        SeededInstance sameCluster = seed.instance("batch", "a", false);

        JsonNode result = invoke(handler(ManagedClusters.of("web", "batch"), false), spotWarning(target.ec2InstanceId()));

        assertEquals("DRAIN", result.get("decision").asText());
        assertTrue(result.get("changed").asBoolean());
        assertEquals("batch", result.get("cluster").asText());
        assertEquals("ACTIVE", result.get("previousStatus").asText());
        assertEquals(90, result.get("secondsLeft").asLong());
        assertEquals("DRAINING", status(target));
        assertEquals("ACTIVE", status(neighbour));
        assertEquals("ACTIVE", status(sameCluster));
        assertEquals(List.of("ecs:ListContainerInstances", "ecs:ListContainerInstances",
                "ecs:DescribeContainerInstances", "ecs:TagResource", "ecs:UpdateContainerInstancesState"), callsUntilDrain());
    }

    @Test
    void drain_warmContainer_secondSignal_describesThenDrains() throws IOException {
        seed.cluster("web");
        seed.cluster("batch");
        SeededInstance target = seed.instance("batch", "b", true);
        DrainInstanceHandler handler = handler(ManagedClusters.of("web", "batch"), false);
        invoke(handler, spotWarning(target.ec2InstanceId()));
        seed.ecs().updateContainerInstancesState(r -> r.cluster("batch").containerInstances(target.containerInstanceArn())
                .status(ContainerInstanceStatus.ACTIVE));

        invoke(handler, spotWarning(target.ec2InstanceId()));

        assertEquals(List.of("ecs:DescribeContainerInstances", "ecs:TagResource", "ecs:UpdateContainerInstancesState"), callsUntilDrain());
        assertEquals("DRAINING", status(target));
    }

    @Test
    void drain_alreadyDraining_makesNoUpdateCall() throws IOException {
        seed.cluster("batch");
        SeededInstance target = seed.instance("batch", "a", true);
        DrainInstanceHandler handler = handler(ManagedClusters.of("batch"), false);
        invoke(handler, spotWarning(target.ec2InstanceId()));

        JsonNode again = invoke(handler, spotWarning(target.ec2InstanceId()));

        assertEquals("ALREADY_DRAINING", again.get("decision").asText());
        assertFalse(again.get("changed").asBoolean());
        assertFalse(calls.calls().contains("ecs:UpdateContainerInstancesState"));
        assertEquals("DRAINING", status(target));
    }

    @Test
    void drain_instanceInNoManagedCluster_returnsNormally_andChangesNothing() throws IOException {
        seed.cluster("web");
        seed.cluster("other");
        SeededInstance unmanaged = seed.instance("other", "a", true);

        JsonNode result = invoke(handler(ManagedClusters.of("web"), false), spotWarning(unmanaged.ec2InstanceId()));

        assertEquals("NOT_MANAGED", result.get("decision").asText());
        assertNull(result.get("cluster"));
        assertEquals("ACTIVE", status(unmanaged));
        assertEquals(List.of("ecs:ListContainerInstances"), calls.calls());
    }

    @Test
    void drain_unknownInstance_isNotManaged() throws IOException {
        seed.cluster("web");
        seed.instance("web", "a", true);

        JsonNode result = invoke(handler(ManagedClusters.of("web"), false), spotWarning("i-0fedcba9876543210"));

        assertEquals("NOT_MANAGED", result.get("decision").asText());
    }

    @Test
    void drain_dryRun_decidesAndReports_butChangesNothing() throws IOException {
        seed.cluster("batch");
        SeededInstance target = seed.instance("batch", "a", true);
        seed.standaloneTask("batch", seed.taskDefinition("report", 256, 256, null), target);

        JsonNode result = invoke(handler(ManagedClusters.of("batch"), true), spotWarning(target.ec2InstanceId()));

        assertEquals("DRY_RUN_DRAIN", result.get("decision").asText());
        assertTrue(result.get("dryRun").asBoolean());
        assertFalse(result.get("changed").asBoolean());
        assertEquals(1, result.get("notSaved").size());
        assertEquals("ACTIVE", status(target));
        assertFalse(calls.calls().contains("ecs:UpdateContainerInstancesState"));
    }

    @Test
    void drain_allClustersMode_findsTheInstanceWithoutAConfiguredList() throws IOException {
        seed.cluster("web");
        seed.cluster("batch");
        SeededInstance target = seed.instance("batch", "a", true);

        JsonNode result = invoke(handler(ManagedClusters.all(), false), spotWarning(target.ec2InstanceId()));

        assertEquals("DRAIN", result.get("decision").asText());
        assertEquals("ecs:ListClusters", calls.calls().get(0));
        assertEquals("DRAINING", status(target));
    }

    @Test
    void drain_clusterOfMoreThan100Instances_drainsExactlyTheOneNamed() throws IOException {
        seed.cluster("big");
        List<SeededInstance> instances = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            instances.add(seed.instance("big", i % 2 == 0 ? "a" : "b", true));
        }
        SeededInstance target = instances.get(111);

        invoke(handler(ManagedClusters.of("big"), false), spotWarning(target.ec2InstanceId()));

        List<String> draining = seed.ecs().listContainerInstances(r -> r.cluster("big").status(ContainerInstanceStatus.DRAINING))
                .containerInstanceArns();
        assertEquals(List.of(target.containerInstanceArn()), draining);
    }

    @Test
    void drain_reportsStandaloneTasks_andServiceTasksThatCannotStopInTime() throws IOException {
        seed.cluster("batch");
        SeededInstance target = seed.instance("batch", "a", true);
        String quick = seed.taskDefinition("web", 256, 256, 30);
        String slow = seed.taskDefinition("worker", 256, 256, 120);
        String report = seed.taskDefinition("nightly-report", 256, 256, null);
        seed.service("batch", "web", quick, 1);
        seed.service("batch", "worker", slow, 1);
        seed.serviceTasks("batch", "web", quick, List.of(target));
        String slowTask = seed.serviceTasks("batch", "worker", slow, List.of(target)).get(0);
        String standalone = seed.standaloneTask("batch", report, target);

        JsonNode result = invoke(handler(ManagedClusters.of("batch"), false), spotWarning(target.ec2InstanceId()));

        List<String> lost = new ArrayList<>();
        result.get("notSaved").forEach(task -> lost.add(task.get("taskArn").asText()));
        assertEquals(2, lost.size());
        assertTrue(lost.containsAll(List.of(slowTask, standalone)));
    }

    @Test
    void drain_moreThan100TasksOnTheInstance_pagesAndBatchesTheReads() throws IOException {
        seed.cluster("batch");
        SeededInstance target = seed.instance("batch", "a", true);
        String tiny = seed.taskDefinition("tiny", 1, 1, null);
        for (int i = 0; i < 105; i++) {
            seed.standaloneTask("batch", tiny, target);
        }

        JsonNode result = invoke(handler(ManagedClusters.of("batch"), false), spotWarning(target.ec2InstanceId()));

        assertEquals(105, result.get("notSaved").size());
        assertEquals(2, result.get("awsCalls").get("ecs:ListTasks").asInt());
        assertEquals(2, result.get("awsCalls").get("ecs:DescribeTasks").asInt());
        assertEquals(1, result.get("awsCalls").get("ecs:DescribeTaskDefinition").asInt());
    }

    @Test
    void drain_theSampleEventInEvents_isAccepted() throws IOException {
        String sample = Files.readString(DeckhandHome.find().resolve("events/spot-interruption-warning.json"));
        JsonNode event = JSON.readTree(sample);
        assertEquals(REGION, event.get("region").asText());
        seed.cluster("batch");
        seed.instance("batch", "a", true, event.get("detail").get("instance-id").asText());
        DrainInstanceHandler handler = handler(ManagedClusters.of("batch"), false);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(sample.getBytes(StandardCharsets.UTF_8)), out, null);

        assertEquals("DRAIN", JSON.readTree(out.toByteArray()).get("decision").asText());
    }

}
