package dev.deckhand.rebalance.handler;

import static dev.deckhand.testkit.Handlers.invoke;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deckhand.core.aws.AwsCallCounter;
import dev.deckhand.core.config.ManagedClusters;
import dev.deckhand.core.event.EventTypes;
import dev.deckhand.emulator.AccountSeeder;
import dev.deckhand.emulator.AccountSeeder.SeededInstance;
import dev.deckhand.emulator.LocalAws;
import dev.deckhand.rebalance.RebalanceConfig;
import dev.deckhand.rebalance.planner.Budget;
import dev.deckhand.testkit.Envelopes;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.AvailabilityZoneRebalancing;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Task;

/** rebalance-tasks end to end against the emulator: each trigger, dry run, the cooldown, and bad events. */
@Tag("emulator")
class RebalanceTasksHandlerTest {

    private static final String REGION = "us-east-2";
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AwsCallCounter calls = new AwsCallCounter();
    private AccountSeeder seed;
    private EcsClient ecs;
    private List<SeededInstance> instances;

    @BeforeEach
    void skewedCluster() {
        LocalAws.shared().reset();
        seed = new AccountSeeder(LocalAws.shared(), REGION);
        ecs = LocalAws.shared().functionClient("RebalanceTasksFunction", EcsClient.builder(), REGION, calls);
        seed.cluster("web");
        instances = List.of(seed.instance("web", "a", false), seed.instance("web", "a", false),
                seed.instance("web", "b", false), seed.instance("web", "b", false));
        String td = seed.taskDefinition("frontend", 256, 512, null);
        seed.service("web", "frontend", td, 6);
        // A service created before ECS turned AZ rebalancing on by default (2025-06-30): Deckhand evens its zones.
        seed.ecs().updateService(r -> r.cluster("web").service("frontend").deploymentConfiguration(c -> c.minimumHealthyPercent(50))
                .availabilityZoneRebalancing(AvailabilityZoneRebalancing.DISABLED));
        seed.serviceTasks("web", "frontend", td, List.of(instances.get(0), instances.get(0), instances.get(0),
                instances.get(0), instances.get(2), instances.get(2)));
        deployed("web", "frontend");
    }

    /** The service's deployment has reached its desired count, as ECS would report once the tasks run. */
    private void deployed(String cluster, String service) {
        LocalAws.shared().control("ecs/deployment", Map.of("region", REGION, "cluster", cluster, "service", service,
                "deploymentId", seed.deploymentId(cluster, service), "rolloutState", "COMPLETED"));
    }

    private RebalanceTasksHandler handler(boolean dryRun) {
        return new RebalanceTasksHandler(new RebalanceConfig(ManagedClusters.of("web"), dryRun, REGION,
                new Budget(2, 10, Duration.ofMinutes(30))), ecs, calls, CLOCK);
    }

    static String deploymentCompleted(String serviceArn) {
        return Envelopes.event(EventTypes.SOURCE_ECS, EventTypes.ECS_DEPLOYMENT_STATE_CHANGE).id("ddca6449-b258-46c0-8653-e0e3a6d0468b")
                .resources(serviceArn)
                .detail("""
                        {"eventType":"INFO","eventName":"SERVICE_DEPLOYMENT_COMPLETED","deploymentId":"ecs-svc/1"}""").json();
    }

    static String containerInstance(String cluster, String status, boolean connected, int running) {
        return containerInstanceEvent("""
                {"agentConnected":%s,"clusterArn":"arn:aws:ecs:us-east-2:123456789012:cluster/%s",
                 "containerInstanceArn":"arn:aws:ecs:us-east-2:123456789012:container-instance/%s/abc","ec2InstanceId":"i-0b2c3d4e5f6a78901",
                 "status":"%s","runningTasksCount":%d,"pendingTasksCount":0}""".formatted(connected, cluster, cluster, status, running));
    }

    private static String containerInstanceEvent(String detail) {
        return Envelopes.event(EventTypes.SOURCE_ECS, EventTypes.ECS_CONTAINER_INSTANCE_STATE_CHANGE).id("8952ba83-7be2-4ab5-9c32-6687532d15a2")
                .detail(detail).json();
    }

    static String sweep() {
        return Envelopes.event(EventTypes.SOURCE_EVENTS, EventTypes.SCHEDULED_EVENT).id("89d1a02d-5ec7-412e-82f5-13505f849b41")
                .resources("arn:aws:events:us-east-2:123456789012:rule/deckhand-RebalanceTasksFunctionSweep-1").json();
    }

    private Map<String, Integer> runningPerInstance() {
        Map<String, String> instanceOf = new HashMap<>();
        instances.forEach(i -> instanceOf.put(i.containerInstanceArn(), i.ec2InstanceId()));
        Map<String, Integer> counts = new HashMap<>();
        List<String> arns = seed.ecs().listTasks(r -> r.cluster("web").desiredStatus(DesiredStatus.RUNNING)).taskArns();
        for (Task task : seed.ecs().describeTasks(r -> r.cluster("web").tasks(arns)).tasks()) {
            counts.merge(instanceOf.get(task.containerInstanceArn()), 1, Integer::sum);
        }
        return counts;
    }

    private String serviceArn() {
        return seed.ecs().describeServices(r -> r.cluster("web").services("frontend")).services().get(0).serviceArn();
    }

    @Test
    void deploymentCompleted_stopsTheFewestTasksFromTheBusiestInstance_withinTheBudget() throws IOException {
        JsonNode result = invoke(handler(false), deploymentCompleted(serviceArn()));

        assertEquals("REBALANCED", result.path("decision").asText());
        JsonNode stopped = result.path("clusters").get(0).path("stopped");
        assertEquals(2, stopped.size());
        stopped.forEach(stop -> assertEquals(instances.get(0).ec2InstanceId(), stop.path("from").asText()));
        assertEquals(2, runningPerInstance().get(instances.get(0).ec2InstanceId()));
        assertEquals(2, calls.calls().stream().filter("ecs:StopTask"::equals).count());
        List<Task> stoppedTasks = seed.ecs().describeTasks(r -> r.cluster("web").tasks(stopped.get(0).path("taskArn").asText())).tasks();
        assertTrue(stoppedTasks.get(0).stoppedReason().startsWith("Deckhand rebalance-tasks"), stoppedTasks.get(0).stoppedReason());
    }

    @Test
    void secondRunWithinTheCooldown_leavesTheServiceAlone() throws IOException {
        invoke(handler(false), deploymentCompleted(serviceArn()));

        JsonNode again = invoke(handler(false), deploymentCompleted(serviceArn()));

        assertEquals("BALANCED", again.path("decision").asText());
        assertTrue(again.path("clusters").get(0).path("skipped").get(0).path("reason").asText().contains("cooldown"));
        assertTrue(calls.calls().stream().noneMatch("ecs:StopTask"::equals));
    }

    @Test
    void dryRun_plansButStopsNothing() throws IOException {
        JsonNode result = invoke(handler(true), deploymentCompleted(serviceArn()));

        assertEquals("DRY_RUN_REBALANCE", result.path("decision").asText());
        assertEquals(4, runningPerInstance().get(instances.get(0).ec2InstanceId()));
        assertTrue(calls.calls().stream().noneMatch(c -> c.equals("ecs:StopTask") || c.equals("ecs:TagResource")));
    }

    @Test
    void newCapacity_rebalancesTheCluster() throws IOException {
        JsonNode result = invoke(handler(false), containerInstance("web", "ACTIVE", true, 0));

        assertEquals("NEW_CAPACITY", result.path("trigger").asText());
        assertEquals(2, result.path("clusters").get(0).path("stopped").size());
    }

    @Test
    void containerInstanceEventsThatAreNotNewCapacity_costNoCall() throws IOException {
        for (String event : List.of(containerInstance("web", "ACTIVE", true, 3), containerInstance("web", "DRAINING", true, 0),
                containerInstance("web", "ACTIVE", false, 0))) {
            assertEquals("IGNORED", invoke(handler(false), event).path("decision").asText());
            assertEquals(List.of(), calls.calls());
        }
    }

    @Test
    void newCapacity_eventWithoutTaskCounts_isJudgedByItsUnreservedResources() throws IOException {
        String detail = """
                {"agentConnected":true,"clusterArn":"arn:aws:ecs:us-east-2:123456789012:cluster/web","status":"ACTIVE",
                 "registeredResources":[{"name":"CPU","integerValue":2048},{"name":"MEMORY","integerValue":7985}],
                 "remainingResources":[{"name":"CPU","integerValue":%d},{"name":"MEMORY","integerValue":7985}]}""";

        JsonNode empty = invoke(handler(false), containerInstanceEvent(detail.formatted(2048)));
        assertEquals("NEW_CAPACITY", empty.path("trigger").asText());
        assertEquals("REBALANCED", empty.path("decision").asText());

        assertEquals("IGNORED", invoke(handler(false), containerInstanceEvent(detail.formatted(1024))).path("decision").asText(), "something runs on it");
        assertEquals(List.of(), calls.calls());
    }

    @Test
    void unmanagedCluster_costsNoCall() throws IOException {
        JsonNode result = invoke(handler(false), containerInstance("other", "ACTIVE", true, 0));

        assertEquals("NOT_MANAGED", result.path("decision").asText());
        assertEquals(List.of(), calls.calls());
    }

    @Test
    void sweep_rebalancesEveryManagedCluster() throws IOException {
        JsonNode result = invoke(handler(false), sweep());

        assertEquals("SWEEP", result.path("trigger").asText());
        assertEquals(1, result.path("clusters").size());
        assertEquals(2, result.path("clusters").get(0).path("stopped").size());
    }

    @Test
    void optedOutService_isNeverTouched() throws IOException {
        seed.ecs().tagResource(r -> r.resourceArn(serviceArn()).tags(t -> t.key("deckhand:rebalance").value("false")));

        JsonNode result = invoke(handler(false), deploymentCompleted(serviceArn()));

        assertEquals("BALANCED", result.path("decision").asText());
        assertTrue(calls.calls().stream().noneMatch("ecs:StopTask"::equals));
    }

    @Test
    void moreThan100Tasks_andInstances_areListedPageByPageAndDescribedInBatches() throws IOException {
        seed.cluster("big");
        List<SeededInstance> many = new ArrayList<>();
        for (int i = 0; i < 105; i++) {
            many.add(seed.instance("big", i % 2 == 0 ? "a" : "b", false));
        }
        String td = seed.taskDefinition("worker", 16, 16, null);
        seed.service("big", "worker", td, 120);
        seed.ecs().updateService(r -> r.cluster("big").service("worker").deploymentConfiguration(c -> c.minimumHealthyPercent(50)));
        List<SeededInstance> placement = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            placement.add(many.get(i % 10));
        }
        seed.serviceTasks("big", "worker", td, placement);
        deployed("big", "worker");
        RebalanceTasksHandler handler = new RebalanceTasksHandler(new RebalanceConfig(ManagedClusters.of("big"), true, REGION,
                new Budget(100, 1000, Duration.ZERO)), ecs, calls, CLOCK);

        JsonNode result = invoke(handler, sweep());

        assertEquals(2, calls.calls().stream().filter("ecs:ListContainerInstances"::equals).count());
        assertEquals(2, calls.calls().stream().filter("ecs:DescribeContainerInstances"::equals).count());
        assertEquals(2, calls.calls().stream().filter("ecs:ListTasks"::equals).count());
        assertEquals(2, calls.calls().stream().filter("ecs:DescribeTasks"::equals).count());
        assertEquals(60, result.path("clusters").get(0).path("stopped").size(), "at most half (minimum healthy 50%)");
    }

}
