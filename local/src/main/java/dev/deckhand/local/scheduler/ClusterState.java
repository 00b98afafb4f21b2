package dev.deckhand.local.scheduler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Attribute;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.Resource;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.Task;

/** One cluster as the scheduler sees it at the start of a step, kept up to date as it places and stops tasks. */
final class ClusterState {

    /** A container instance and what is left of it. */
    static final class Node {
        final String arn;
        final String ec2InstanceId;
        final String zone;
        final String status;
        final boolean agentConnected;
        int cpu;
        int memory;
        final List<String> ports = new ArrayList<>();
        final List<Task> tasks = new ArrayList<>();

        Node(ContainerInstance instance) {
            arn = instance.containerInstanceArn();
            ec2InstanceId = instance.ec2InstanceId();
            status = instance.status();
            agentConnected = Boolean.TRUE.equals(instance.agentConnected());
            zone = instance.attributes().stream().filter(a -> a.name().equals("ecs.availability-zone"))
                    .map(Attribute::value).findFirst().orElse("?");
            for (Resource resource : instance.remainingResources()) {
                switch (resource.name()) {
                    case "CPU" -> cpu = resource.integerValue();
                    case "MEMORY" -> memory = resource.integerValue();
                    case "PORTS" -> ports.addAll(resource.stringSetValue());
                    default -> {
                    }
                }
            }
        }

        boolean acceptsTasks() {
            return "ACTIVE".equals(status) && agentConnected;
        }
    }

    final String cluster;
    final Map<String, Node> nodes = new HashMap<>();
    final List<Service> services = new ArrayList<>();

    private ClusterState(String cluster) {
        this.cluster = cluster;
    }

    static ClusterState read(EcsClient ecs, String cluster) {
        ClusterState state = new ClusterState(cluster);
        List<String> instanceArns = new ArrayList<>();
        ecs.listContainerInstancesPaginator(r -> r.cluster(cluster)).containerInstanceArns().forEach(instanceArns::add);
        for (List<String> batch : batches(instanceArns, 100)) {
            ecs.describeContainerInstances(r -> r.cluster(cluster).containerInstances(batch)).containerInstances()
                    .forEach(instance -> state.nodes.put(instance.containerInstanceArn(), new Node(instance)));
        }
        List<String> taskArns = new ArrayList<>();
        ecs.listTasksPaginator(r -> r.cluster(cluster)).taskArns().forEach(taskArns::add);
        for (List<String> batch : batches(taskArns, 100)) {
            for (Task task : ecs.describeTasks(r -> r.cluster(cluster).tasks(batch)).tasks()) {
                Node node = state.nodes.get(task.containerInstanceArn());
                if (node != null) {
                    node.tasks.add(task);
                }
            }
        }
        List<String> serviceArns = new ArrayList<>();
        ecs.listServicesPaginator(r -> r.cluster(cluster)).serviceArns().forEach(serviceArns::add);
        for (List<String> batch : batches(serviceArns, 10)) {
            state.services.addAll(ecs.describeServices(r -> r.cluster(cluster).services(batch)).services());
        }
        return state;
    }

    static <T> List<List<T>> batches(List<T> items, int size) {
        List<List<T>> batches = new ArrayList<>();
        for (int from = 0; from < items.size(); from += size) {
            batches.add(items.subList(from, Math.min(from + size, items.size())));
        }
        return batches;
    }

    List<Task> tasksOf(String service) {
        List<Task> tasks = new ArrayList<>();
        for (Node node : nodes.values()) {
            for (Task task : node.tasks) {
                if (("service:" + service).equals(task.group())) {
                    tasks.add(task);
                }
            }
        }
        return tasks;
    }

    Node nodeOf(Task task) {
        return nodes.get(task.containerInstanceArn());
    }
}
