package dev.deckhand.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deckhand.emulator.AccountSeeder.SeededInstance;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.AvailabilityZoneRebalancing;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.DeploymentControllerType;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.PlacementConstraintType;
import software.amazon.awssdk.services.ecs.model.ResourceType;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceNotFoundException;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/**
 * What rebalance-tasks reads about a service, as AWS documents it, pinned for
 * emulator/python/deckhand_emulator/ecs_services.py and ecs_fixes.py:
 * <ul>
 * <li>CreateService / UpdateService {@code availabilityZoneRebalancing} (API Reference, CreateService and
 * UpdateService: "For create service requests, when no value is specified ..., Amazon ECS defaults the
 * value to ENABLED"; "For update service requests ... defaults to the existing service's value"),
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html</li>
 * <li>the service's {@code events}, where ECS reports its AZ rebalancing ("service (NAME) is not AZ balanced
 * ... AZ Rebalancing in progress." / "service (NAME) is AZ balanced ..."),
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/track-service-rebalancing.html
 * (the control API stands in for ECS's scheduler writing them)</li>
 * <li>{@code deploymentController}, {@code capacityProviderStrategy}, {@code placementConstraints} and a
 * task definition's GPU {@code resourceRequirements}, described as created (API Reference, Service,
 * ContainerDefinition)</li>
 * <li>a deleted cluster (DeleteCluster: "The cluster transitions to the INACTIVE state ... We don't
 * recommend that you rely on INACTIVE clusters persisting") is not listed and not found
 * (ClusterNotFoundException, "The specified cluster wasn't found"); ListTasks naming a service that does
 * not exist is ServiceNotFoundException (API Reference, ListTasks, Errors),
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListTasks.html</li>
 * <li>DescribeClusters of a deleted cluster answers it INACTIVE ("The cluster has been deleted. Clusters with an
 * INACTIVE status may remain discoverable", API Reference, Cluster {@code status}), and of a cluster ECS does not
 * know, a failure with reason MISSING ("The specified cluster wasn't found"); DescribeServices of a deleted service
 * answers it INACTIVE ("Services in the DRAINING or INACTIVE status can still be viewed with the DescribeServices
 * API operation", DeleteService), and of one ECS no longer keeps, a failure with reason MISSING ("The specified
 * service wasn't found"), https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeleteService.html,
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/api_failures_messages.html</li>
 * </ul>
 */
@Tag("emulator")
class EcsRebalanceFidelityTest extends EmptyAccountTest {

    private EcsClient ecs;
    private String td;

    @BeforeEach
    void emptyAccount() {
        ecs = seed.ecs();
        seed.cluster("web");
        td = seed.taskDefinition("api", 256, 256, null);
    }

    private Service describe(String name) {
        return ecs.describeServices(r -> r.cluster("web").services(name)).services().get(0);
    }

    @Test
    void createService_defaultsAvailabilityZoneRebalancingToEnabled() {
        seed.service("web", "api", td, 2);

        assertEquals(AvailabilityZoneRebalancing.ENABLED, describe("api").availabilityZoneRebalancing());
    }

    @Test
    void availabilityZoneRebalancing_keptAsCreated_andAnUpdateWithoutItKeepsIt() {
        ecs.createService(r -> r.cluster("web").serviceName("api").taskDefinition(td).desiredCount(2).launchType(LaunchType.EC2)
                .availabilityZoneRebalancing(AvailabilityZoneRebalancing.DISABLED));
        ecs.updateService(r -> r.cluster("web").service("api").desiredCount(3));
        assertEquals(AvailabilityZoneRebalancing.DISABLED, describe("api").availabilityZoneRebalancing());

        ecs.updateService(r -> r.cluster("web").service("api").availabilityZoneRebalancing(AvailabilityZoneRebalancing.ENABLED));
        assertEquals(AvailabilityZoneRebalancing.ENABLED, describe("api").availabilityZoneRebalancing());
    }

    @Test
    void serviceEvents_newestFirst_asECSWritesThem() {
        seed.service("web", "api", td, 2);
        event("api", "service (api) is not AZ balanced with 2 tasks in us-east-2a, 0 in us-east-2b. AZ Rebalancing in progress.");
        event("api", "service (api) is AZ balanced with 1 tasks in us-east-2a, 1 tasks in us-east-2b.");

        List<String> messages = describe("api").events().stream().map(e -> e.message()).toList();

        assertEquals(2, messages.size());
        assertTrue(messages.get(0).contains("is AZ balanced"), messages.toString());
        assertTrue(describe("api").events().get(0).id() != null && describe("api").events().get(0).createdAt() != null);
    }

    private void event(String service, String message) {
        aws.control("ecs/service-event", Map.of("region", REGION, "cluster", "web", "service", service, "message", message));
    }

    @Test
    void deploymentControllerCapacityProvidersAndConstraints_areDescribed() {
        ecs.createService(r -> r.cluster("web").serviceName("bg").taskDefinition(td).desiredCount(1).launchType(LaunchType.EC2)
                .deploymentController(d -> d.type(DeploymentControllerType.CODE_DEPLOY)));
        ecs.createService(r -> r.cluster("web").serviceName("cp").taskDefinition(td).desiredCount(1)
                .capacityProviderStrategy(s -> s.capacityProvider("spot-asg").weight(1).base(0)));
        ecs.createService(r -> r.cluster("web").serviceName("pinned").taskDefinition(td).desiredCount(1).launchType(LaunchType.EC2)
                .placementConstraints(c -> c.type(PlacementConstraintType.MEMBER_OF).expression("attribute:ecs.instance-type =~ g5.*")));

        assertEquals(DeploymentControllerType.CODE_DEPLOY, describe("bg").deploymentController().type());
        assertEquals("spot-asg", describe("cp").capacityProviderStrategy().get(0).capacityProvider());
        assertEquals("attribute:ecs.instance-type =~ g5.*", describe("pinned").placementConstraints().get(0).expression());
    }

    @Test
    void taskDefinition_gpuRequirementAndConstraints_areDescribed() {
        String gpu = ecs.registerTaskDefinition(r -> r.family("train").containerDefinitions(c -> c.name("train").image("busybox")
                        .cpu(1024).memory(2048).resourceRequirements(q -> q.type(ResourceType.GPU).value("1")))
                .placementConstraints(c -> c.type("memberOf").expression("attribute:ecs.instance-type =~ g5.*")))
                .taskDefinition().taskDefinitionArn();

        TaskDefinition described = ecs.describeTaskDefinition(r -> r.taskDefinition(gpu)).taskDefinition();

        assertEquals(ResourceType.GPU, described.containerDefinitions().get(0).resourceRequirements().get(0).type());
        assertEquals("attribute:ecs.instance-type =~ g5.*", described.placementConstraints().get(0).expression());
    }

    @Test
    void deletedCluster_isNotListed_andNotFound() {
        SeededInstance instance = seed.instance("web", "a", false);
        ecs.deregisterContainerInstance(r -> r.cluster("web").containerInstance(instance.containerInstanceArn()).force(true));
        ecs.deleteCluster(r -> r.cluster("web"));

        assertTrue(ecs.listClusters(r -> r.maxResults(100)).clusterArns().stream().noneMatch(a -> a.endsWith("/web")));
        assertThrows(ClusterNotFoundException.class, () -> ecs.listContainerInstances(r -> r.cluster("web")));
        assertThrows(ClusterNotFoundException.class, () -> ecs.listServices(r -> r.cluster("web")));
        assertThrows(ClusterNotFoundException.class, () -> ecs.listTasks(r -> r.cluster("web")));
        assertThrows(ClusterNotFoundException.class, () -> ecs.describeServices(r -> r.cluster("web").services("api")));
        // DescribeContainerInstances, UpdateContainerInstancesState: Errors, ClusterNotFoundException (API Reference).
        assertThrows(ClusterNotFoundException.class, () -> ecs.describeContainerInstances(r -> r.cluster("web")
                .containerInstances(instance.containerInstanceArn())));
        assertThrows(ClusterNotFoundException.class, () -> ecs.updateContainerInstancesState(r -> r.cluster("web")
                .containerInstances(instance.containerInstanceArn()).status("DRAINING")));
    }

    @Test
    void listTasks_ofAServiceThatDoesNotExist_isServiceNotFound() {
        seed.service("web", "api", td, 1);

        assertEquals(List.of(), ecs.listTasks(r -> r.cluster("web").serviceName("api")).taskArns());
        assertThrows(ServiceNotFoundException.class, () -> ecs.listTasks(r -> r.cluster("web").serviceName("gone")));
    }

    @Test
    void describeClusters_deletedIsInactive_unknownIsMissing() {
        ecs.deleteCluster(r -> r.cluster("web"));

        var described = ecs.describeClusters(r -> r.clusters("web", "never"));

        assertEquals(1, described.clusters().size(), described.toString());
        assertEquals("INACTIVE", described.clusters().get(0).status());
        assertEquals(1, described.failures().size(), described.toString());
        assertEquals("MISSING", described.failures().get(0).reason());
        assertTrue(described.failures().get(0).arn().endsWith("/never"), described.toString());
    }

    @Test
    void describeServices_deletedIsInactive_unknownIsMissing() {
        seed.service("web", "api", td, 0);
        ecs.deleteService(r -> r.cluster("web").service("api"));

        var described = ecs.describeServices(r -> r.cluster("web").services("api", "never"));

        assertEquals(1, described.services().size(), described.toString());
        assertEquals("INACTIVE", described.services().get(0).status());
        assertEquals(1, described.failures().size(), described.toString());
        assertEquals("MISSING", described.failures().get(0).reason());
        assertTrue(described.failures().get(0).arn().endsWith("/never"), described.toString());
    }
}
