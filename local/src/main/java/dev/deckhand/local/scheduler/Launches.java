package dev.deckhand.local.scheduler;

import dev.deckhand.emulator.LocalAws;
import dev.deckhand.local.scheduler.ClusterState.Node;
import dev.deckhand.local.scheduler.SchedulerEvent.Kind;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;

/**
 * What EC2 and the ECS agent do around instances that Deckhand does not launch itself:
 * <ul>
 * <li>an instance launched from a launch template (an Auto Scaling group's or a maintained fleet's
 * replacement, tagged {@code aws:ec2launchtemplate:id} by EC2) starts its agent and registers in the
 * cluster its user data names {@link #AGENT_START} later;</li>
 * <li>an instance terminated through the API (TerminateInstances, TerminateInstanceInAutoScalingGroup)
 * takes its tasks with it, and its container instance goes INACTIVE.</li>
 * </ul>
 * The image a replacement runs is the one its owner's current launch template version names: the
 * emulator launches it so (Auto Scaling, and ec2_fleets.py for fleets).
 */
final class Launches {

    static final Duration AGENT_START = Duration.ofSeconds(60);

    private final Ec2Client ec2;
    private final LocalAws emulator;
    private final String region;
    private final BiConsumer<String, Instant> registerAt;
    private final Set<String> seen = new HashSet<>();

    Launches(Ec2Client ec2, LocalAws emulator, String region, BiConsumer<String, Instant> registerAt) {
        this.ec2 = ec2;
        this.emulator = emulator;
        this.region = region;
        this.registerAt = registerAt;
    }

    void step(List<ClusterState> clusters, Instant now, List<SchedulerEvent> events) {
        Set<String> registered = new HashSet<>();
        clusters.forEach(state -> state.nodes.values().forEach(node -> registered.add(node.ec2InstanceId)));
        Set<String> gone = new HashSet<>();
        ec2.describeInstancesPaginator(r -> r.filters(Filter.builder().name("instance-state-name").values("shutting-down", "terminated").build()))
                .reservations().forEach(reservation -> reservation.instances().forEach(i -> gone.add(i.instanceId())));
        for (ClusterState state : clusters) {
            for (Iterator<Node> nodes = state.nodes.values().iterator(); nodes.hasNext(); ) {
                Node node = nodes.next();
                if (!gone.contains(node.ec2InstanceId)) {
                    continue;
                }
                for (var task : node.tasks) {
                    emulator.control("ecs/task", Map.of("region", region, "cluster", state.cluster, "task", task.taskArn(),
                            "lastStatus", "STOPPED", "stopCode", "TerminationNotice",
                            "stoppedReason", "Host EC2 (instance " + node.ec2InstanceId + ") terminated."));
                    events.add(new SchedulerEvent(now, Kind.TASK_KILLED, state.cluster, null, node.ec2InstanceId, task.taskArn(), task.group()));
                }
                emulator.control("ecs/container-instance", Map.of("region", region, "cluster", state.cluster,
                        "containerInstance", node.arn, "agentConnected", false, "status", "INACTIVE"));
                events.add(new SchedulerEvent(now, Kind.INSTANCE_TERMINATED, state.cluster, null, node.ec2InstanceId, null,
                        "terminated through the API; its container instance is INACTIVE"));
                nodes.remove();
            }
        }
        ec2.describeInstancesPaginator(r -> r.filters(Filter.builder().name("instance-state-name").values("running").build(),
                        Filter.builder().name("tag-key").values("aws:ec2launchtemplate:id").build()))
                .reservations().forEach(reservation -> reservation.instances().forEach(instance -> {
                    if (!registered.contains(instance.instanceId()) && seen.add(instance.instanceId())) {
                        registerAt.accept(instance.instanceId(), now.plus(AGENT_START));
                    }
                }));
        registered.forEach(seen::add);
    }
}
