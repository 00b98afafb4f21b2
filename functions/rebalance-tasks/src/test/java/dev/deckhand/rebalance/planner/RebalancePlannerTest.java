package dev.deckhand.rebalance.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RebalancePlannerTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static final Budget GENEROUS = new Budget(100, 1000, Duration.ofMinutes(30));
    private final RebalancePlanner planner = new RebalancePlanner();

    private static Node node(String id, String az) {
        return new Node("arn:" + id, id, az, 4096, 4096, 8192, Set.of(), true);
    }

    private static ServiceTasks service(String name, int minHealthy, Map<String, Integer> tasksPerNode) {
        List<ServiceTasks.Placed> placed = new ArrayList<>();
        int total = 0;
        for (Map.Entry<String, Integer> entry : tasksPerNode.entrySet()) {
            for (int i = 0; i < entry.getValue(); i++) {
                placed.add(new ServiceTasks.Placed(name + "-" + entry.getKey() + "-" + i, "arn:" + entry.getKey()));
            }
            total += entry.getValue();
        }
        return new ServiceTasks(name, total, minHealthy, false, false, false, null, 256, 512, Set.of(), placed);
    }

    private static ServiceTasks with(ServiceTasks s, boolean deploying, boolean daemon, boolean optedOut, Instant last) {
        return new ServiceTasks(s.name(), s.desired(), s.minimumHealthyPercent(), deploying, daemon, optedOut, last, s.cpu(),
                s.memory(), s.hostPorts(), s.tasks());
    }

    @Test
    void allOnOneInstance_movesHalfToTheEmptyOnes_fromTheMostLoaded() {
        List<Node> nodes = List.of(node("i-a1", "a"), node("i-a2", "a"), node("i-b1", "b"), node("i-b2", "b"));
        ServiceTasks web = service("web", 50, Map.of("i-a1", 4));

        Plan plan = planner.plan(nodes, List.of(web), GENEROUS, NOW);

        assertEquals(2, plan.stops().size(), plan.toString()); // 50% of 4: at most 2
        assertTrue(plan.stops().stream().allMatch(stop -> stop.fromNode().equals("arn:i-a1")));
        assertTrue(plan.stops().stream().allMatch(stop -> stop.toNode().startsWith("arn:i-b")), "zone b gets them first");
    }

    @Test
    void alreadyEven_stopsNothing() {
        List<Node> nodes = List.of(node("i-a1", "a"), node("i-b1", "b"));

        Plan plan = planner.plan(nodes, List.of(service("web", 50, Map.of("i-a1", 2, "i-b1", 1))), GENEROUS, NOW);

        assertEquals(List.of(), plan.stops());
    }

    @Test
    void minimumHealthy100_neverStops() {
        List<Node> nodes = List.of(node("i-a1", "a"), node("i-b1", "b"));

        Plan plan = planner.plan(nodes, List.of(service("web", 100, Map.of("i-a1", 4))), GENEROUS, NOW);

        assertEquals(List.of(), plan.stops());
        assertTrue(plan.skipped().get(0).reason().contains("minimumHealthyPercent"));
    }

    @Test
    void skipsDaemonsDeploymentsOptOutsAndCoolingServices() {
        List<Node> nodes = List.of(node("i-a1", "a"), node("i-b1", "b"));
        ServiceTasks base = service("web", 50, Map.of("i-a1", 4));

        for (ServiceTasks s : List.of(with(base, true, false, false, null), with(base, false, true, false, null),
                with(base, false, false, true, null), with(base, false, false, false, NOW.minusSeconds(600)))) {
            Plan plan = planner.plan(nodes, List.of(s), GENEROUS, NOW);
            assertEquals(List.of(), plan.stops(), s.toString());
            assertEquals(1, plan.skipped().size());
        }
        assertEquals(2, planner.plan(nodes, List.of(with(base, false, false, false, NOW.minusSeconds(3600))), GENEROUS, NOW)
                .stops().size(), "after the cooldown it moves again");
    }

    @Test
    void binpackOrRandomServices_areLeftAlone() {
        List<Node> nodes = List.of(node("i-a1", "a"), node("i-b1", "b"));
        ServiceTasks base = service("web", 50, Map.of("i-a1", 4));
        for (String strategy : List.of("binpack", "random")) {
            ServiceTasks s = placed(base, ServiceTasks.EcsPlacement.DEFAULT.withStrategies(
                    List.of(new ServiceTasks.Strategy(strategy, strategy.equals("binpack") ? "memory" : null))));

            Plan plan = planner.plan(nodes, List.of(s), GENEROUS, NOW);

            assertEquals(List.of(), plan.stops(), strategy);
            assertTrue(plan.skipped().get(0).reason().contains(strategy));
        }
    }

    private static ServiceTasks placed(ServiceTasks s, ServiceTasks.EcsPlacement ecs) {
        return new ServiceTasks(s.name(), s.desired(), s.minimumHealthyPercent(), false, false, false, null, s.cpu(), s.memory(),
                s.hostPorts(), s.tasks(), ecs);
    }

    private static ServiceTasks.Strategy spread(String field) {
        return new ServiceTasks.Strategy("spread", field);
    }

    @Test
    void spreadZonesThenBinpack_movesBetweenZones_neverWithinOne() {
        List<Node> nodes = List.of(node("i-a1", "a"), node("i-a2", "a"), node("i-b1", "b"), node("i-b2", "b"));
        ServiceTasks.EcsPlacement packed = ServiceTasks.EcsPlacement.DEFAULT.withStrategies(
                List.of(spread(ServiceTasks.Strategy.ZONE), new ServiceTasks.Strategy("binpack", "memory")));

        Plan evenZones = planner.plan(nodes, List.of(placed(service("web", 50, Map.of("i-a1", 3, "i-b1", 3)), packed)), GENEROUS, NOW);
        Plan unevenZones = planner.plan(nodes, List.of(placed(service("web", 50, Map.of("i-a1", 6)), packed)), GENEROUS, NOW);

        assertEquals(List.of(), evenZones.stops());
        assertTrue(evenZones.skipped().get(0).reason().contains("binpack(memory)"), evenZones.toString());
        assertEquals(3, unevenZones.stops().size(), "6 to 3 and 3, half of 6 at most: " + unevenZones);
        assertTrue(unevenZones.stops().stream().allMatch(stop -> stop.toNode().startsWith("arn:i-b")));
    }

    @Test
    void strategiesThatNeverSpreadFirst_orSpreadInstancesThenBinpack_leaveTheServiceAlone() {
        List<Node> nodes = List.of(node("i-a1", "a"), node("i-a2", "a"), node("i-b1", "b"));
        for (List<ServiceTasks.Strategy> strategies : List.of(List.of(spread("instanceId"), new ServiceTasks.Strategy("binpack", "cpu")),
                List.of(new ServiceTasks.Strategy("random", null), spread(ServiceTasks.Strategy.ZONE)))) {
            ServiceTasks s = placed(service("web", 50, Map.of("i-a1", 4)), ServiceTasks.EcsPlacement.DEFAULT.withStrategies(strategies));

            Plan plan = planner.plan(nodes, List.of(s), GENEROUS, NOW);

            assertEquals(List.of(), plan.stops(), strategies.toString());
            assertTrue(plan.skipped().get(0).reason().contains("back where they were"), plan.toString());
        }
    }

    @Test
    void ecsAzRebalancing_keepsEveryMoveWithinItsZone() {
        List<Node> nodes = List.of(node("i-a1", "a"), node("i-a2", "a"), node("i-b1", "b"), node("i-b2", "b"));
        ServiceTasks.EcsPlacement ecs = new ServiceTasks.EcsPlacement(List.of(spread(ServiceTasks.Strategy.ZONE), spread("instanceId")),
                "ECS", List.of(), false, List.of(), true, false);

        Plan even = planner.plan(nodes, List.of(placed(service("web", 50, Map.of("i-a1", 3, "i-b1", 2)), ecs)), GENEROUS, NOW);
        Plan uneven = planner.plan(nodes, List.of(placed(service("web", 50, Map.of("i-a1", 4, "i-b1", 1)), ecs)), GENEROUS, NOW);

        assertEquals(2, even.stops().size(), even.toString());
        assertTrue(even.stops().stream().allMatch(stop -> stop.fromNode().charAt(6) == stop.toNode().charAt(6)), even.toString());
        assertEquals(List.of(), uneven.stops());
        assertTrue(uneven.skipped().get(0).reason().contains("availabilityZoneRebalancing"), uneven.toString());
    }

    @Test
    void minimumHealthy_countsOnlyTasksOnEligibleInstances() {
        Node draining = new Node("arn:i-b1", "i-b1", "b", 4096, 4096, 8192, Set.of(), false);
        List<Node> nodes = List.of(node("i-a1", "a"), node("i-a2", "a"), draining, node("i-b2", "b"));

        Plan plan = planner.plan(nodes, List.of(service("web", 50, Map.of("i-a1", 4, "i-b1", 2))), GENEROUS, NOW);

        assertEquals(1, plan.stops().size(), "4 stay, the floor is 3 of 6: " + plan);
    }

    @Test
    void servicesEcsPlacesInWaysDeckhandDoesNotModel_areLeftAlone_andSaidSo() {
        List<Node> nodes = List.of(node("i-a1", "a"), node("i-b1", "b"));
        ServiceTasks base = service("web", 50, Map.of("i-a1", 4));
        ServiceTasks.EcsPlacement d = ServiceTasks.EcsPlacement.DEFAULT;
        Map<String, ServiceTasks.EcsPlacement> cases = Map.of(
                "CODE_DEPLOY", new ServiceTasks.EcsPlacement(d.strategies(), "CODE_DEPLOY", List.of(), false, List.of(), false, false),
                "EXTERNAL", new ServiceTasks.EcsPlacement(d.strategies(), "EXTERNAL", List.of(), false, List.of(), false, false),
                "memberOf", new ServiceTasks.EcsPlacement(d.strategies(), "ECS", List.of("attribute:ecs.instance-type =~ g5.*"), false, List.of(), false, false),
                "GPU", new ServiceTasks.EcsPlacement(d.strategies(), "ECS", List.of(), true, List.of(), false, false),
                "capacity provider", new ServiceTasks.EcsPlacement(d.strategies(), "ECS", List.of(), false, List.of("spot"), false, false),
                "AZ rebalancing is under way", new ServiceTasks.EcsPlacement(d.strategies(), "ECS", List.of(), false, List.of(), true, true));
        cases.forEach((word, ecs) -> {
            Plan plan = planner.plan(nodes, List.of(placed(base, ecs)), GENEROUS, NOW);
            assertEquals(List.of(), plan.stops(), word);
            assertTrue(plan.skipped().get(0).reason().contains(word), word + ": " + plan);
        });
        ServiceTasks short1 = new ServiceTasks("web", 5, 50, false, false, false, null, 256, 512, Set.of(), base.tasks());
        assertTrue(planner.plan(nodes, List.of(short1), GENEROUS, NOW).skipped().get(0).reason().contains("desired count"));
    }

    @Test
    void noRoomElsewhere_stopsNothing() {
        Node full = new Node("arn:i-b1", "i-b1", "b", 4096, 100, 100, Set.of(), true);
        Node ports = new Node("arn:i-b2", "i-b2", "b", 4096, 4096, 8192, Set.of(8080), true);
        ServiceTasks web = new ServiceTasks("web", 4, 50, false, false, false, null, 256, 512, Set.of(8080),
                List.of(new ServiceTasks.Placed("t1", "arn:i-a1"), new ServiceTasks.Placed("t2", "arn:i-a1")));

        Plan plan = planner.plan(List.of(node("i-a1", "a"), full, ports), List.of(web), GENEROUS, NOW);

        assertEquals(List.of(), plan.stops());
    }

    @Test
    void drainingInstances_areNotDestinations() {
        Node draining = new Node("arn:i-b1", "i-b1", "b", 4096, 4096, 8192, Set.of(), false);

        Plan plan = planner.plan(List.of(node("i-a1", "a"), draining), List.of(service("web", 50, Map.of("i-a1", 4))), GENEROUS, NOW);

        assertEquals(List.of(), plan.stops());
    }

    @Test
    void budgets_perServiceAndPerCluster() {
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            nodes.add(node("i-" + i, i % 2 == 0 ? "a" : "b"));
        }
        List<ServiceTasks> services = List.of(service("a", 0, Map.of("i-0", 8)), service("b", 0, Map.of("i-0", 8)),
                service("c", 0, Map.of("i-0", 8)));

        Plan plan = planner.plan(nodes, services, new Budget(2, 4, Duration.ZERO), NOW);

        assertEquals(4, plan.stops().size());
        Map<String, Integer> perService = new HashMap<>();
        plan.stops().forEach(stop -> perService.merge(stop.service(), 1, Integer::sum));
        assertTrue(perService.values().stream().allMatch(n -> n <= 2), perService.toString());
        assertTrue(plan.skipped().stream().anyMatch(s -> s.reason().contains("budget")));
    }

    @Test
    void skew_reportsBusiestAgainstMedian() {
        List<Node> nodes = List.of(new Node("a", "i-1", "a", 4096, 4096 - 3000, 8192, Set.of(), true),
                new Node("b", "i-2", "a", 4096, 4096 - 500, 8192, Set.of(), true),
                new Node("c", "i-3", "b", 4096, 4096 - 1000, 8192, Set.of(), true));

        Plan.Skew skew = planner.plan(nodes, List.of(), GENEROUS, NOW).skew();

        assertEquals(3000, skew.maxReservedCpu());
        assertEquals(1000, skew.medianReservedCpu());
    }

    /** Random clusters: never below minimum healthy, never over budget, skew across instances and zones never worse. */
    @Test
    void randomClusters_keepTheInvariants() {
        Random random = new Random(20261122);
        for (int round = 0; round < 500; round++) {
            List<Node> nodes = new ArrayList<>();
            int instanceCount = 2 + random.nextInt(12);
            for (int i = 0; i < instanceCount; i++) {
                nodes.add(new Node("arn:i-" + i, "i-" + i, "z" + random.nextInt(3), 4096, 4096 - random.nextInt(2048),
                        8192 - random.nextInt(4096), Set.of(), random.nextInt(10) > 0));
            }
            List<ServiceTasks> services = new ArrayList<>();
            for (int s = 0; s < 1 + random.nextInt(4); s++) {
                Map<String, Integer> placement = new HashMap<>();
                int count = 1 + random.nextInt(12);
                for (int t = 0; t < count; t++) {
                    placement.merge("i-" + random.nextInt(instanceCount), 1, Integer::sum);
                }
                services.add(service("s" + s, random.nextInt(3) * 50, placement));
            }
            Budget budget = new Budget(1 + random.nextInt(4), 1 + random.nextInt(8), Duration.ZERO);

            Plan plan = planner.plan(nodes, services, budget, NOW);

            assertTrue(plan.stops().size() <= budget.perCluster());
            for (ServiceTasks service : services) {
                List<Plan.TaskStop> mine = plan.stops().stream().filter(stop -> stop.service().equals(service.name())).toList();
                int floor = (int) Math.ceil(service.desired() * service.minimumHealthyPercent() / 100.0);
                assertTrue(mine.size() <= budget.perService(), "round " + round);
                assertTrue(service.tasks().size() - mine.size() >= floor, "round " + round + ": below minimum healthy");
                assertTrue(spread(nodes, service, List.of(), false) >= spread(nodes, service, mine, false), "round " + round + " instances");
                assertTrue(spread(nodes, service, List.of(), true) >= spread(nodes, service, mine, true), "round " + round + " zones");
            }
        }
    }

    /** Max minus min of the service's tasks per eligible instance (or zone), after {@code moves}. */
    private static int spread(List<Node> nodes, ServiceTasks service, List<Plan.TaskStop> moves, boolean zones) {
        Map<String, String> zoneOf = new HashMap<>();
        Map<String, Integer> counts = new TreeMap<>();
        for (Node node : nodes) {
            if (node.eligible()) {
                zoneOf.put(node.arn(), node.availabilityZone());
                counts.put(zones ? node.availabilityZone() : node.arn(), 0);
            }
        }
        for (ServiceTasks.Placed task : service.tasks()) {
            if (zoneOf.containsKey(task.nodeArn())) {
                counts.merge(zones ? zoneOf.get(task.nodeArn()) : task.nodeArn(), 1, Integer::sum);
            }
        }
        for (Plan.TaskStop move : moves) {
            counts.merge(zones ? zoneOf.get(move.fromNode()) : move.fromNode(), -1, Integer::sum);
            counts.merge(zones ? zoneOf.get(move.toNode()) : move.toNode(), 1, Integer::sum);
        }
        return counts.values().stream().max(Integer::compare).orElse(0) - counts.values().stream().min(Integer::compare).orElse(0);
    }
}
