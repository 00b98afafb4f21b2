package dev.deckhand.local.scheduler;

import dev.deckhand.local.scheduler.ClusterState.Node;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import software.amazon.awssdk.services.ecs.model.PlacementStrategy;

/**
 * Chooses an instance for a new service task the way ECS's placement strategies do: only ACTIVE
 * instances with a connected agent and room (CPU, memory, host ports); then the service's strategies
 * in order (spread by a field, binpack on cpu or memory, random). A service with none gets ECS's
 * usual "AZ balanced spread": spread by Availability Zone, then by instance.
 */
final class Placement {

    record Need(int cpu, int memory, List<String> hostPorts) {
    }

    private final Random random;

    Placement(Random random) {
        this.random = random;
    }

    Optional<Node> choose(ClusterState state, String service, List<PlacementStrategy> strategies, Need need) {
        List<PlacementStrategy> order = strategies == null || strategies.isEmpty()
                ? List.of(PlacementStrategy.builder().type("spread").field("attribute:ecs.availability-zone").build(),
                        PlacementStrategy.builder().type("spread").field("instanceId").build())
                : strategies;
        Comparator<Node> comparator = Comparator.comparingInt(node -> 0);
        for (PlacementStrategy strategy : order) {
            comparator = comparator.thenComparing(key(state, service, strategy));
        }
        comparator = comparator.thenComparing(node -> node.ec2InstanceId);
        return state.nodes.values().stream()
                .filter(Node::acceptsTasks)
                .filter(node -> node.cpu >= need.cpu() && node.memory >= need.memory()
                        && need.hostPorts().stream().noneMatch(node.ports::contains))
                .min(comparator);
    }

    private Comparator<Node> key(ClusterState state, String service, PlacementStrategy strategy) {
        String type = strategy.typeAsString().toLowerCase(Locale.ROOT);
        String field = strategy.field() == null ? "" : strategy.field().toLowerCase(Locale.ROOT);
        return switch (type) {
            case "spread" -> field.equals("instanceid") || field.equals("host")
                    ? Comparator.comparingLong(node -> countOf(node, service))
                    : Comparator.comparingLong(node -> state.nodes.values().stream()
                            .filter(other -> other.zone.equals(node.zone)).mapToLong(other -> countOf(other, service)).sum());
            case "binpack" -> field.equals("cpu") ? Comparator.comparingInt(node -> node.cpu)
                    : Comparator.comparingInt(node -> node.memory);
            default -> {
                int salt = random.nextInt();
                yield Comparator.comparingInt(node -> node.arn.hashCode() ^ salt);
            }
        };
    }

    private static long countOf(Node node, String service) {
        return node.tasks.stream().filter(task -> ("service:" + service).equals(task.group())).count();
    }
}
