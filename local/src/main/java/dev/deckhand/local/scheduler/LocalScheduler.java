package dev.deckhand.local.scheduler;

import dev.deckhand.emulator.LocalAws;
import dev.deckhand.local.scheduler.ClusterState.Node;
import dev.deckhand.local.scheduler.SchedulerEvent.Kind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.PortMapping;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/**
 * What AWS does after Deckhand acts, simulated on the emulator in steps of simulated time: the ECS
 * service scheduler (keep each service at its desired count; replace tasks on DRAINING instances
 * and of old deployments within the service's minimumHealthyPercent and maximumPercent, starting
 * replacements before stopping; place with the service's strategies; complete rollouts) and EC2
 * reclaiming instances (a Spot instance goes when its warning's deadline passes); instances that an
 * Auto Scaling group or a maintained fleet launches from their launch template register with ECS a
 * minute later, and instances terminated through the API leave their cluster ({@link Launches}).
 *
 * <pre>{@code
 * LocalScheduler scheduler = new LocalScheduler(ecs, ec2, emulator, "us-east-2", eventTime);
 * scheduler.terminateAt("i-1234567890abcdef0", eventTime.plusSeconds(120), "Spot interruption");
 * List<SchedulerEvent> timeline = scheduler.runUntil(eventTime.plusSeconds(150), Duration.ofSeconds(10));
 * }</pre>
 *
 * Daemon services and tasks' own exits are not simulated.
 */
public final class LocalScheduler {

    private final EcsClient ecs;
    private final Ec2Client ec2;
    private final LocalAws emulator;
    private final String region;
    private final Placement placement;
    private final Map<String, Placement.Need> needs = new HashMap<>();
    private final Map<String, Instant> terminations = new LinkedHashMap<>();
    private final Map<String, String> terminationReasons = new HashMap<>();
    private final Map<String, Instant> finishes = new LinkedHashMap<>();
    private final Map<String, Instant> stops = new LinkedHashMap<>();
    private final Map<String, Instant> starts = new LinkedHashMap<>();
    private final Map<String, Instant> registrations = new LinkedHashMap<>();
    private final List<SchedulerEvent> observed = new ArrayList<>();
    /** Each cluster as the scheduler last read it and left it, by name. */
    private final Map<String, ClusterState> lastRead = new TreeMap<>();
    /** Clusters where the last step did something: the next step reads them again. */
    private final Set<String> busy = new HashSet<>();
    private final Launches launches;
    private Instant now;

    public LocalScheduler(EcsClient ecs, Ec2Client ec2, LocalAws emulator, String region, Instant start) {
        this.ecs = ecs;
        this.ec2 = ec2;
        this.emulator = emulator;
        this.region = region;
        this.now = start;
        this.placement = new Placement(new Random(7));
        this.launches = new Launches(ec2, emulator, region, this::registerAt);
    }

    public Instant now() {
        return now;
    }

    /** EC2 will take {@code ec2InstanceId} away at {@code at} (a Spot reclaim, a termination). */
    public void terminateAt(String ec2InstanceId, Instant at, String why) {
        terminations.put(ec2InstanceId, at);
        terminationReasons.put(ec2InstanceId, why);
    }

    /**
     * EC2 stops {@code ec2InstanceId} at {@code stopAt} (a Spot interruption whose action is stop) and
     * starts it again at {@code startAt}: the same container instance, agent disconnected meanwhile.
     */
    public void stopAt(String ec2InstanceId, Instant stopAt, Instant startAt) {
        stops.put(ec2InstanceId, stopAt);
        starts.put(ec2InstanceId, startAt);
    }

    /** The standalone tasks of {@code group} (e.g. {@code family:nightly-report}) finish their job at {@code at}. */
    public void finishAt(String group, Instant at) {
        finishes.put(group, at);
    }

    /**
     * The ECS agent on {@code ec2InstanceId} starts at {@code at} and registers the instance in the
     * cluster its user data names ({@code ECS_CLUSTER=...}, as /etc/ecs/ecs.config).
     */
    public void registerAt(String ec2InstanceId, Instant at) {
        registrations.put(ec2InstanceId, at);
    }

    /** Something seen outside the scheduler (a hook heartbeat) goes into the timeline at the current simulated time. */
    public void observe(SchedulerEvent.Kind kind, String ec2InstanceId, String detail) {
        observed.add(new SchedulerEvent(now, kind, null, null, ec2InstanceId, null, detail));
    }

    /** Steps until the simulated clock reaches {@code until}. */
    public List<SchedulerEvent> runUntil(Instant until, Duration tick) {
        List<SchedulerEvent> events = new ArrayList<>();
        while (now.isBefore(until)) {
            events.addAll(step(tick));
        }
        return events;
    }

    /** Steps until a step changes nothing and no termination is pending, at most {@code maxSteps}. */
    public List<SchedulerEvent> settle(Duration tick, int maxSteps) {
        List<SchedulerEvent> events = new ArrayList<>();
        for (int i = 0; i < maxSteps; i++) {
            List<SchedulerEvent> step = step(tick);
            events.addAll(step);
            if (step.isEmpty() && terminations.isEmpty()) {
                break;
            }
        }
        return events;
    }

    /** Advances the clock by {@code tick}, then does what is due: terminations first, then every service. */
    public List<SchedulerEvent> step(Duration tick) {
        return step(tick, cluster -> true);
    }

    /**
     * As {@link #step(Duration)}, reading again only the clusters that may have changed: those
     * {@code changedOutside} names (something other than the scheduler acted on them since the
     * last step, e.g. a function drained an instance), those where the last step did something,
     * and those with an instance due to go. The others are quiet: reading and reconciling them
     * would change nothing, and at a thousand instances those reads are most of a step's time.
     */
    public List<SchedulerEvent> step(Duration tick, Predicate<String> changedOutside) {
        List<SchedulerEvent> events = new ArrayList<>(observed);
        observed.clear();
        now = now.plus(tick);
        boolean everything = registrations.values().stream().anyMatch(at -> !at.isAfter(now))
                || stops.values().stream().anyMatch(at -> !at.isAfter(now)) || starts.values().stream().anyMatch(at -> !at.isAfter(now))
                || finishes.values().stream().anyMatch(at -> !at.isAfter(now));
        Set<String> going = new HashSet<>();
        terminations.forEach((instance, at) -> {
            if (!at.isAfter(now)) {
                going.add(instance);
            }
        });
        registerDue(events);
        List<ClusterState> clusters = new ArrayList<>();
        Set<String> listed = new HashSet<>();
        ecs.listClustersPaginator().clusterArns().forEach(arn -> {
            String name = arn.substring(arn.lastIndexOf('/') + 1);
            listed.add(name);
            ClusterState known = lastRead.get(name);
            if (known == null || everything || busy.contains(name) || changedOutside.test(name)
                    || known.nodes.values().stream().anyMatch(node -> going.contains(node.ec2InstanceId))) {
                ClusterState state = ClusterState.read(ecs, name);
                lastRead.put(name, state);
                clusters.add(state);
            }
        });
        lastRead.keySet().retainAll(listed);
        clusters.sort(Comparator.comparing(state -> state.cluster));
        terminateDue(clusters, events);
        stopAndStartDue(clusters, events);
        launches.step(clusters, now, events);
        finishDue(clusters, events);
        for (ClusterState state : clusters) {
            for (Service service : state.services) {
                if ("ACTIVE".equals(service.status()) && !"DAEMON".equals(service.schedulingStrategyAsString())) {
                    reconcile(state, service, events);
                }
            }
        }
        busy.clear();
        for (SchedulerEvent event : events) {
            if (event.cluster() != null) {
                busy.add(event.cluster());
            }
        }
        return events;
    }

    /** The fleet as the last step left it (empty before the first step). */
    public FleetSnapshot snapshot() {
        Map<String, Map<String, Integer>> instances = new TreeMap<>();
        Map<String, Map<String, Integer>> tasks = new TreeMap<>();
        Map<String, String> statuses = new HashMap<>();
        for (ClusterState state : lastRead.values()) {
            Map<String, Integer> byStatus = instances.computeIfAbsent(state.cluster, c -> new TreeMap<>());
            Map<String, Integer> byService = tasks.computeIfAbsent(state.cluster, c -> new TreeMap<>());
            for (Service service : state.services) {
                byService.put(service.serviceName(), 0);
            }
            for (Node node : state.nodes.values()) {
                byStatus.merge(node.status, 1, Integer::sum);
                statuses.put(node.ec2InstanceId, node.status);
                for (var task : node.tasks) {
                    String service = serviceOf(task);
                    if (service != null) {
                        byService.merge(service, 1, Integer::sum);
                    }
                }
            }
        }
        return new FleetSnapshot(instances, tasks, statuses);
    }

    /** Everything observed since the last step, without moving time. */
    public List<SchedulerEvent> flush() {
        List<SchedulerEvent> events = new ArrayList<>(observed);
        observed.clear();
        return events;
    }

    private void finishDue(List<ClusterState> clusters, List<SchedulerEvent> events) {
        for (Iterator<Map.Entry<String, Instant>> it = finishes.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Instant> entry = it.next();
            if (entry.getValue().isAfter(now)) {
                continue;
            }
            it.remove();
            for (ClusterState state : clusters) {
                for (Node node : state.nodes.values()) {
                    for (Task task : node.tasks) {
                        if (entry.getKey().equals(task.group())) {
                            emulator.control("ecs/task", Map.of("region", region, "cluster", state.cluster, "task", task.taskArn(),
                                    "lastStatus", "STOPPED", "stopCode", "EssentialContainerExited",
                                    "stoppedReason", "Essential container in task exited"));
                            events.add(new SchedulerEvent(now, Kind.TASK_FINISHED, state.cluster, null, node.ec2InstanceId,
                                    task.taskArn(), task.group() + " finished its job"));
                        }
                    }
                }
            }
        }
    }

    private void registerDue(List<SchedulerEvent> events) {
        for (Iterator<Map.Entry<String, Instant>> it = registrations.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Instant> entry = it.next();
            if (entry.getValue().isAfter(now)) {
                continue;
            }
            it.remove();
            String instanceId = entry.getKey();
            if (registered(instanceId)) {
                // The agent was faster than the event (the ordinary order in a real account): it registered already.
                continue;
            }
            var instance = ec2.describeInstances(r -> r.instanceIds(instanceId)).reservations().get(0).instances().get(0);
            String userData = ec2.describeInstanceAttribute(r -> r.instanceId(instanceId).attribute("userData")).userData().value();
            String config = userData == null ? "" : new String(Base64.getDecoder().decode(userData),
                    StandardCharsets.UTF_8);
            Matcher cluster = Pattern.compile("ECS_CLUSTER=([\\w-]+)").matcher(config);
            String name = cluster.find() ? cluster.group(1) : "default";
            String document = "{\"instanceId\":\"" + instanceId + "\",\"availabilityZone\":\""
                    + instance.placement().availabilityZone() + "\",\"region\":\"" + region + "\"}";
            ecs.registerContainerInstance(r -> r.cluster(name).instanceIdentityDocument(document));
            events.add(new SchedulerEvent(now, Kind.INSTANCE_REGISTERED, name, null, instanceId, null,
                    "the ECS agent started and registered the instance"));
        }
    }

    /** Whether some cluster listed the instance when last read (every cluster is read at the first step). */
    private boolean registered(String ec2InstanceId) {
        return lastRead.values().stream().anyMatch(state -> state.nodes.values().stream()
                .anyMatch(node -> ec2InstanceId.equals(node.ec2InstanceId)));
    }

    private void terminateDue(List<ClusterState> clusters, List<SchedulerEvent> events) {
        List<String> due = new ArrayList<>();
        for (Iterator<Map.Entry<String, Instant>> it = terminations.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Instant> entry = it.next();
            if (!entry.getValue().isAfter(now)) {
                due.add(entry.getKey());
                it.remove();
            }
        }
        for (String instanceId : due) {
            String why = terminationReasons.remove(instanceId);
            try {
                ec2.terminateInstances(r -> r.instanceIds(instanceId));
            } catch (Ec2Exception e) {
                if (e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null
                        && e.awsErrorDetails().errorCode().startsWith("InvalidInstanceID")) {
                    continue; // an event named an instance EC2 does not have: nothing to take away
                }
                throw e;
            }
            for (ClusterState state : clusters) {
                for (Iterator<Node> nodes = state.nodes.values().iterator(); nodes.hasNext(); ) {
                    Node node = nodes.next();
                    if (!node.ec2InstanceId.equals(instanceId)) {
                        continue;
                    }
                    for (Task task : node.tasks) {
                        emulator.control("ecs/task", Map.of("region", region, "cluster", state.cluster, "task", task.taskArn(),
                                "lastStatus", "STOPPED", "stopCode", "TerminationNotice",
                                "stoppedReason", "Host EC2 (instance " + instanceId + ") terminated."));
                        events.add(new SchedulerEvent(now, Kind.TASK_KILLED, state.cluster, serviceOf(task), instanceId,
                                task.taskArn(), task.group()));
                    }
                    // Tasks stopped gracefully but not STOPPED yet (DEACTIVATING, STOPPING) die with the instance too.
                    for (Task task : stillStopping(state.cluster, node.arn)) {
                        emulator.control("ecs/task", Map.of("region", region, "cluster", state.cluster, "task", task.taskArn(),
                                "lastStatus", "STOPPED", "stopCode", "TerminationNotice",
                                "stoppedReason", "Host EC2 (instance " + instanceId + ") terminated."));
                        events.add(new SchedulerEvent(now, Kind.TASK_CUT_SHORT, state.cluster, serviceOf(task), instanceId,
                                task.taskArn(), "killed while " + task.lastStatus()));
                    }
                    emulator.control("ecs/container-instance", Map.of("region", region, "cluster", state.cluster,
                            "containerInstance", node.arn, "agentConnected", false, "status", "INACTIVE"));
                    nodes.remove();
                }
            }
            events.add(new SchedulerEvent(now, Kind.INSTANCE_TERMINATED, null, null, instanceId, null, why));
        }
    }

    private void stopAndStartDue(List<ClusterState> clusters, List<SchedulerEvent> events) {
        for (Iterator<Map.Entry<String, Instant>> it = stops.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Instant> entry = it.next();
            if (entry.getValue().isAfter(now)) {
                continue;
            }
            it.remove();
            String instanceId = entry.getKey();
            ec2.stopInstances(r -> r.instanceIds(instanceId));
            for (ClusterState state : clusters) {
                for (Node node : state.nodes.values()) {
                    if (!node.ec2InstanceId.equals(instanceId)) {
                        continue;
                    }
                    String reason = "Host EC2 (instance " + instanceId + ") stopped.";
                    for (Task task : node.tasks) {
                        emulator.control("ecs/task", Map.of("region", region, "cluster", state.cluster, "task", task.taskArn(),
                                "lastStatus", "STOPPED", "stopCode", "TerminationNotice", "stoppedReason", reason));
                        events.add(new SchedulerEvent(now, Kind.TASK_KILLED, state.cluster, serviceOf(task), instanceId,
                                task.taskArn(), task.group()));
                    }
                    node.tasks.clear();
                    for (Task task : stillStopping(state.cluster, node.arn)) {
                        emulator.control("ecs/task", Map.of("region", region, "cluster", state.cluster, "task", task.taskArn(),
                                "lastStatus", "STOPPED", "stopCode", "TerminationNotice", "stoppedReason", reason));
                        events.add(new SchedulerEvent(now, Kind.TASK_CUT_SHORT, state.cluster, serviceOf(task), instanceId,
                                task.taskArn(), "killed while " + task.lastStatus()));
                    }
                    emulator.control("ecs/container-instance", Map.of("region", region, "cluster", state.cluster,
                            "containerInstance", node.arn, "agentConnected", false));
                }
            }
            events.add(new SchedulerEvent(now, Kind.INSTANCE_STOPPED, null, null, instanceId, null, "Spot interruption (stop)"));
        }
        for (Iterator<Map.Entry<String, Instant>> it = starts.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Instant> entry = it.next();
            if (entry.getValue().isAfter(now) || stops.containsKey(entry.getKey())) {
                continue;
            }
            it.remove();
            String instanceId = entry.getKey();
            ec2.startInstances(r -> r.instanceIds(instanceId));
            for (ClusterState state : clusters) {
                for (Node node : state.nodes.values()) {
                    if (node.ec2InstanceId.equals(instanceId)) {
                        emulator.control("ecs/container-instance", Map.of("region", region, "cluster", state.cluster,
                                "containerInstance", node.arn, "agentConnected", true));
                    }
                }
            }
            events.add(new SchedulerEvent(now, Kind.INSTANCE_STARTED, null, null, instanceId, null,
                    "Spot capacity is back: the instance runs again and its agent reconnects"));
        }
    }

    /** The tasks on a container instance that ECS is stopping and that are not STOPPED yet. */
    private List<Task> stillStopping(String cluster, String containerInstanceArn) {
        List<String> arns = new ArrayList<>();
        ecs.listTasksPaginator(r -> r.cluster(cluster).containerInstance(containerInstanceArn)
                .desiredStatus(DesiredStatus.STOPPED)).taskArns().forEach(arns::add);
        List<Task> stopping = new ArrayList<>();
        for (List<String> batch : ClusterState.batches(arns, 100)) {
            for (Task task : ecs.describeTasks(r -> r.cluster(cluster).tasks(batch)).tasks()) {
                if (!"STOPPED".equals(task.lastStatus())) {
                    stopping.add(task);
                }
            }
        }
        return stopping;
    }

    private static String serviceOf(Task task) {
        return task.group() != null && task.group().startsWith("service:") ? task.group().substring("service:".length()) : null;
    }

    private void reconcile(ClusterState state, Service service, List<SchedulerEvent> events) {
        Optional<Deployment> primaryDeployment = service.deployments().stream().filter(d -> "PRIMARY".equals(d.status())).findFirst();
        if (primaryDeployment.isEmpty()) {
            return;
        }
        Deployment primary = primaryDeployment.get();
        String name = service.serviceName();
        int desired = service.desiredCount();
        int maxTotal = Math.max(desired, desired * service.deploymentConfiguration().maximumPercent() / 100);
        int minHealthy = (int) Math.ceil(desired * service.deploymentConfiguration().minimumHealthyPercent() / 100.0);
        List<Task> tasks = state.tasksOf(name);
        List<Task> replaceable = new ArrayList<>();
        int good = 0;
        for (Task task : tasks) {
            Node node = state.nodeOf(task);
            if (primary.id().equals(task.startedBy()) && node.acceptsTasks()) {
                good++;
            } else {
                replaceable.add(task);
            }
        }
        replaceable.sort(Comparator.comparing(task -> state.nodeOf(task).acceptsTasks()));

        Placement.Need need = need(primary.taskDefinition());
        while (good < desired && tasks.size() < maxTotal) {
            Optional<Node> chosen = placement.choose(state, name, service.placementStrategy(), need);
            if (chosen.isEmpty()) {
                events.add(new SchedulerEvent(now, Kind.TASK_UNPLACEABLE, state.cluster, name, null, null,
                        "no ACTIVE instance has " + need.cpu() + " CPU units and " + need.memory() + " MiB free"));
                break;
            }
            Task started = start(state, chosen.get(), name, primary, need);
            tasks.add(started);
            good++;
            Task replaced = replaceable.isEmpty() ? null : replaceable.get(0);
            events.add(new SchedulerEvent(now, Kind.TASK_STARTED, state.cluster, name, chosen.get().ec2InstanceId,
                    started.taskArn(), replaced == null ? "to reach the desired count"
                    : "replaces a task on " + state.nodeOf(replaced).ec2InstanceId + " (" + why(state, replaced) + ")"));
        }
        List<Task> stillToReplace = new ArrayList<>();
        for (Task task : replaceable) {
            if (tasks.size() - 1 >= minHealthy || good >= desired) {
                String why = why(state, task);
                stop(state, task, "Task stopped by the ECS scheduler: " + why);
                tasks.remove(task);
                events.add(new SchedulerEvent(now, Kind.TASK_STOPPED, state.cluster, name, state.nodeOf(task).ec2InstanceId,
                        task.taskArn(), why));
            } else {
                stillToReplace.add(task);
            }
        }
        if (stillToReplace.isEmpty() && tasks.size() > desired) {
            List<Task> extra = new ArrayList<>(tasks);
            extra.sort(Comparator.comparingLong((Task t) -> -state.nodeOf(t).tasks.size()));
            for (Task task : extra.subList(0, tasks.size() - desired)) {
                stop(state, task, "Task stopped by the ECS scheduler: scaling in");
                events.add(new SchedulerEvent(now, Kind.TASK_STOPPED, state.cluster, name, state.nodeOf(task).ec2InstanceId,
                        task.taskArn(), "scaling in"));
            }
        }
        boolean settled = state.tasksOf(name).stream().allMatch(t -> primary.id().equals(t.startedBy()) && state.nodeOf(t).acceptsTasks())
                && state.tasksOf(name).size() == desired;
        if ("IN_PROGRESS".equals(primary.rolloutStateAsString()) && settled) {
            emulator.control("ecs/deployment", Map.of("region", region, "cluster", state.cluster, "service", name,
                    "deploymentId", primary.id(), "rolloutState", "COMPLETED"));
            events.add(new SchedulerEvent(now, Kind.DEPLOYMENT_COMPLETED, state.cluster, name, null, null, primary.id()));
        }
    }

    private static String why(ClusterState state, Task task) {
        return state.nodeOf(task).acceptsTasks() ? "replaced by the new deployment" : "its instance is " + state.nodeOf(task).status;
    }

    private Task start(ClusterState state, Node node, String service, Deployment deployment, Placement.Need need) {
        Task task = ecs.startTask(r -> r.cluster(state.cluster).taskDefinition(deployment.taskDefinition())
                .containerInstances(node.arn).group("service:" + service).startedBy(deployment.id())).tasks().get(0);
        node.tasks.add(task);
        node.cpu -= need.cpu();
        node.memory -= need.memory();
        node.ports.addAll(need.hostPorts());
        return task;
    }

    /**
     * ECS's service scheduler stops a task: desired STOPPED at once, then DEACTIVATING (behind a load
     * balancer) and STOPPING on the emulator's clock before it is STOPPED (ecs_task_phases.py).
     */
    private void stop(ClusterState state, Task task, String reason) {
        emulator.control("ecs/task", Map.of("region", region, "cluster", state.cluster, "task", task.taskArn(),
                "desiredStatus", "STOPPED", "stopCode", "ServiceSchedulerInitiated", "stoppedReason", reason));
        Placement.Need need = need(task.taskDefinitionArn());
        Node node = state.nodeOf(task);
        node.tasks.remove(task);
        node.cpu += need.cpu();
        node.memory += need.memory();
        node.ports.removeAll(need.hostPorts());
    }

    private Placement.Need need(String taskDefinitionArn) {
        return needs.computeIfAbsent(taskDefinitionArn, arn -> {
            TaskDefinition definition = ecs.describeTaskDefinition(r -> r.taskDefinition(arn)).taskDefinition();
            int cpu = 0;
            int memory = 0;
            List<String> ports = new ArrayList<>();
            for (ContainerDefinition container : definition.containerDefinitions()) {
                cpu += container.cpu() == null ? 0 : container.cpu();
                memory += container.memory() != null ? container.memory()
                        : container.memoryReservation() == null ? 0 : container.memoryReservation();
                for (PortMapping mapping : container.portMappings()) {
                    if (mapping.hostPort() != null && mapping.hostPort() > 0) {
                        ports.add(mapping.hostPort().toString());
                    }
                }
            }
            return new Placement.Need(cpu, memory, List.copyOf(ports));
        });
    }
}
