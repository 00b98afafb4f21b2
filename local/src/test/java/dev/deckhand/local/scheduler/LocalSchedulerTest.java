package dev.deckhand.local.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deckhand.emulator.AccountSeeder;
import dev.deckhand.emulator.AccountSeeder.SeededInstance;
import dev.deckhand.emulator.LocalAws;
import dev.deckhand.local.scheduler.SchedulerEvent.Kind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerInstanceStatus;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.Task;

@Tag("emulator")
class LocalSchedulerTest {

    private static final String REGION = "us-east-2";
    private static final Duration TICK = Duration.ofSeconds(10);
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private AccountSeeder seed;
    private EcsClient ecs;
    private LocalScheduler scheduler;

    @BeforeEach
    void emptyAccount() {
        LocalAws.shared().reset();
        seed = new AccountSeeder(LocalAws.shared(), REGION);
        ecs = seed.ecs();
        scheduler = new LocalScheduler(ecs, seed.ec2(), LocalAws.shared(), REGION, T0);
        seed.cluster("web");
    }

    private Service service(String name) {
        return ecs.describeServices(r -> r.cluster("web").services(name)).services().get(0);
    }

    private List<Task> running(String service) {
        List<String> arns = ecs.listTasks(r -> r.cluster("web").serviceName(service)).taskArns();
        return arns.isEmpty() ? List.of() : ecs.describeTasks(r -> r.cluster("web").tasks(arns)).tasks();
    }

    private Map<String, Integer> perInstance(List<Task> tasks, List<SeededInstance> instances) {
        Map<String, Integer> counts = new HashMap<>();
        for (SeededInstance instance : instances) {
            counts.put(instance.ec2InstanceId(), (int) tasks.stream()
                    .filter(t -> t.containerInstanceArn().equals(instance.containerInstanceArn())).count());
        }
        return counts;
    }

    private void drain(SeededInstance instance) {
        ecs.updateContainerInstancesState(r -> r.cluster("web").containerInstances(instance.containerInstanceArn())
                .status(ContainerInstanceStatus.DRAINING));
    }

    @Test
    void newService_isPlacedSpreadOverZonesThenInstances() {
        List<SeededInstance> instances = List.of(seed.instance("web", "a", true), seed.instance("web", "a", true),
                seed.instance("web", "b", true), seed.instance("web", "b", true));
        seed.service("web", "api", seed.taskDefinition("api", 256, 256, null), 4);

        scheduler.settle(TICK, 10);

        assertEquals(Map.of(instances.get(0).ec2InstanceId(), 1, instances.get(1).ec2InstanceId(), 1,
                instances.get(2).ec2InstanceId(), 1, instances.get(3).ec2InstanceId(), 1), perInstance(running("api"), instances));
        assertEquals("COMPLETED", service("api").deployments().get(0).rolloutStateAsString());
    }

    @Test
    void drainingInstance_tasksAreReplacedBeforeTheyStop_withMaximum200() {
        SeededInstance draining = seed.instance("web", "a", true);
        SeededInstance other = seed.instance("web", "b", true);
        String td = seed.taskDefinition("api", 256, 256, null);
        seed.service("web", "api", td, 2);
        seed.serviceTasks("web", "api", td, List.of(draining, draining));
        scheduler.settle(TICK, 5);
        drain(draining);

        List<SchedulerEvent> events = scheduler.step(TICK);

        assertEquals(List.of(Kind.TASK_STARTED, Kind.TASK_STARTED, Kind.TASK_STOPPED, Kind.TASK_STOPPED),
                events.stream().map(SchedulerEvent::kind).toList());
        assertEquals(Map.of(draining.ec2InstanceId(), 0, other.ec2InstanceId(), 2), perInstance(running("api"), List.of(draining, other)));
        assertEquals(2, service("api").runningCount());
    }

    @Test
    void drainingInstance_withMinimumHealthy50AndMaximum100_neverGoesBelowHalf() {
        SeededInstance draining = seed.instance("web", "a", true);
        SeededInstance other = seed.instance("web", "b", true);
        String td = seed.taskDefinition("api", 256, 256, null);
        ecs.createService(r -> r.cluster("web").serviceName("api").taskDefinition(td).desiredCount(4)
                .deploymentConfiguration(c -> c.minimumHealthyPercent(50).maximumPercent(100)));
        seed.serviceTasks("web", "api", td, List.of(draining, draining, draining, draining));
        scheduler.settle(TICK, 5);
        drain(draining);

        List<Integer> runningAfterEachStep = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            scheduler.step(TICK);
            runningAfterEachStep.add(running("api").size());
        }

        assertTrue(runningAfterEachStep.stream().allMatch(n -> n >= 2), runningAfterEachStep.toString());
        assertEquals(Map.of(draining.ec2InstanceId(), 0, other.ec2InstanceId(), 4), perInstance(running("api"), List.of(draining, other)));
    }

    @Test
    void spotInstance_goesAtItsDeadline_andTakesWhatIsLeftWithIt() {
        SeededInstance spot = seed.instance("web", "a", true);
        seed.instance("web", "b", false);
        String standalone = seed.standaloneTask("web", seed.taskDefinition("report", 256, 256, null), spot);
        scheduler.terminateAt(spot.ec2InstanceId(), T0.plusSeconds(120), "Spot interruption");

        List<SchedulerEvent> before = scheduler.runUntil(T0.plusSeconds(110), TICK);
        List<SchedulerEvent> after = scheduler.runUntil(T0.plusSeconds(130), TICK);

        assertTrue(before.isEmpty());
        assertEquals(List.of(Kind.TASK_KILLED, Kind.INSTANCE_TERMINATED), after.stream().map(SchedulerEvent::kind).toList());
        assertEquals(standalone, after.get(0).taskArn());
        assertEquals("TerminationNotice", ecs.describeTasks(r -> r.cluster("web").tasks(standalone)).tasks().get(0).stopCodeAsString());
        assertTrue(ecs.listContainerInstances(r -> r.cluster("web")).containerInstanceArns().stream()
                .noneMatch(arn -> arn.equals(spot.containerInstanceArn())));
        assertEquals("terminated", seed.ec2().describeInstances(r -> r.instanceIds(spot.ec2InstanceId()))
                .reservations().get(0).instances().get(0).state().nameAsString());
    }

    @Test
    void newTaskDefinition_isRolledOut_andTheDeploymentCompletes() {
        seed.instance("web", "a", true);
        seed.instance("web", "b", true);
        String v1 = seed.taskDefinition("api", 256, 256, null);
        String v2 = seed.taskDefinition("api", 256, 512, null);
        seed.service("web", "api", v1, 3);
        scheduler.settle(TICK, 5);

        ecs.updateService(r -> r.cluster("web").service("api").taskDefinition(v2));
        List<SchedulerEvent> events = scheduler.settle(TICK, 10);

        assertTrue(running("api").stream().allMatch(t -> t.taskDefinitionArn().equals(v2)));
        assertEquals(3, running("api").size());
        assertEquals(Kind.DEPLOYMENT_COMPLETED, events.get(events.size() - 1).kind());
        assertEquals(1, service("api").deployments().size());
    }

    @Test
    void taskWithNoRoom_isReportedUnplaceable() {
        seed.instance("web", "a", true);
        seed.service("web", "big", seed.taskDefinition("big", 3000, 1024, null), 2);

        List<SchedulerEvent> events = scheduler.step(TICK);

        assertEquals(List.of(Kind.TASK_STARTED, Kind.TASK_UNPLACEABLE), events.stream().map(SchedulerEvent::kind).toList());
    }

    @Test
    void scaleIn_stopsTheExtraTasks() {
        seed.instance("web", "a", true);
        seed.service("web", "api", seed.taskDefinition("api", 256, 256, null), 3);
        scheduler.settle(TICK, 5);

        ecs.updateService(r -> r.cluster("web").service("api").desiredCount(1));
        scheduler.settle(TICK, 5);

        assertEquals(1, running("api").size());
    }

    @Test
    void stepWithChangeFilter_leavesQuietClustersAlone_yetReclaimsDueInstancesAndActsOnNamedClusters() {
        seed.cluster("quiet");
        SeededInstance web = seed.instance("web", "a", true);
        seed.instance("web", "b", true);
        SeededInstance quiet = seed.instance("quiet", "a", true);
        seed.instance("quiet", "b", true);
        seed.service("web", "api", seed.taskDefinition("api", 256, 256, null), 2);
        seed.service("quiet", "batch", seed.taskDefinition("batch", 256, 256, null), 2);
        scheduler.settle(TICK, 10);
        scheduler.step(TICK, cluster -> false); // nothing changed since: a quiet step

        // Outside the scheduler: a drain in web (named as changed), and one in quiet (not named).
        drain(web);
        drain(quiet);
        List<SchedulerEvent> events = scheduler.step(TICK, "web"::equals);

        assertTrue(events.stream().anyMatch(e -> e.kind() == Kind.TASK_STOPPED && "web".equals(e.cluster())), "web was read again");
        assertTrue(events.stream().noneMatch(e -> "quiet".equals(e.cluster())), "quiet was not read: its drain waits for a step that names it");
        assertEquals("DRAINING", scheduler.snapshot().statusByInstance().get(web.ec2InstanceId()));
        assertEquals("ACTIVE", scheduler.snapshot().statusByInstance().get(quiet.ec2InstanceId()), "the snapshot keeps quiet's last read");

        scheduler.terminateAt(quiet.ec2InstanceId(), scheduler.now().plus(TICK), "Spot interruption");
        List<SchedulerEvent> reclaim = scheduler.step(TICK, cluster -> false);

        assertTrue(reclaim.stream().anyMatch(e -> e.kind() == Kind.INSTANCE_TERMINATED && quiet.ec2InstanceId().equals(e.ec2InstanceId())));
        assertTrue(reclaim.stream().anyMatch(e -> e.kind() == Kind.TASK_STARTED && "quiet".equals(e.cluster())),
                "a cluster with an instance due to go is read and reconciled whatever the filter says");
        assertEquals(null, scheduler.snapshot().statusByInstance().get(quiet.ec2InstanceId()));
    }
}
