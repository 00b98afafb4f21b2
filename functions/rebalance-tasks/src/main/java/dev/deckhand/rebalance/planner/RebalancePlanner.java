package dev.deckhand.rebalance.planner;

import dev.deckhand.rebalance.planner.Plan.Skew;
import dev.deckhand.rebalance.planner.Plan.Skipped;
import dev.deckhand.rebalance.planner.Plan.TaskStop;
import dev.deckhand.rebalance.planner.ServiceTasks.EcsPlacement;
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
import java.util.function.Predicate;

/**
 * Chooses the fewest task stops that even out each service across eligible instances and
 * Availability Zones, once ECS's scheduler places the replacements. Pure: no AWS types.
 *
 * <pre>{@code
 * Plan plan = new RebalancePlanner().plan(nodes, services, new Budget(2, 10, Duration.ofMinutes(30)), now);
 * }</pre>
 *
 * Rules: a service is skipped when it is a daemon, tagged {@code deckhand:rebalance=false}, not
 * deployed by ECS's rolling-update controller (CODE_DEPLOY, EXTERNAL), mid-deployment, not at its
 * desired count, constrained where Deckhand cannot tell where ECS may place (memberOf, GPUs, a
 * capacity provider strategy), placed by strategies that would put a replacement back (binpack,
 * random), mid ECS AZ rebalance, or rebalanced within the cooldown. A task is stopped only if an
 * eligible instance has the CPU, memory and host ports for its replacement; never more than would
 * take the tasks that stay (on eligible instances) below {@code minimumHealthyPercent} of desired;
 * never more than the budgets; always from the most loaded instance first. Zones are evened first
 * (difference at most one) where ECS spreads them and does not rebalance them itself, then instances
 * (difference at most one) where every strategy spreads, and a move between zones never unbalances them.
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
            // Only tasks on eligible (ACTIVE, connected) instances stay: ECS replaces those on DRAINING
            // instances by itself, so they cannot be counted on to keep the service above its floor.
            int staying = (int) service.tasks().stream().filter(task -> sims.containsKey(task.nodeArn())).count();
            int floor = (int) Math.ceil(service.desired() * service.minimumHealthyPercent() / 100.0);
            int byHealth = staying - floor;
            if (byHealth <= 0) {
                skipped.add(new Skipped(service.name(), "stopping a task would take it below minimumHealthyPercent ("
                        + service.minimumHealthyPercent() + "% of " + service.desired() + "; " + staying
                        + " task(s) on ACTIVE instances stay)"));
                continue;
            }
            int limit = Math.min(byHealth, Math.min(budget.perService(), budget.perCluster() - stops.size()));
            Balanced balanced = balance(service, sims, limit);
            stops.addAll(balanced.moves());
            if (balanced.moves().isEmpty() && balanced.why() != null) {
                skipped.add(new Skipped(service.name(), balanced.why()));
            }
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
        EcsPlacement ecs = service.ecs();
        if (!"ECS".equals(ecs.controller())) {
            return "deployment controller " + ecs.controller() + ": its deployments are not ECS's rolling updates, so ECS's "
                    + "replacement of a stopped task is not Deckhand's to count on";
        }
        if (service.deploying()) {
            return "a deployment is in progress";
        }
        // Before the count: Deckhand's own stops, still being replaced, are the likeliest reason for a shortfall.
        if (service.lastRebalanced() != null && service.lastRebalanced().plus(budget.cooldown()).isAfter(now)) {
            return "rebalanced at " + service.lastRebalanced() + ", within the cooldown of " + budget.cooldown().toMinutes() + " min";
        }
        if (service.tasks().size() != service.desired()) {
            return "not at its desired count (" + service.tasks().size() + " running of " + service.desired() + ")";
        }
        if (!ecs.memberOf().isEmpty()) {
            return "placement constraint memberOf(" + String.join("; ", ecs.memberOf())
                    + "): Deckhand does not evaluate it, so it cannot tell where ECS may put a replacement";
        }
        if (ecs.gpu()) {
            return "GPU tasks: Deckhand does not track instances' free GPUs, so it cannot tell where ECS may put a replacement";
        }
        if (!ecs.capacityProviders().isEmpty()) {
            return "capacity provider strategy (" + String.join(", ", ecs.capacityProviders())
                    + "): ECS places by provider and may launch capacity for a replacement rather than use a planned instance";
        }
        if (!movesZones(ecs) && !movesWithinZones(ecs)) {
            return "placement strategy " + strategies(ecs) + ": ECS would put the replacements back where they were";
        }
        if (ecs.azRebalanceUnderWay()) {
            return "ECS's AZ rebalancing is under way (its service event says it started, none yet that it completed)";
        }
        return null;
    }

    /**
     * Whether ECS, placing a replacement, evens the zones: a spread on the zone comes before any
     * strategy that does not spread (ECS applies them in order), and ECS's own AZ rebalancing is off
     * (when it is on, the zones are ECS's to even).
     */
    static boolean movesZones(EcsPlacement ecs) {
        if (ecs.azRebalancing()) {
            return false;
        }
        for (ServiceTasks.Strategy strategy : strategies(ecs)) {
            if (!strategy.spreads()) {
                return false;
            }
            if (strategy.spreadsZones()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a move between instances is one ECS would make: every strategy spreads. A binpack or random
     * strategy decides the instance within a zone, and would put the replacement back on the instance it left.
     */
    static boolean movesWithinZones(EcsPlacement ecs) {
        return strategies(ecs).stream().allMatch(ServiceTasks.Strategy::spreads);
    }

    private static List<ServiceTasks.Strategy> strategies(EcsPlacement ecs) {
        return ecs.strategies().isEmpty() ? EcsPlacement.SERVICE_DEFAULT_STRATEGY : ecs.strategies();
    }

    /** The moves of one service, and why there are none when that is worth saying. */
    private record Balanced(List<TaskStop> moves, String why) {
    }

    /** One service: moves from the busiest place to the emptiest until zones and instances differ by at most one. */
    private static Balanced balance(ServiceTasks service, Map<String, Sim> sims, int limit) {
        EcsPlacement ecs = service.ecs();
        boolean zones = movesZones(ecs);
        boolean withinZones = movesWithinZones(ecs);
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
        if (ecs.azRebalancing()) {
            Map<String, Integer> byZone = zoneCounts(sims, byNode);
            if (!byZone.isEmpty() && max(byZone) - min(byZone) > 1) {
                // A replacement goes to the zone with the fewest tasks, so no move would stay within its
                // zone; ECS's AZ rebalancing evens them (starting a task before stopping one).
                return new Balanced(moves, "availabilityZoneRebalancing is ENABLED and the zones are uneven " + byZone
                        + ": ECS evens them; Deckhand moves tasks within a zone once they are even");
            }
        }
        while (moves.size() < limit) {
            Map<String, Integer> byZone = zoneCounts(sims, byNode);
            Move move = zones ? zoneMove(service, sims, byNode, byZone) : null;
            if (move == null && withinZones) {
                move = nodeMove(service, sims, byNode, byZone, !ecs.azRebalancing());
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
        if (!withinZones && moves.isEmpty()) {
            return new Balanced(moves, "placement strategy " + strategies(ecs) + ": ECS chooses the instance within a zone"
                    + " by a strategy that does not spread, so Deckhand moves tasks only between zones, and no such move is needed or has room");
        }
        return new Balanced(moves, null);
    }

    private static Map<String, Integer> zoneCounts(Map<String, Sim> sims, Map<String, List<String>> byNode) {
        Map<String, Integer> byZone = new TreeMap<>();
        for (Sim sim : sims.values()) {
            byZone.merge(sim.node.availabilityZone(), byNode.get(sim.node.arn()).size(), Integer::sum);
        }
        return byZone;
    }

    private static int max(Map<String, Integer> counts) {
        return counts.values().stream().max(Integer::compare).orElse(0);
    }

    private static int min(Map<String, Integer> counts) {
        return counts.values().stream().min(Integer::compare).orElse(0);
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

    /** @param crossZone whether the replacement may go to another zone (one with fewer of the service's tasks) */
    private static Move nodeMove(ServiceTasks service, Map<String, Sim> sims, Map<String, List<String>> byNode,
                                 Map<String, Integer> byZone, boolean crossZone) {
        Sim from = mostLoaded(sims, byNode, null);
        if (from == null) {
            return null;
        }
        int fromCount = byNode.get(from.node.arn()).size();
        String fromZone = from.node.availabilityZone();
        // The same zone first; another zone only if it has fewer of the service's tasks, so zones stay even.
        Sim to = leastLoadedWithRoom(service, sims, byNode, fromZone, null);
        Sim other = crossZone ? leastLoadedWithRoom(service, sims, byNode, null, zone -> byZone.get(zone) < byZone.get(fromZone)) : null;
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
                                           String zone, Predicate<String> zoneAllowed) {
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
