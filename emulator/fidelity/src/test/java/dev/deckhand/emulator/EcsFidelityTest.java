package dev.deckhand.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deckhand.emulator.AccountSeeder.SeededInstance;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.ContainerInstanceStatus;
import software.amazon.awssdk.services.ecs.model.DescribeTasksResponse;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.ListContainerInstancesResponse;
import software.amazon.awssdk.services.ecs.model.ListTasksResponse;

/**
 * Pins each ECS fix in emulator/python/deckhand_emulator/ecs_fixes.py to the behaviour the ECS API
 * Reference documents (ListContainerInstances, ListTasks, DescribeTasks, StopTask,
 * UpdateContainerInstancesState). Each test names the documented behaviour it checks.
 */
@Tag("emulator")
class EcsFidelityTest extends EmptyAccountTest {

    private EcsClient ecs;

    @BeforeEach
    void emptyAccount() {
        ecs = seed.ecs();
    }

    @Test
    void listContainerInstances_filterByEc2InstanceId_returnsOnlyThatInstance() {
        seed.cluster("web");
        seed.instance("web", "a", true);
        SeededInstance wanted = seed.instance("web", "b", false);
        seed.instance("web", "a", false);

        ListContainerInstancesResponse page = ecs.listContainerInstances(r -> r.cluster("web")
                .filter("ec2InstanceId == " + wanted.ec2InstanceId()));

        assertEquals(List.of(wanted.containerInstanceArn()), page.containerInstanceArns());
    }

    @Test
    void listContainerInstances_filterMatchingNothing_returnsEmpty() {
        seed.cluster("web");
        seed.instance("web", "a", true);

        assertTrue(ecs.listContainerInstances(r -> r.cluster("web").filter("ec2InstanceId == i-0000000000000000f"))
                .containerInstanceArns().isEmpty());
    }

    @Test
    void listContainerInstances_filterOnAttribute_andConjunction() {
        seed.cluster("web");
        SeededInstance inA = seed.instance("web", "a", true);
        seed.instance("web", "b", true);

        List<String> arns = ecs.listContainerInstances(r -> r.cluster("web")
                .filter("attribute:ecs.availability-zone == " + REGION + "a and agentConnected == true"))
                .containerInstanceArns();

        assertEquals(List.of(inA.containerInstanceArn()), arns);
    }

    @Test
    void listContainerInstances_unsupportedExpression_isRefusedNotIgnored() {
        seed.cluster("web");

        assertThrows(InvalidParameterException.class,
                () -> ecs.listContainerInstances(r -> r.cluster("web").filter("task:group == service:x")));
    }

    @Test
    void listContainerInstances_pagesBy100_whenMaxResultsIsAbsent() {
        seed.cluster("big");
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 130; i++) {
            all.add(seed.instance("big", i % 2 == 0 ? "a" : "b", true).containerInstanceArn());
        }

        ListContainerInstancesResponse first = ecs.listContainerInstances(r -> r.cluster("big"));
        ListContainerInstancesResponse second = ecs.listContainerInstances(r -> r.cluster("big").nextToken(first.nextToken()));

        assertEquals(100, first.containerInstanceArns().size());
        assertNotNull(first.nextToken());
        assertEquals(30, second.containerInstanceArns().size());
        assertNull(second.nextToken());
        List<String> seen = new ArrayList<>(first.containerInstanceArns());
        seen.addAll(second.containerInstanceArns());
        Collections.sort(seen);
        Collections.sort(all);
        assertEquals(all, seen);
    }

    @Test
    void listContainerInstances_honoursMaxResults_andRejectsMoreThan100() {
        seed.cluster("web");
        for (int i = 0; i < 3; i++) {
            seed.instance("web", "a", true);
        }

        ListContainerInstancesResponse page = ecs.listContainerInstances(r -> r.cluster("web").maxResults(2));

        assertEquals(2, page.containerInstanceArns().size());
        assertNotNull(page.nextToken());
        assertThrows(InvalidParameterException.class, () -> ecs.listContainerInstances(r -> r.cluster("web").maxResults(101)));
    }

    @Test
    void listContainerInstances_statusFilters_andDefaultListsDrainingToo() {
        seed.cluster("web");
        SeededInstance active = seed.instance("web", "a", true);
        SeededInstance draining = seed.instance("web", "b", true);
        ecs.updateContainerInstancesState(r -> r.cluster("web").containerInstances(draining.containerInstanceArn())
                .status(ContainerInstanceStatus.DRAINING));

        assertEquals(List.of(draining.containerInstanceArn()),
                ecs.listContainerInstances(r -> r.cluster("web").status(ContainerInstanceStatus.DRAINING)).containerInstanceArns());
        assertEquals(List.of(active.containerInstanceArn()),
                ecs.listContainerInstances(r -> r.cluster("web").status(ContainerInstanceStatus.ACTIVE)).containerInstanceArns());
        assertEquals(2, ecs.listContainerInstances(r -> r.cluster("web")).containerInstanceArns().size());
    }

    @Test
    void listContainerInstances_unknownCluster_isClusterNotFound() {
        assertThrows(ClusterNotFoundException.class, () -> ecs.listContainerInstances(r -> r.cluster("absent")));
    }

    @Test
    void listClusters_pagesBy100() {
        for (int i = 0; i < 103; i++) {
            seed.cluster("c" + i);
        }

        var first = ecs.listClusters(r -> r.maxResults(100));
        var second = ecs.listClusters(r -> r.nextToken(first.nextToken()));

        assertEquals(100, first.clusterArns().size());
        assertEquals(3, second.clusterArns().size());
        assertNull(second.nextToken());
    }

    @Test
    void listServices_pagesBy10ByDefault_andUpTo100() {
        seed.cluster("web");
        String td = seed.taskDefinition("svc", 16, 16, null);
        for (int i = 0; i < 12; i++) {
            seed.service("web", "svc-" + i, td, 0);
        }

        var first = ecs.listServices(r -> r.cluster("web"));
        var second = ecs.listServices(r -> r.cluster("web").nextToken(first.nextToken()));
        var all = ecs.listServices(r -> r.cluster("web").maxResults(100));

        assertEquals(10, first.serviceArns().size());
        assertEquals(2, second.serviceArns().size());
        assertNull(second.nextToken());
        assertEquals(12, all.serviceArns().size());
    }

    @Test
    void listServices_namesOnlyTheClustersOwn_notOnesWhoseNameContainsIt() {
        seed.cluster("web");
        seed.cluster("demo-web");
        String td = seed.taskDefinition("svc", 16, 16, null);
        seed.service("demo-web", "frontend", td, 0);

        assertEquals(List.of(), ecs.listServices(r -> r.cluster("web")).serviceArns());
        assertEquals(1, ecs.listServices(r -> r.cluster("demo-web")).serviceArns().size());
    }

    @Test
    void describeServices_moreThan10_isRefused() {
        seed.cluster("web");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            names.add("svc-" + i);
        }

        assertThrows(InvalidParameterException.class, () -> ecs.describeServices(r -> r.cluster("web").services(names)));
    }

    @Test
    void updateContainerInstancesState_moreThan10Instances_isRefused() {
        seed.cluster("web");
        List<String> arns = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            arns.add(seed.instance("web", "a", true).containerInstanceArn());
        }

        assertThrows(InvalidParameterException.class, () -> ecs.updateContainerInstancesState(
                r -> r.cluster("web").containerInstances(arns).status(ContainerInstanceStatus.DRAINING)));
    }

    @Test
    void describeTasks_doesNotChangeTaskStatus() {
        seed.cluster("web");
        SeededInstance instance = seed.instance("web", "a", true);
        String task = seed.standaloneTask("web", seed.taskDefinition("job", 128, 128, null), instance);

        for (int i = 0; i < 5; i++) {
            assertEquals("RUNNING", ecs.describeTasks(r -> r.cluster("web").tasks(task)).tasks().get(0).lastStatus());
        }
    }

    @Test
    void describeTasks_describesOnlyTheNamedCluster_andReportsOthersMissing() {
        seed.cluster("web");
        seed.cluster("batch");
        SeededInstance web = seed.instance("web", "a", true);
        String task = seed.standaloneTask("web", seed.taskDefinition("job", 128, 128, null), web);

        DescribeTasksResponse response = ecs.describeTasks(r -> r.cluster("batch").tasks(task));

        assertTrue(response.tasks().isEmpty());
        assertEquals("MISSING", response.failures().get(0).reason());
    }

    @Test
    void describeTasks_moreThan100_isRefused() {
        seed.cluster("web");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            ids.add("arn:aws:ecs:us-east-2:123456789012:task/web/" + i);
        }

        assertThrows(InvalidParameterException.class, () -> ecs.describeTasks(r -> r.cluster("web").tasks(ids)));
    }

    @Test
    void listTasks_defaultsToDesiredStatusRunning() {
        seed.cluster("web");
        SeededInstance instance = seed.instance("web", "a", true);
        String td = seed.taskDefinition("job", 128, 128, null);
        String running = seed.standaloneTask("web", td, instance);
        String stopped = seed.standaloneTask("web", td, instance);
        ecs.stopTask(r -> r.cluster("web").task(stopped).reason("done"));

        assertEquals(List.of(running), ecs.listTasks(r -> r.cluster("web")).taskArns());
        assertEquals(List.of(stopped), ecs.listTasks(r -> r.cluster("web").desiredStatus(DesiredStatus.STOPPED)).taskArns());
    }

    @Test
    void listTasks_listsOnlyTheNamedCluster_andMatchesContainerInstanceExactly() {
        seed.cluster("web");
        seed.cluster("batch");
        SeededInstance a = seed.instance("web", "a", true);
        SeededInstance b = seed.instance("web", "b", true);
        SeededInstance other = seed.instance("batch", "a", true);
        String td = seed.taskDefinition("job", 128, 128, null);
        String onA = seed.standaloneTask("web", td, a);
        seed.standaloneTask("web", td, b);
        seed.standaloneTask("batch", td, other);

        assertEquals(2, ecs.listTasks(r -> r.cluster("web")).taskArns().size());
        assertEquals(List.of(onA), ecs.listTasks(r -> r.cluster("web").containerInstance(a.containerInstanceArn())).taskArns());
    }

    @Test
    void listTasks_filtersByServiceName() {
        seed.cluster("web");
        SeededInstance instance = seed.instance("web", "a", true);
        String td = seed.taskDefinition("api", 128, 128, null);
        seed.service("web", "api", td, 2);
        List<String> serviceTasks = seed.serviceTasks("web", "api", td, List.of(instance, instance));
        seed.standaloneTask("web", td, instance);

        List<String> listed = new ArrayList<>(ecs.listTasks(r -> r.cluster("web").serviceName("api")).taskArns());
        Collections.sort(listed);
        List<String> expected = new ArrayList<>(serviceTasks);
        Collections.sort(expected);
        assertEquals(expected, listed);
    }

    @Test
    void listTasks_pagesBy100() {
        seed.cluster("web");
        SeededInstance instance = seed.instance("web", "a", true);
        String td = seed.taskDefinition("tiny", 1, 1, null);
        for (int i = 0; i < 105; i++) {
            seed.standaloneTask("web", td, instance);
        }

        ListTasksResponse first = ecs.listTasks(r -> r.cluster("web"));
        ListTasksResponse second = ecs.listTasks(r -> r.cluster("web").nextToken(first.nextToken()));

        assertEquals(100, first.taskArns().size());
        assertEquals(5, second.taskArns().size());
        assertNull(second.nextToken());
    }

    @Test
    void stopTask_twice_changesNothingTheSecondTime() {
        seed.cluster("web");
        SeededInstance instance = seed.instance("web", "a", true);
        String task = seed.standaloneTask("web", seed.taskDefinition("job", 512, 256, null), instance);

        ecs.stopTask(r -> r.cluster("web").task(task).reason("first"));
        ecs.stopTask(r -> r.cluster("web").task(task).reason("second"));
        aws.control("clock/advance", java.util.Map.of("seconds", 30)); // its stopTimeout (ecs_task_phases)

        var described = ecs.describeTasks(r -> r.cluster("web").tasks(task)).tasks().get(0);
        assertEquals("STOPPED", described.lastStatus());
        assertEquals("first", described.stoppedReason());
        assertEquals("UserInitiated", described.stopCodeAsString());
        var ci = ecs.describeContainerInstances(r -> r.cluster("web").containerInstances(instance.containerInstanceArn()))
                .containerInstances().get(0);
        assertEquals(0, ci.runningTasksCount());
        assertEquals(4096, ci.remainingResources().stream().filter(res -> res.name().equals("CPU")).findFirst()
                .orElseThrow().integerValue());
    }

    @Test
    void stopTask_unknownTask_isInvalidParameter() {
        seed.cluster("web");
        seed.instance("web", "a", true);

        assertThrows(InvalidParameterException.class,
                () -> ecs.stopTask(r -> r.cluster("web").task("arn:aws:ecs:us-east-2:123456789012:task/web/nope")));
    }

    @Test
    void seeding_runInstancesWithIdTag_getsThatId() {
        SeededInstance instance;
        seed.cluster("web");

        instance = seed.instance("web", "a", true, "i-1234567890abcdef0");

        assertEquals("i-1234567890abcdef0", instance.ec2InstanceId());
        assertEquals(List.of(instance.containerInstanceArn()),
                ecs.listContainerInstances(r -> r.cluster("web").filter("ec2InstanceId == i-1234567890abcdef0")).containerInstanceArns());
    }
}
