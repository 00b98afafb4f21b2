package dev.deckhand.rebalance.executor;

import dev.deckhand.core.aws.ContainerInstanceReader;
import dev.deckhand.core.aws.TaskReader;
import dev.deckhand.core.event.IsoInstant;
import dev.deckhand.rebalance.planner.Node;
import dev.deckhand.rebalance.planner.ServiceTasks;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.ContainerInstanceStatus;
import software.amazon.awssdk.services.ecs.model.ListServicesRequest;
import software.amazon.awssdk.services.ecs.model.ListTasksRequest;
import software.amazon.awssdk.services.ecs.model.PortMapping;
import software.amazon.awssdk.services.ecs.model.Resource;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceEvent;
import software.amazon.awssdk.services.ecs.model.ServiceField;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/**
 * Reads one cluster into the planner's terms: its ACTIVE container instances (described by 100)
 * and its services (described by 10, with tags) with their running tasks (listed page by page,
 * described by 100). Task definitions are immutable, so they are described once per container.
 *
 * <pre>{@code
 * ClusterTasksReader.Snapshot snapshot = reader.read("demo-web", null);      // every service
 * ClusterTasksReader.Snapshot one = reader.read("demo-web", "web-frontend"); // one service
 * }</pre>
 */
public final class ClusterTasksReader {

    public static final String OPT_OUT_TAG = "deckhand:rebalance";
    public static final String REBALANCED_AT_TAG = "deckhand:rebalanced-at";

    /** The cluster as read: nodes, services, and each service's ARN (for tagging). */
    public record Snapshot(List<Node> nodes, List<ServiceTasks> services, Map<String, String> serviceArns) {
    }

    private final EcsClient ecs;
    private final TaskReader tasks;
    private final ContainerInstanceReader containerInstances;

    public ClusterTasksReader(EcsClient ecs, TaskReader tasks) {
        this.ecs = ecs;
        this.tasks = tasks;
        this.containerInstances = new ContainerInstanceReader(ecs);
    }

    /** @param onlyService a service name, or null for every service of the cluster */
    public Snapshot read(String cluster, String onlyService) {
        List<Node> nodes = nodes(cluster);
        List<String> serviceArns = new ArrayList<>();
        if (onlyService != null) {
            serviceArns.add(onlyService);
        } else {
            ecs.listServicesPaginator(ListServicesRequest.builder().cluster(cluster).maxResults(100).build())
                    .serviceArns().forEach(serviceArns::add);
        }
        Map<String, List<ServiceTasks.Placed>> placed = runningTasks(cluster, onlyService);
        List<ServiceTasks> services = new ArrayList<>();
        Map<String, String> arns = new HashMap<>();
        for (int from = 0; from < serviceArns.size(); from += 10) {
            List<String> batch = serviceArns.subList(from, Math.min(from + 10, serviceArns.size()));
            for (Service service : ecs.describeServices(r -> r.cluster(cluster).services(batch).include(ServiceField.TAGS)).services()) {
                if (!"ACTIVE".equals(service.status())) {
                    continue;
                }
                arns.put(service.serviceName(), service.serviceArn());
                services.add(toServiceTasks(service, placed.getOrDefault(service.serviceName(), List.of())));
            }
        }
        return new Snapshot(nodes, services, arns);
    }

    private List<Node> nodes(String cluster) {
        List<Node> nodes = new ArrayList<>();
        for (ContainerInstance instance : containerInstances.described(cluster, ContainerInstanceStatus.ACTIVE)) {
            nodes.add(toNode(instance));
        }
        return nodes;
    }

    static Node toNode(ContainerInstance instance) {
        String zone = instance.attributes().stream().filter(a -> "ecs.availability-zone".equals(a.name()))
                .map(a -> a.value()).findFirst().orElse("unknown");
        Set<Integer> ports = new HashSet<>();
        for (Resource resource : instance.remainingResources()) {
            if ("PORTS".equals(resource.name())) {
                resource.stringSetValue().forEach(port -> ports.add(Integer.parseInt(port)));
            }
        }
        return new Node(instance.containerInstanceArn(), instance.ec2InstanceId(), zone,
                integer(instance.registeredResources(), "CPU"), integer(instance.remainingResources(), "CPU"),
                integer(instance.remainingResources(), "MEMORY"), ports,
                "ACTIVE".equals(instance.status()) && Boolean.TRUE.equals(instance.agentConnected()));
    }

    private static int integer(List<Resource> resources, String name) {
        return resources.stream().filter(r -> name.equals(r.name())).mapToInt(r -> r.integerValue() == null ? 0 : r.integerValue())
                .findFirst().orElse(0);
    }

    /** Running tasks by service name: listed page by page (by service when one is named), described by 100. */
    private Map<String, List<ServiceTasks.Placed>> runningTasks(String cluster, String onlyService) {
        List<String> arns = new ArrayList<>();
        ListTasksRequest.Builder request = ListTasksRequest.builder().cluster(cluster).maxResults(100);
        if (onlyService != null) {
            request.serviceName(onlyService);
        }
        ecs.listTasksPaginator(request.build()).taskArns().forEach(arns::add);
        Map<String, List<ServiceTasks.Placed>> byService = new HashMap<>();
        for (Task task : tasks.describe(cluster, arns)) {
            String group = task.group();
            if (group == null || !group.startsWith("service:") || !"RUNNING".equals(task.lastStatus())) {
                continue;
            }
            byService.computeIfAbsent(group.substring("service:".length()), k -> new ArrayList<>())
                    .add(new ServiceTasks.Placed(task.taskArn(), task.containerInstanceArn()));
        }
        return byService;
    }

    private ServiceTasks toServiceTasks(Service service, List<ServiceTasks.Placed> running) {
        Map<String, String> tags = new HashMap<>();
        for (Tag tag : service.tags()) {
            tags.put(tag.key(), tag.value());
        }
        boolean deploying = service.deployments().size() > 1 || service.deployments().stream()
                .anyMatch(d -> d.rolloutState() != null && !"COMPLETED".equals(d.rolloutStateAsString()));
        TaskDefinition definition = tasks.taskDefinition(service.taskDefinition());
        int cpu = parse(definition.cpu());
        int memory = parse(definition.memory());
        Set<Integer> hostPorts = new HashSet<>();
        int containerCpu = 0;
        int containerMemory = 0;
        for (ContainerDefinition container : definition.containerDefinitions()) {
            containerCpu += container.cpu() == null ? 0 : container.cpu();
            containerMemory += container.memory() != null ? container.memory()
                    : container.memoryReservation() == null ? 0 : container.memoryReservation();
            for (PortMapping mapping : container.portMappings()) {
                if (mapping.hostPort() != null && mapping.hostPort() > 0) {
                    hostPorts.add(mapping.hostPort());
                }
            }
        }
        List<String> memberOf = new ArrayList<>();
        service.placementConstraints().stream().filter(c -> "memberOf".equals(c.typeAsString())).forEach(c -> memberOf.add(c.expression()));
        definition.placementConstraints().stream().filter(c -> "memberOf".equals(c.typeAsString())).forEach(c -> memberOf.add(c.expression()));
        boolean gpu = definition.containerDefinitions().stream().flatMap(c -> c.resourceRequirements().stream())
                .anyMatch(r -> "GPU".equals(r.typeAsString()));
        List<ServiceTasks.Strategy> strategies = service.placementStrategy().stream()
                .map(p -> new ServiceTasks.Strategy(p.typeAsString(), p.field())).toList();
        ServiceTasks.EcsPlacement ecsPlacement = new ServiceTasks.EcsPlacement(
                strategies.isEmpty() ? ServiceTasks.EcsPlacement.SERVICE_DEFAULT_STRATEGY : strategies,
                service.deploymentController() == null || service.deploymentController().type() == null
                        ? "ECS" : service.deploymentController().typeAsString(),
                memberOf, gpu, service.capacityProviderStrategy().stream().map(c -> c.capacityProvider()).toList(),
                "ENABLED".equals(service.availabilityZoneRebalancingAsString()), azRebalanceUnderWay(service));
        return new ServiceTasks(service.serviceName(), service.desiredCount(),
                service.deploymentConfiguration() == null || service.deploymentConfiguration().minimumHealthyPercent() == null
                        ? 100 : service.deploymentConfiguration().minimumHealthyPercent(),
                deploying, "DAEMON".equals(service.schedulingStrategyAsString()),
                "false".equalsIgnoreCase(tags.get(OPT_OUT_TAG)), instant(tags.get(REBALANCED_AT_TAG)),
                cpu > 0 ? cpu : containerCpu, memory > 0 ? memory : containerMemory, hostPorts, running, ecsPlacement);
    }

    /**
     * Whether ECS is rebalancing the service's zones: its newest AZ rebalancing event (events come newest
     * first) is "service (NAME) is not AZ balanced ... AZ Rebalancing in progress." rather than
     * "service (NAME) is AZ balanced ..." (developerguide/track-service-rebalancing.html).
     */
    static boolean azRebalanceUnderWay(Service service) {
        for (ServiceEvent event : service.events()) {
            String message = event.message() == null ? "" : event.message();
            if (message.contains(" is not AZ balanced")) {
                return true;
            }
            if (message.contains(" is AZ balanced")) {
                return false;
            }
        }
        return false;
    }

    private static int parse(String value) {
        try {
            return value == null ? 0 : Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return 0; // "1 vCPU" style values are for Fargate; EC2 task definitions use units
        }
    }

    private static Instant instant(String value) {
        try {
            return value == null ? null : IsoInstant.parse(value);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
