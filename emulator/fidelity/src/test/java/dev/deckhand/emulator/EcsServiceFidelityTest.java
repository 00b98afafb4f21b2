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
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DescribeServicesResponse;
import software.amazon.awssdk.services.ecs.model.PlacementStrategyType;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.SettingName;

/**
 * Pins emulator/python/deckhand_emulator/ecs_services.py to the ECS API Reference (CreateService,
 * UpdateService, DescribeServices) and the control API the local scheduler uses.
 */
@Tag("emulator")
class EcsServiceFidelityTest extends EmptyAccountTest {

    private EcsClient ecs;

    @BeforeEach
    void emptyAccount() {
        ecs = seed.ecs();
        seed.cluster("web");
    }

    private Service describe(String name) {
        return ecs.describeServices(r -> r.cluster("web").services(name)).services().get(0);
    }

    @Test
    void createService_defaultsDeploymentConfigurationTo200And100() {
        seed.service("web", "api", seed.taskDefinition("api", 256, 256, null), 2);

        Service service = describe("api");

        assertEquals(200, service.deploymentConfiguration().maximumPercent());
        assertEquals(100, service.deploymentConfiguration().minimumHealthyPercent());
    }

    @Test
    void createService_keepsDeploymentConfigurationAndPlacementStrategy() {
        String td = seed.taskDefinition("api", 256, 256, null);
        ecs.createService(r -> r.cluster("web").serviceName("api").taskDefinition(td).desiredCount(2)
                .deploymentConfiguration(c -> c.minimumHealthyPercent(50).maximumPercent(150))
                .placementStrategy(p -> p.type(PlacementStrategyType.SPREAD).field("attribute:ecs.availability-zone")));

        Service service = describe("api");

        assertEquals(50, service.deploymentConfiguration().minimumHealthyPercent());
        assertEquals(150, service.deploymentConfiguration().maximumPercent());
        assertEquals("attribute:ecs.availability-zone", service.placementStrategy().get(0).field());
    }

    @Test
    void describeServices_countsTheServicesRunningTasks() {
        SeededInstance instance = seed.instance("web", "a", true);
        String td = seed.taskDefinition("api", 256, 256, null);
        seed.service("web", "api", td, 3);
        List<String> tasks = seed.serviceTasks("web", "api", td, List.of(instance, instance));
        seed.standaloneTask("web", td, instance);
        ecs.stopTask(r -> r.cluster("web").task(tasks.get(0)));

        Service service = describe("api");

        assertEquals(1, service.runningCount());
        assertEquals(1, service.deployments().get(0).runningCount());
        assertEquals(3, service.deployments().get(0).desiredCount());
    }

    @Test
    void updateService_newTaskDefinition_startsANewPrimaryDeployment() {
        String v1 = seed.taskDefinition("api", 256, 256, null);
        String v2 = seed.taskDefinition("api", 256, 512, null);
        seed.service("web", "api", v1, 2);
        String first = describe("api").deployments().get(0).id();

        ecs.updateService(r -> r.cluster("web").service("api").taskDefinition(v2));

        List<Deployment> deployments = describe("api").deployments();
        assertEquals(2, deployments.size());
        assertEquals("PRIMARY", deployments.get(0).status());
        assertEquals("IN_PROGRESS", deployments.get(0).rolloutStateAsString());
        assertEquals(v2, deployments.get(0).taskDefinition());
        assertEquals("ACTIVE", deployments.get(1).status());
        assertEquals(first, deployments.get(1).id());
    }

    @Test
    void updateService_desiredCountOnly_keepsTheDeployment() {
        seed.service("web", "api", seed.taskDefinition("api", 256, 256, null), 2);
        String first = describe("api").deployments().get(0).id();

        ecs.updateService(r -> r.cluster("web").service("api").desiredCount(5));

        Service service = describe("api");
        assertEquals(5, service.desiredCount());
        assertEquals(List.of(first), service.deployments().stream().map(Deployment::id).toList());
        assertEquals(0, service.runningCount());
    }

    @Test
    void control_completingARollout_dropsTheReplacedDeployments() {
        String v1 = seed.taskDefinition("api", 256, 256, null);
        String v2 = seed.taskDefinition("api", 256, 512, null);
        seed.service("web", "api", v1, 1);
        ecs.updateService(r -> r.cluster("web").service("api").taskDefinition(v2));
        String primary = describe("api").deployments().get(0).id();

        aws.control("ecs/deployment", Map.of("region", REGION, "cluster", "web", "service", "api",
                "deploymentId", primary, "rolloutState", "COMPLETED"));

        List<Deployment> deployments = describe("api").deployments();
        assertEquals(1, deployments.size());
        assertEquals("COMPLETED", deployments.get(0).rolloutStateAsString());
    }

    @Test
    void control_stoppingATaskWithACode_releasesItsResourcesOnce() {
        SeededInstance instance = seed.instance("web", "a", true);
        String task = seed.standaloneTask("web", seed.taskDefinition("job", 1024, 256, null), instance);

        aws.control("ecs/task", Map.of("region", REGION, "cluster", "web", "task", task, "lastStatus", "STOPPED",
                "stopCode", "TerminationNotice", "stoppedReason", "Host EC2 (instance " + instance.ec2InstanceId() + ") terminated."));

        var described = ecs.describeTasks(r -> r.cluster("web").tasks(task)).tasks().get(0);
        assertEquals("STOPPED", described.lastStatus());
        assertEquals("TerminationNotice", described.stopCodeAsString());
        var ci = ecs.describeContainerInstances(r -> r.cluster("web").containerInstances(instance.containerInstanceArn()))
                .containerInstances().get(0);
        assertEquals(0, ci.runningTasksCount());
        assertEquals(4096, ci.remainingResources().stream().filter(x -> x.name().equals("CPU")).findFirst().orElseThrow().integerValue());
    }

    @Test
    void control_unknownActionOrTarget_isAnError() {
        assertThrows(IllegalStateException.class, () -> aws.control("ecs/nothing", Map.of("region", REGION)));
        assertThrows(IllegalStateException.class, () -> aws.control("ecs/task",
                Map.of("region", REGION, "cluster", "web", "task", "nope", "lastStatus", "STOPPED")));
    }

    /**
     * A service made before 2021 keeps its short ARN {@code arn:aws:ecs:REGION:ACCOUNT:service/NAME},
     * which names no cluster (ECS Developer Guide, "Migrate an Amazon ECS short service ARN to a long
     * ARN": "When the ARN doesn't contain the cluster name, you have a short ARN"). DescribeServices
     * takes a service's name or full ARN with the cluster that hosts it (API Reference,
     * DescribeServices, {@code services} and {@code cluster}): the short ARN in its own cluster
     * finds the service; in another cluster it is a {@code failures} entry MISSING (as by name).
     * The short ARN is made here as it was then, with {@code serviceLongArnFormat} disabled.
     */
    @Test
    void describeServices_byAShortArn_findsTheServiceInItsCluster_andIsMissingElsewhere() {
        seed.cluster("batch");
        String td = seed.taskDefinition("legacy-api", 256, 256, null);
        ecs.putAccountSetting(r -> r.name(SettingName.SERVICE_LONG_ARN_FORMAT).value("disabled"));
        String shortArn = ecs.createService(r -> r.cluster("web").serviceName("legacy-api").taskDefinition(td).desiredCount(0))
                .service().serviceArn();
        assertEquals("arn:aws:ecs:" + REGION + ":123456789012:service/legacy-api", shortArn, "no cluster name in the ARN");

        DescribeServicesResponse inItsCluster = ecs.describeServices(r -> r.cluster("web").services(shortArn));
        DescribeServicesResponse elsewhere = ecs.describeServices(r -> r.cluster("batch").services(shortArn));

        assertEquals(1, inItsCluster.services().size(), inItsCluster.toString());
        assertEquals("legacy-api", inItsCluster.services().get(0).serviceName());
        assertEquals(shortArn, inItsCluster.services().get(0).serviceArn());
        assertTrue(inItsCluster.services().get(0).clusterArn().endsWith(":cluster/web"), inItsCluster.services().get(0).clusterArn());
        assertEquals(List.of(), inItsCluster.failures());
        assertEquals(List.of(), elsewhere.services());
        assertEquals(shortArn, elsewhere.failures().get(0).arn());
        assertEquals("MISSING", elsewhere.failures().get(0).reason());
    }
}
