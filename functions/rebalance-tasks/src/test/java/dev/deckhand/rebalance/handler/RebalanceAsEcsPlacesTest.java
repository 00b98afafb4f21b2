package dev.deckhand.rebalance.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deckhand.core.aws.AwsCallCounter;
import dev.deckhand.core.config.ManagedClusters;
import dev.deckhand.emulator.AccountSeeder;
import dev.deckhand.emulator.AccountSeeder.SeededInstance;
import dev.deckhand.emulator.LocalAws;
import dev.deckhand.rebalance.RebalanceConfig;
import dev.deckhand.rebalance.planner.Budget;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.AvailabilityZoneRebalancing;
import software.amazon.awssdk.services.ecs.model.ContainerInstanceStatus;
import software.amazon.awssdk.services.ecs.model.CreateServiceRequest;
import software.amazon.awssdk.services.ecs.model.DeploymentControllerType;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.PlacementConstraintType;
import software.amazon.awssdk.services.ecs.model.PlacementStrategyType;
import software.amazon.awssdk.services.ecs.model.ResourceType;

/**
 * rebalance-tasks moves a task only where ECS would put its replacement, and never when ECS is already
 * moving the service: issue 17, points 8 to 12. Against the emulator; ECS's own actions (service events,
 * an instance draining, deleting) are done with the test's client, the function's calls with its own.
 */
@Tag("emulator")
class RebalanceAsEcsPlacesTest {

    private static final String REGION = "us-east-2";
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AwsCallCounter calls = new AwsCallCounter();
    private AccountSeeder seed;
    private EcsClient ecs;
    private List<SeededInstance> instances;
    private final Map<String, String> zoneOf = new HashMap<>();
    private String td;

    @BeforeEach
    void fourInstancesInTwoZones() {
        LocalAws.shared().reset();
        seed = new AccountSeeder(LocalAws.shared(), REGION);
        ecs = LocalAws.shared().functionClient("RebalanceTasksFunction", EcsClient.builder(), REGION, calls);
        seed.cluster("web");
        instances = List.of(seed.instance("web", "a", false), seed.instance("web", "a", false),
                seed.instance("web", "b", false), seed.instance("web", "b", false));
        instances.forEach(i -> zoneOf.put(i.ec2InstanceId(), i.availabilityZone()));
        td = seed.taskDefinition("frontend", 256, 512, null);
    }

    /** A service of 6 (minimum healthy 50%) as {@code customize} says, its tasks on instances[i] for each i listed. */
    private String service(String name, Consumer<CreateServiceRequest.Builder> customize, String taskDefinition, int... on) {
        CreateServiceRequest.Builder request = CreateServiceRequest.builder().cluster("web").serviceName(name)
                .taskDefinition(taskDefinition).desiredCount(on.length)
                .deploymentConfiguration(c -> c.minimumHealthyPercent(50).maximumPercent(200));
        customize.accept(request);
        String arn = seed.ecs().createService(request.build()).service().serviceArn();
        List<SeededInstance> placement = new ArrayList<>();
        for (int i : on) {
            placement.add(instances.get(i));
        }
        seed.serviceTasks("web", name, taskDefinition, placement);
        var deployments = seed.ecs().describeServices(r -> r.cluster("web").services(name)).services().get(0).deployments();
        if (!deployments.isEmpty()) {
            LocalAws.shared().control("ecs/deployment", Map.of("region", REGION, "cluster", "web", "service", name,
                    "deploymentId", deployments.get(0).id(), "rolloutState", "COMPLETED"));
        }
        return arn;
    }

    private static Consumer<CreateServiceRequest.Builder> ec2(AvailabilityZoneRebalancing az) {
        return r -> r.launchType(LaunchType.EC2).availabilityZoneRebalancing(az);
    }

    private JsonNode invoke(String event) throws IOException {
        RebalanceTasksHandler handler = new RebalanceTasksHandler(new RebalanceConfig(ManagedClusters.of("web"), false, REGION,
                new Budget(2, 10, Duration.ofMinutes(30))), ecs, calls, Clock.fixed(NOW, ZoneOffset.UTC));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
        return JSON.readTree(out.toByteArray());
    }

    private long stopCalls() {
        return calls.calls().stream().filter("ecs:StopTask"::equals).count();
    }

    private static String skipReason(JsonNode result) {
        return result.path("clusters").get(0).path("skipped").get(0).path("reason").asText();
    }

    // Point 8: ECS places by every strategy in order; spread(zone) then binpack(memory) packs within the zone.

    @Test
    void spreadZonesThenBinpack_instancesUnevenWithinEvenZones_stopsNothing() throws IOException {
        String arn = service("packed", r -> r.launchType(LaunchType.EC2).availabilityZoneRebalancing(AvailabilityZoneRebalancing.DISABLED)
                .placementStrategy(s -> s.type(PlacementStrategyType.SPREAD).field("attribute:ecs.availability-zone"),
                        s -> s.type(PlacementStrategyType.BINPACK).field("memory")), td, 0, 0, 0, 2, 2, 2);

        JsonNode result = invoke(RebalanceTasksHandlerTest.deploymentCompleted(arn));

        assertEquals(0, stopCalls(), "ECS would bin-pack each replacement back onto the instance it left");
        assertEquals("BALANCED", result.path("decision").asText());
        assertTrue(skipReason(result).contains("binpack"), skipReason(result));
    }

    @Test
    void spreadZonesThenBinpack_unevenZones_movesBetweenZonesOnly() throws IOException {
        String arn = service("packed", r -> r.launchType(LaunchType.EC2).availabilityZoneRebalancing(AvailabilityZoneRebalancing.DISABLED)
                .placementStrategy(s -> s.type(PlacementStrategyType.SPREAD).field("attribute:ecs.availability-zone"),
                        s -> s.type(PlacementStrategyType.BINPACK).field("memory")), td, 0, 0, 0, 0, 0, 2);

        JsonNode result = invoke(RebalanceTasksHandlerTest.deploymentCompleted(arn));

        JsonNode stopped = result.path("clusters").get(0).path("stopped");
        assertEquals(2, stopped.size(), result.toString());
        stopped.forEach(stop -> assertEquals(zoneOf.get(instances.get(2).ec2InstanceId()), zoneOf.get(stop.path("to").asText())));
    }

    @Test
    void spreadZonesThenSpreadInstances_movesWithinAZone() throws IOException {
        String arn = service("spread", r -> r.launchType(LaunchType.EC2).availabilityZoneRebalancing(AvailabilityZoneRebalancing.DISABLED)
                .placementStrategy(s -> s.type(PlacementStrategyType.SPREAD).field("attribute:ecs.availability-zone"),
                        s -> s.type(PlacementStrategyType.SPREAD).field("instanceId")), td, 0, 0, 0, 2, 2, 2);

        JsonNode result = invoke(RebalanceTasksHandlerTest.deploymentCompleted(arn));

        assertEquals(2, stopCalls(), result.toString());
    }

    // Point 9: ECS's own AZ rebalancing.

    @Test
    void ecsAzRebalancingOn_zonesUneven_leavesTheZonesToEcs() throws IOException {
        String arn = service("frontend", ec2(AvailabilityZoneRebalancing.ENABLED), td, 0, 0, 0, 0, 2, 2);

        JsonNode result = invoke(RebalanceTasksHandlerTest.deploymentCompleted(arn));

        assertEquals(0, stopCalls(), result.toString());
        assertTrue(skipReason(result).contains("availabilityZoneRebalancing"), skipReason(result));
    }

    @Test
    void ecsAzRebalancingOn_zonesEven_movesWithinAZoneOnly() throws IOException {
        String arn = service("frontend", ec2(AvailabilityZoneRebalancing.ENABLED), td, 0, 0, 0, 2, 2, 2);

        JsonNode result = invoke(RebalanceTasksHandlerTest.deploymentCompleted(arn));

        JsonNode stopped = result.path("clusters").get(0).path("stopped");
        assertEquals(2, stopped.size(), result.toString());
        stopped.forEach(stop -> assertEquals(zoneOf.get(stop.path("from").asText()), zoneOf.get(stop.path("to").asText())));
    }

    @Test
    void ecsAzRebalanceUnderWay_isNeverJoined_untilEcsReportsItBalanced() throws IOException {
        String arn = service("frontend", ec2(AvailabilityZoneRebalancing.ENABLED), td, 0, 0, 0, 2, 2, 2);
        serviceEvent("frontend", "service (frontend) is not AZ balanced with 4 tasks in us-east-2a, 2 in us-east-2b. AZ Rebalancing in progress.");

        JsonNode during = invoke(RebalanceTasksHandlerTest.deploymentCompleted(arn));

        assertEquals(0, stopCalls(), during.toString());
        assertTrue(skipReason(during).contains("AZ rebalancing"), skipReason(during));

        serviceEvent("frontend", "service (frontend) is AZ balanced with 3 tasks in us-east-2a, 3 tasks in us-east-2b.");
        invoke(RebalanceTasksHandlerTest.deploymentCompleted(arn));
        assertEquals(2, stopCalls());
    }

    private void serviceEvent(String service, String message) {
        LocalAws.shared().control("ecs/service-event", Map.of("region", REGION, "cluster", "web", "service", service, "message", message));
    }

    @Test
    void ecsAzRebalancingOff_zonesUneven_movesBetweenZones() throws IOException {
        String arn = service("frontend", ec2(AvailabilityZoneRebalancing.DISABLED), td, 0, 0, 0, 0, 2, 2);

        JsonNode result = invoke(RebalanceTasksHandlerTest.deploymentCompleted(arn));

        JsonNode stopped = result.path("clusters").get(0).path("stopped");
        assertEquals(2, stopped.size(), result.toString());
        assertTrue(zoneOf.get(stopped.get(0).path("to").asText()).endsWith("b"), result.toString());
    }

    // Point 10: the minimum-healthy floor counts only tasks that stay.

    @Test
    void tasksOnADrainingInstance_doNotCountTowardsTheFloor() throws IOException {
        String arn = service("frontend", ec2(AvailabilityZoneRebalancing.DISABLED), td, 0, 0, 0, 0, 2, 2);
        seed.ecs().updateContainerInstancesState(r -> r.cluster("web").containerInstances(instances.get(2).containerInstanceArn())
                .status(ContainerInstanceStatus.DRAINING));

        JsonNode result = invoke(RebalanceTasksHandlerTest.deploymentCompleted(arn));

        // 4 tasks stay (2 leave with the draining instance); the floor is 3 of 6: one stop at most.
        assertEquals(1, stopCalls(), result.toString());
    }

    @Test
    void serviceNotAtItsDesiredCount_isLeftAlone() throws IOException {
        String arn = service("frontend", ec2(AvailabilityZoneRebalancing.DISABLED), td, 0, 0, 0, 0, 2, 2);
        seed.ecs().updateService(r -> r.cluster("web").service("frontend").desiredCount(8));

        JsonNode result = invoke(RebalanceTasksHandlerTest.deploymentCompleted(arn));

        assertEquals(0, stopCalls(), result.toString());
        assertTrue(skipReason(result).contains("desired count"), skipReason(result));
    }

    @Test
    void blueGreenAndExternalServices_areLeftAlone() throws IOException {
        for (DeploymentControllerType type : List.of(DeploymentControllerType.CODE_DEPLOY, DeploymentControllerType.EXTERNAL)) {
            LocalAws.shared().reset();
            fourInstancesInTwoZones();
            String arn = service("frontend", r -> r.launchType(LaunchType.EC2).availabilityZoneRebalancing(AvailabilityZoneRebalancing.DISABLED)
                    .deploymentController(d -> d.type(type)), td, 0, 0, 0, 0, 2, 2);

            JsonNode result = invoke(RebalanceTasksHandlerTest.deploymentCompleted(arn));

            assertEquals(0, stopCalls(), type + ": " + result);
            assertTrue(skipReason(result).contains(type.toString()), skipReason(result));
        }
    }

    // Point 11: never move a task where ECS would not put it.

    @Test
    void memberOfConstraints_gpuTasksAndCapacityProviders_areLeftAlone_andSaidSo() throws IOException {
        String pinnedTd = seed.ecs().registerTaskDefinition(r -> r.family("pinned").containerDefinitions(c -> c.name("pinned")
                        .image("busybox").cpu(256).memory(512))
                .placementConstraints(c -> c.type("memberOf").expression("attribute:ecs.instance-type =~ t3.*")))
                .taskDefinition().taskDefinitionArn();
        String gpuTd = seed.ecs().registerTaskDefinition(r -> r.family("train").containerDefinitions(c -> c.name("train")
                        .image("busybox").cpu(256).memory(512).resourceRequirements(q -> q.type(ResourceType.GPU).value("1"))))
                .taskDefinition().taskDefinitionArn();
        service("a-constrained", r -> r.launchType(LaunchType.EC2).availabilityZoneRebalancing(AvailabilityZoneRebalancing.DISABLED)
                .placementConstraints(c -> c.type(PlacementConstraintType.MEMBER_OF).expression("attribute:ecs.availability-zone == us-east-2a")),
                td, 0, 0, 0, 0, 2, 2);
        service("b-pinned", ec2(AvailabilityZoneRebalancing.DISABLED), pinnedTd, 0, 0, 0, 0, 2, 2);
        service("c-gpu", ec2(AvailabilityZoneRebalancing.DISABLED), gpuTd, 0, 0, 0, 0, 2, 2);
        service("d-providers", r -> r.availabilityZoneRebalancing(AvailabilityZoneRebalancing.DISABLED)
                .capacityProviderStrategy(s -> s.capacityProvider("spot-asg").weight(1)), td, 0, 0, 0, 0, 2, 2);

        JsonNode result = invoke(RebalanceTasksHandlerTest.sweep());

        assertEquals(0, stopCalls(), result.toString());
        JsonNode skipped = result.path("clusters").get(0).path("skipped");
        assertEquals(4, skipped.size(), result.toString());
        assertTrue(skipped.get(0).path("reason").asText().contains("memberOf"), skipped.toString());
        assertTrue(skipped.get(1).path("reason").asText().contains("memberOf"), skipped.toString());
        assertTrue(skipped.get(2).path("reason").asText().contains("GPU"), skipped.toString());
        assertTrue(skipped.get(3).path("reason").asText().contains("capacity provider"), skipped.toString());
    }

    // Point 12: the cluster or service named by the event no longer exists.

    @Test
    void serviceThatNoLongerExists_isANoOp() throws IOException {
        service("frontend", ec2(AvailabilityZoneRebalancing.DISABLED), td, 0, 0, 0, 0, 2, 2);
        String purged = "arn:aws:ecs:us-east-2:123456789012:service/web/retired";

        JsonNode result = invoke(RebalanceTasksHandlerTest.deploymentCompleted(purged));

        assertEquals("GONE", result.path("decision").asText(), result.toString());
        assertEquals(0, stopCalls());
    }

    @Test
    void deletedService_isANoOp() throws IOException {
        String arn = service("frontend", ec2(AvailabilityZoneRebalancing.DISABLED), td, 0, 0, 0, 0, 2, 2);
        seed.ecs().deleteService(r -> r.cluster("web").service("frontend").force(true));

        JsonNode result = invoke(RebalanceTasksHandlerTest.deploymentCompleted(arn));

        assertEquals("GONE", result.path("decision").asText(), result.toString());
        assertEquals(0, stopCalls());
    }

    @Test
    void deletedCluster_isANoOp() throws IOException {
        for (SeededInstance instance : instances) {
            seed.ecs().deregisterContainerInstance(r -> r.cluster("web").containerInstance(instance.containerInstanceArn()).force(true));
        }
        seed.ecs().deleteCluster(r -> r.cluster("web"));

        JsonNode newCapacity = invoke(RebalanceTasksHandlerTest.containerInstance("web", "ACTIVE", true, 0));
        JsonNode sweep = invoke(RebalanceTasksHandlerTest.sweep());

        assertEquals("GONE", newCapacity.path("decision").asText(), newCapacity.toString());
        assertEquals("GONE", sweep.path("decision").asText(), sweep.toString());
        assertEquals(0, stopCalls());
    }
}
