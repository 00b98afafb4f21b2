package dev.deckhand.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deckhand.emulator.AccountSeeder.SeededInstance;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * Pins emulator/python/deckhand_emulator/ecs_task_phases.py: a task asked to stop passes through
 * DEACTIVATING (a service behind a load balancer waits for its target group's deregistration
 * delay) and STOPPING (SIGTERM, then the container's stopTimeout) before it is STOPPED, while its
 * desiredStatus is STOPPED from the start and the container instance's runningTasksCount no longer
 * counts it.
 * <ul>
 * <li>Amazon ECS Developer Guide, "Amazon ECS task lifecycle",
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-lifecycle-explanation.html</li>
 * <li>"Draining Amazon ECS container instances",
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/container-instance-draining.html</li>
 * <li>API Reference, ContainerInstance (runningTasksCount: "tasks ... that have a desired status
 * (desiredStatus) of RUNNING"), ContainerDefinition (stopTimeout: default 30 s), ListTasks
 * (desiredStatus STOPPED lists the tasks ECS set to STOPPED),
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerInstance.html</li>
 * <li>Elastic Load Balancing, target group attributes (deregistration_delay.timeout_seconds, default 300),
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-target-groups.html#deregistration-delay</li>
 * </ul>
 */
@Tag("emulator")
class EcsTaskPhasesFidelityTest extends EmptyAccountTest {

    private EcsClient ecs;
    private SeededInstance instance;

    @BeforeEach
    void emptyAccount() {
        ecs = seed.ecs();
        seed.cluster("web");
        instance = seed.instance("web", "a", false);
    }

    private Task describe(String task) {
        return ecs.describeTasks(r -> r.cluster("web").tasks(task)).tasks().get(0);
    }

    private void advance(int seconds) {
        aws.control("clock/advance", Map.of("seconds", seconds));
    }

    private String serviceTaskBehind(String targetGroupArn, Integer stopTimeout) {
        String td = seed.taskDefinition("api", 256, 256, stopTimeout);
        ecs.createService(r -> r.cluster("web").serviceName("api").taskDefinition(td).desiredCount(1).launchType(LaunchType.EC2)
                .loadBalancers(lb -> lb.targetGroupArn(targetGroupArn).containerName("api").containerPort(80)));
        return seed.serviceTasks("web", "api", td, List.of(instance)).get(0);
    }

    @Test
    void stopTask_behindALoadBalancer_deactivatesForTheDeregistrationDelay_thenStopsForTheStopTimeout() {
        String task = serviceTaskBehind(aws.targetGroup(REGION, "api", 60), 20);

        ecs.stopTask(r -> r.cluster("web").task(task).reason("scaling in"));

        Task deactivating = describe(task);
        assertEquals("STOPPED", deactivating.desiredStatus());
        assertEquals("DEACTIVATING", deactivating.lastStatus());
        assertNull(deactivating.stoppedAt());
        assertEquals(List.of(), ecs.listTasks(r -> r.cluster("web").containerInstance(instance.containerInstanceArn())).taskArns());
        assertEquals(List.of(task), ecs.listTasks(r -> r.cluster("web").containerInstance(instance.containerInstanceArn())
                .desiredStatus(DesiredStatus.STOPPED)).taskArns());
        assertEquals(0, ecs.describeContainerInstances(r -> r.cluster("web").containerInstances(instance.containerInstanceArn()))
                .containerInstances().get(0).runningTasksCount());

        advance(59);
        assertEquals("DEACTIVATING", describe(task).lastStatus());
        advance(1);
        Task stopping = describe(task);
        assertEquals("STOPPING", stopping.lastStatus());
        assertNotNull(stopping.stoppingAt());
        advance(19);
        assertEquals("STOPPING", describe(task).lastStatus());
        advance(1);
        Task stopped = describe(task);
        assertEquals("STOPPED", stopped.lastStatus());
        assertNotNull(stopped.stoppedAt());
        assertTrue(!stopped.stoppedAt().isBefore(stopping.stoppingAt().plusSeconds(20)), stopped.stoppedAt() + " " + stopping.stoppingAt());
    }

    @Test
    void stopTask_targetGroupWithTheDefaultDelay_deactivatesFor300Seconds() {
        String task = serviceTaskBehind(aws.targetGroup(REGION, "api", 300), null);

        ecs.stopTask(r -> r.cluster("web").task(task));

        advance(299);
        assertEquals("DEACTIVATING", describe(task).lastStatus());
        advance(1);
        assertEquals("STOPPING", describe(task).lastStatus());
        advance(30);
        assertEquals("STOPPED", describe(task).lastStatus());
    }

    @Test
    void stopTask_noLoadBalancer_stopsAtOnceForTheDefaultStopTimeoutOf30Seconds() {
        String task = seed.standaloneTask("web", seed.taskDefinition("job", 256, 256, null), instance);

        ecs.stopTask(r -> r.cluster("web").task(task));

        assertEquals("STOPPING", describe(task).lastStatus());
        advance(29);
        assertEquals("STOPPING", describe(task).lastStatus());
        advance(1);
        assertEquals("STOPPED", describe(task).lastStatus());
    }

    @Test
    void control_schedulerStop_goesThroughThePhases_andTheInstanceGoingAwayStopsItAtOnce() {
        String task = serviceTaskBehind(aws.targetGroup(REGION, "api", 60), null);

        aws.control("ecs/task", Map.of("region", REGION, "cluster", "web", "task", task, "desiredStatus", "STOPPED",
                "stopCode", "ServiceSchedulerInitiated", "stoppedReason", "Task stopped by the ECS scheduler"));
        Task deactivating = describe(task);
        assertEquals("DEACTIVATING", deactivating.lastStatus());
        assertEquals("ServiceSchedulerInitiated", deactivating.stopCodeAsString());

        aws.control("ecs/task", Map.of("region", REGION, "cluster", "web", "task", task, "lastStatus", "STOPPED",
                "stopCode", "TerminationNotice", "stoppedReason", "Host EC2 (instance " + instance.ec2InstanceId() + ") terminated."));
        Task killed = describe(task);
        assertEquals("STOPPED", killed.lastStatus());
        assertEquals("TerminationNotice", killed.stopCodeAsString());
        advance(120);
        assertEquals("STOPPED", describe(task).lastStatus());
    }
}
