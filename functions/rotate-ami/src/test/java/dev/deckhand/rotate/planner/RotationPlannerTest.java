package dev.deckhand.rotate.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The planner's rules, and its invariants over thousands of random clusters. */
class RotationPlannerTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static final String TEMPLATE = "lt-0123456789abcdef0";
    private static final String OLD = "ami-0000000000000old0";
    private static final String NEW = "ami-0000000000000new0";
    private static final Map<String, String> TARGETS = Map.of(TEMPLATE, NEW);
    private static final Owner ASG = new Owner(Owner.Kind.AUTO_SCALING_GROUP, "web-asg");
    private static final Budget BUDGET = new Budget(2, 25, Duration.ofMinutes(30), null);

    private final RotationPlanner planner = new RotationPlanner();

    private static Node node(int i, String status, String image, Instant retiring, int tasks, Owner owner) {
        return new Node(String.format("i-%017x", i), "arn:ci/" + i, status, true, tasks, image, NOW.minus(Duration.ofDays(i + 1)),
                TEMPLATE, owner, retiring);
    }

    private static List<Node> cluster(int size, String image) {
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            nodes.add(node(i, "ACTIVE", image, null, 3, ASG));
        }
        return nodes;
    }

    @Test
    void noInstanceOnTheNewImage_retiresOneCanaryOnly() {
        Plan plan = planner.plan("web", cluster(8, OLD), TARGETS, List.of(), BUDGET, NOW, true);

        assertEquals(1, plan.retire().size());
        assertTrue(plan.retire().get(0).canary());
        assertNotNull(plan.canary());
        assertEquals(NEW, plan.canary().imageId());
    }

    @Test
    void canaryPending_othersWait_untilTheDeadline_thenRollBack() {
        List<Node> nodes = new ArrayList<>(cluster(8, OLD));
        nodes.set(0, node(0, "DRAINING", OLD, NOW.minus(Duration.ofMinutes(10)), 1, ASG));
        Canary canary = new Canary("web", NEW, nodes.get(0).ec2InstanceId(), NOW.minus(Duration.ofMinutes(10)));

        Plan waiting = planner.plan("web", nodes, TARGETS, List.of(canary), BUDGET, NOW, true);
        assertEquals(List.of(), waiting.retire());
        assertTrue(waiting.waiting().contains("canary"));
        assertNull(waiting.rollback());

        Plan late = planner.plan("web", nodes, TARGETS, List.of(canary), BUDGET, NOW.plus(Duration.ofMinutes(21)), true);
        assertNotNull(late.rollback());
        assertEquals(TEMPLATE, late.rollback().templateId());
        assertEquals(List.of(), late.retire());
    }

    @Test
    void replacementActiveOnTheNewImage_retiresUpToTheBudget_oldestFirst() {
        List<Node> nodes = new ArrayList<>(cluster(8, OLD));
        nodes.set(0, node(0, "ACTIVE", NEW, null, 0, ASG));

        Plan plan = planner.plan("web", nodes, TARGETS, List.of(), BUDGET, NOW, true);

        assertEquals(2, plan.retire().size(), "min(2, 25% of 8)");
        assertEquals(nodes.get(7).ec2InstanceId(), plan.retire().get(0).node().ec2InstanceId(), "the oldest first");
        assertTrue(plan.waiting().contains("disruption budget"));
    }

    @Test
    void drainsFromOtherCauses_countAgainstTheBudget() {
        List<Node> nodes = new ArrayList<>(cluster(8, OLD));
        nodes.set(0, node(0, "ACTIVE", NEW, null, 0, ASG));
        nodes.set(1, node(1, "DRAINING", OLD, null, 2, ASG));   // a Spot interruption, say

        Plan plan = planner.plan("web", nodes, TARGETS, List.of(), BUDGET, NOW, true);

        assertEquals(1, plan.retire().size());
    }

    @Test
    void drainedRetiringInstance_isTerminated_oneStillActive_isAskedAgain() {
        List<Node> nodes = new ArrayList<>(cluster(4, NEW));
        nodes.add(node(10, "DRAINING", OLD, NOW.minusSeconds(600), 0, ASG));
        nodes.add(node(11, "ACTIVE", OLD, NOW.minusSeconds(60), 2, ASG));

        Plan plan = planner.plan("web", nodes, TARGETS, List.of(), BUDGET, NOW, true);

        assertEquals(List.of(nodes.get(4)), plan.terminate());
        assertEquals(List.of(nodes.get(5)), plan.resend());
    }

    @Test
    void instanceWithoutAnOwner_isNeverRetired() {
        List<Node> nodes = new ArrayList<>(cluster(3, NEW));
        nodes.add(node(5, "ACTIVE", OLD, null, 1, Owner.NONE));

        Plan plan = planner.plan("web", nodes, TARGETS, List.of(), BUDGET, NOW, true);

        assertEquals(List.of(), plan.retire());
        assertTrue(plan.skipped().get(0).reason().contains("no Auto Scaling group or maintained fleet"));
    }

    @Test
    void outsideTheWindow_nothingIsRetiredOrTerminated() {
        List<Node> nodes = new ArrayList<>(cluster(4, OLD));
        nodes.add(node(10, "DRAINING", OLD, NOW.minusSeconds(600), 0, ASG));

        Plan plan = planner.plan("web", nodes, TARGETS, List.of(), BUDGET, NOW, false);

        assertEquals(List.of(), plan.retire());
        assertEquals(List.of(), plan.terminate());
    }

    @Test
    void singleInstanceCluster_isNeverLeftWithoutAnActiveInstance() {
        Plan plan = planner.plan("web", cluster(1, OLD), TARGETS, List.of(), BUDGET, NOW, true);

        assertEquals(List.of(), plan.retire());
        assertTrue(plan.waiting().contains("last ACTIVE"));
    }

    @Test
    void runForSomeTemplatesOnly_retiresNoInstanceOfAnother_evenPastTheMaximumAge() {
        Budget daily = new Budget(4, 100, Duration.ofMinutes(30), Duration.ofHours(24));
        List<Node> nodes = new ArrayList<>(cluster(1, OLD));
        String other = "lt-0fedcba9876543210";
        for (int i = 10; i < 14; i++) {
            Node n = node(i, "ACTIVE", NEW, null, 1, ASG);
            nodes.add(new Node(n.ec2InstanceId(), n.containerInstanceArn(), n.status(), true, n.tasks(), NEW,
                    NOW.minus(Duration.ofDays(30)), other, ASG, null));
        }
        nodes.add(node(20, "ACTIVE", NEW, null, 1, ASG));   // the new image is proven: no canary step

        Plan limited = planner.plan("web", nodes, TARGETS, List.of(), daily, NOW, true, Set.of(TEMPLATE));
        Plan everything = planner.plan("web", nodes, TARGETS, List.of(), daily, NOW, true);

        assertFalse(limited.retire().isEmpty());
        assertTrue(limited.retire().stream().allMatch(r -> TEMPLATE.equals(r.node().templateId())), limited.retire().toString());
        assertTrue(everything.retire().stream().anyMatch(r -> other.equals(r.node().templateId())),
                "a run for every template retires the other template's old instances: " + everything.retire());
    }

    @Test
    void maxAge_retiresOldInstancesOnTheCurrentImage() {
        Budget daily = new Budget(2, 50, Duration.ofMinutes(30), Duration.ofHours(24));

        Plan plan = planner.plan("web", cluster(4, NEW), TARGETS, List.of(), daily, NOW, true);

        assertEquals(2, plan.retire().size());
        assertTrue(plan.retire().get(0).reason().contains("older than 24 h"));
    }

    @Test
    void unmanagedTemplate_orOwnerPinningAnotherVersion_isNotStale() {
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            nodes.add(new Node(String.format("i-%017x", i), "arn", "ACTIVE", true, 1, OLD, NOW, null, ASG, null));
        }

        assertEquals(List.of(), planner.plan("web", nodes, TARGETS, List.of(), BUDGET, NOW, true).retire());
    }

    /** Thousands of random clusters: never over budget, never the last ACTIVE instance, canary first, owners only. */
    @Test
    void invariants_overRandomClusters() {
        Random random = new Random(20261122);
        String[] statuses = {"ACTIVE", "ACTIVE", "ACTIVE", "DRAINING", "INACTIVE"};
        for (int round = 0; round < 5000; round++) {
            int size = 1 + random.nextInt(40);
            List<Node> nodes = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                String status = statuses[random.nextInt(statuses.length)];
                String image = random.nextInt(3) == 0 ? NEW : OLD;
                Instant retiring = random.nextInt(6) == 0 ? NOW.minusSeconds(random.nextInt(3600)) : null;
                Owner owner = random.nextInt(8) == 0 ? Owner.NONE
                        : random.nextBoolean() ? ASG : new Owner(Owner.Kind.SPOT_FLEET, "sfr-1");
                nodes.add(new Node(String.format("i-%017x", round * 100 + i), "arn:" + i, status, random.nextInt(10) > 0,
                        random.nextInt(4), image, NOW.minus(Duration.ofHours(random.nextInt(500))),
                        random.nextInt(10) == 0 ? null : TEMPLATE, owner, retiring));
            }
            Budget budget = new Budget(1 + random.nextInt(5), 1 + random.nextInt(100), Duration.ofMinutes(30),
                    random.nextBoolean() ? Duration.ofHours(100) : null);
            List<Canary> canaries = random.nextInt(4) == 0
                    ? List.of(new Canary("c", NEW, nodes.get(0).ec2InstanceId(), NOW.minus(Duration.ofMinutes(random.nextInt(60)))))
                    : List.of();
            boolean window = random.nextInt(10) > 0;

            Plan plan = planner.plan("c", nodes, TARGETS, canaries, budget, NOW, window);

            List<Node> live = nodes.stream().filter(n -> n.active() || n.draining()).toList();
            long drainingBefore = live.stream().filter(n -> n.draining() || n.retiring()).count();
            int allowed = budget.allowedDraining(live.size());
            String where = "round " + round + ": " + plan;
            if (!plan.retire().isEmpty()) {
                assertTrue(drainingBefore + plan.retire().size() <= allowed, "over budget, " + where);
            }
            long activeAfter = live.stream().filter(n -> n.active() && !n.retiring()).count() - plan.retire().size();
            if (!plan.retire().isEmpty()) {
                assertTrue(activeAfter >= 1, "the last ACTIVE instance, " + where);
            }
            Set<String> retired = plan.retire().stream().map(r -> r.node().ec2InstanceId()).collect(Collectors.toSet());
            assertEquals(plan.retire().size(), retired.size(), "retired twice, " + where);
            for (Plan.Retirement retirement : plan.retire()) {
                assertTrue(retirement.node().owner().replaces(), "an instance nothing replaces, " + where);
                assertTrue(retirement.node().active() && !retirement.node().retiring(), "not an ACTIVE unmarked instance, " + where);
            }
            boolean proven = live.stream().anyMatch(n -> n.active() && !n.retiring() && n.agentConnected() && NEW.equals(n.imageId()));
            boolean anyStale = plan.retire().stream().anyMatch(r -> RotationPlanner.stale(r.node(), TARGETS));
            if (!proven && anyStale) {
                assertEquals(1, plan.retire().size(), "canary first, " + where);
            }
            if (!window) {
                assertTrue(plan.retire().isEmpty() && plan.terminate().isEmpty() && plan.rollback() == null, "outside the window, " + where);
            }
            if (plan.rollback() != null) {
                assertTrue(plan.retire().isEmpty());
            }
            plan.terminate().forEach(n -> assertTrue(n.retiring() && n.draining() && n.tasks() == 0 && n.owner().replaces(), where));
            assertFalse(plan.terminate().stream().anyMatch(n -> retired.contains(n.ec2InstanceId())));
        }
    }
}
