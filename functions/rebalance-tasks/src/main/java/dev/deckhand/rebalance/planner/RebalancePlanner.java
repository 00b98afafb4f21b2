package dev.deckhand.rebalance.planner;

import dev.deckhand.rebalance.planner.Plan.Skew;
import dev.deckhand.rebalance.planner.Plan.Skipped;
import dev.deckhand.rebalance.planner.Plan.TaskStop;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Chooses the fewest task stops that even out each service across eligible instances and
 * Availability Zones, once ECS's scheduler places the replacements. Pure: no AWS types.
 *
 * <pre>{@code
 * Plan plan = new RebalancePlanner().plan(nodes, services, new Budget(2, 10, Duration.ofMinutes(30)), now);
 * }</pre>
 *
 * Rules: a service is skipped when it is a daemon, mid-deployment, tagged
 * {@code deckhand:rebalance=false}, or rebalanced within the cooldown. A task is stopped only if an
 * eligible instance has the CPU, memory and host ports for its replacement; never more than would
 * take the service below its {@code minimumHealthyPercent} of desired; never more than the budgets;
 * always from the most loaded instance first. Zones are evened first (difference at most one), then
 * instances (difference at most one), and a move between zones never unbalances them.
 */
public final class RebalancePlanner {

    public Plan plan(List<Node> nodes, List<ServiceTasks> services, Budget budget, Instant now) {
        Map<String, Sim> sims = new LinkedHashMap<>();
        for (Node node : nodes) {
            if (node.eligible()) {
                sims.put(node.arn(), new Sim(node));
            }
        }
        List<TaskStop> stops = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        List<ServiceTasks> ordered = new ArrayList<>(services);
        ordered.sort(Comparator.comparing(ServiceTasks::name));
        for (ServiceTasks service : ordered) {
            String skip = skipReason(service, budget, now);
            if (skip == null && stops.size() >= budget.perCluster()) {
                skip = "the cluster's budget of " + budget.perCluster() + " task(s) per run is spent";
            }
            if (skip != null) {
                skipped.add(new Skipped(service.name(), skip));
                continue;
            }
            int floor = (int) Math.ceil(service.desired() * service.minimumHealthyPercent() / 100.0);
            int byHealth = service.tasks().size() - floor;
            if (byHealth <= 0) {
                skipped.add(new Skipped(service.name(), "stopping a task would take it below minimumHealthyPercent ("
                        + service.minimumHealthyPercent() + "% of " + service.desired() + ")"));
                continue;
            }
            int limit = Math.min(byHealth, Math.min(budget.perService(), budget.perCluster() - stops.size()));
            List<TaskStop> moves = balance(service, sims, limit);
            stops.addAll(moves);
        }
        return new Plan(stops, skipped, skew(nodes));
    }

    private static String skipReason(ServiceTasks service, Budget budget, Instant now) {
        if (service.daemon()) {
            return "daemon service: one task per instance by design";
        }
        if (service.optedOut()) {
            return "tagged deckhand:rebalance=false";
        }
        if (service.deploying()) {
            return "a deployment is in progress";
        }
        if (!"spread".equalsIgnoreCase(service.placementStrategy())) {
            return "placement strategy " + service.placementStrategy() + ": ECS would put the replacements back where they were";
        }
        if (service.lastRebalanced() != null && service.lastRebalanced().plus(budget.cooldown()).isAfter(now)) {
            return "rebalanced at " + service.lastRebalanced() + ", within the cooldown of " + budget.cooldown().toMinutes() + " min";
        }
        return null;
    }

    /** One service: moves from the busiest place to the emptiest until zones and instances differ by at most one. */
    private static List<TaskStop> balance(ServiceTasks service, Map<String, Sim> sims, int limit) {
        Map<String, List<String>> byNode = new HashMap<>();
        for (Sim sim : sims.values()) {
            byNode.put(sim.node.arn(), new ArrayList<>());
        }
        for (ServiceTasks.Placed task : service.tasks()) {
            List<String> on = byNode.get(task.nodeArn());
            if (on != null) {
                on.add(task.taskArn());
            }
        }
        List<TaskStop> moves = new ArrayList<>();
        while (moves.size() < limit) {
            Map<String, Integer> byZone = new TreeMap<>();
            for (Sim sim : sims.values()) {
                byZone.merge(sim.node.availabilityZone(), byNode.get(sim.node.arn()).size(), Integer::sum);
            }
            Move move = zoneMove(service, sims, byNode, byZone);
            if (move == null) {
                move = nodeMove(service, sims, byNode, byZone);
            }
            if (move == null) {
                break;
            }
            List<String> tasks = byNode.get(move.from.node.arn());
            String task = tasks.remove(tasks.size() - 1);
            byNode.get(move.to.node.arn()).add(task);
            move.from.release(service);
            move.to.take(service);
            moves.add(new TaskStop(service.name(), task, move.from.node.arn(), move.to.node.arn(), move.why));
        }
        return moves;
    }

    private record Move(Sim from, Sim to, String why) {
    }

    private static Move zoneMove(ServiceTasks service, Map<String, Sim> sims, Map<String, List<String>> byNode,
                                 Map<String, Integer> byZone) {
        if (byZone.size() < 2) {
            return null;
        }
        String busiest = byZone.entrySet().stream().max(Map.Entry.comparingByValue()).get().getKey();
        String emptiest = byZone.entrySet().stream().min(Map.Entry.comparingByValue()).get().getKey();
        if (byZone.get(busiest) - byZone.get(emptiest) <= 1) {
            return null;
        }
        Sim from = mostLoaded(sims, byNode, busiest);
        Sim to = leastLoadedWithRoom(service, sims, byNode, emptiest, null);
        // Only when the destination instance runs fewer of the service's tasks, so evening the
        // zones never unevens the instances (zones with fewer instances stay a little heavier).
        if (from == null || to == null || byNode.get(to.node.arn()).size() >= byNode.get(from.node.arn()).size()) {
            return null;
        }
        return new Move(from, to, "zone " + busiest + " runs " + byZone.get(busiest) + " task(s) of " + service.name()
                + ", zone " + emptiest + " " + byZone.get(emptiest));
    }

    private static Move nodeMove(ServiceTasks service, Map<String, Sim> sims, Map<String, List<String>> byNode,
                                 Map<String, Integer> byZone) {
        Sim from = mostLoaded(sims, byNode, null);
        if (from == null) {
            return null;
        }
        int fromCount = byNode.get(from.node.arn()).size();
        String fromZone = from.node.availabilityZone();
        // The same zone first; another zone only if it has fewer of the service's tasks, so zones stay even.
        Sim to = leastLoadedWithRoom(service, sims, byNode, fromZone, null);
        Sim other = leastLoadedWithRoom(service, sims, byNode, null, zone -> byZone.get(zone) < byZone.get(fromZone));
        if (to == null || (other != null && byNode.get(other.node.arn()).size() < byNode.get(to.node.arn()).size())) {
            to = other;
        }
        if (to == null || fromCount - byNode.get(to.node.arn()).size() <= 1) {
            return null;
        }
        return new Move(from, to, from.node.ec2InstanceId() + " runs " + fromCount + " task(s) of " + service.name()
                + ", " + to.node.ec2InstanceId() + " " + byNode.get(to.node.arn()).size());
    }

    /** The node with most of the service's tasks (ties: most reserved CPU), in {@code zone} if given. */
    private static Sim mostLoaded(Map<String, Sim> sims, Map<String, List<String>> byNode, String zone) {
        Sim best = null;
        for (Sim sim : sims.values()) {
            if (zone != null && !zone.equals(sim.node.availabilityZone()) || byNode.get(sim.node.arn()).isEmpty()) {
                continue;
            }
            if (best == null || compareLoad(sim, best, byNode) > 0) {
                best = sim;
            }
        }
        return best;
    }

    private static int compareLoad(Sim a, Sim b, Map<String, List<String>> byNode) {
        int byCount = Integer.compare(byNode.get(a.node.arn()).size(), byNode.get(b.node.arn()).size());
        return byCount != 0 ? byCount : Integer.compare(a.reservedCpu(), b.reservedCpu());
    }

    private static Sim leastLoadedWithRoom(ServiceTasks service, Map<String, Sim> sims, Map<String, List<String>> byNode,
                                           String zone, java.util.function.Predicate<String> zoneAllowed) {
        Sim best = null;
        for (Sim sim : sims.values()) {
            String az = sim.node.availabilityZone();
            if (zone != null && !zone.equals(az) || zoneAllowed != null && !zoneAllowed.test(az) || !sim.fits(service)) {
                continue;
            }
            if (best == null || compareLoad(sim, best, byNode) < 0) {
                best = sim;
            }
        }
        return best;
    }

    private static Skew skew(List<Node> nodes) {
        List<Integer> reserved = new ArrayList<>();
        nodes.stream().filter(Node::eligible).forEach(node -> reserved.add(node.reservedCpu()));
        if (reserved.isEmpty()) {
            return new Skew(0, 0, 0);
        }
        reserved.sort(Integer::compare);
        return new Skew(reserved.size(), reserved.get(reserved.size() - 1), reserved.get((reserved.size() - 1) / 2));
    }

    /** A node's capacity as moves are simulated. */
    private static final class Sim {
        final Node node;
        int freeCpu;
        int freeMemory;
        final Set<Integer> ports;

        Sim(Node node) {
            this.node = node;
            this.freeCpu = node.freeCpu();
            this.freeMemory = node.freeMemory();
            this.ports = new HashSet<>(node.usedPorts());
        }

        int reservedCpu() {
            return node.registeredCpu() - freeCpu;
        }

        boolean fits(ServiceTasks service) {
            return freeCpu >= service.cpu() && freeMemory >= service.memory()
                    && service.hostPorts().stream().noneMatch(ports::contains);
        }

        void take(ServiceTasks service) {
            freeCpu -= service.cpu();
            freeMemory -= service.memory();
            ports.addAll(service.hostPorts());
        }

        void release(ServiceTasks service) {
            freeCpu += service.cpu();
            freeMemory += service.memory();
            ports.removeAll(service.hostPorts());
        }
    }
}
