package dev.deckhand.drain.planner;

import dev.deckhand.core.config.RebalancePolicy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DrainPlannerTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:30Z");
    private static final Instant DEADLINE = Instant.parse("2026-11-22T10:02:00Z"); // 90 s left
    private final DrainPlanner planner = new DrainPlanner(RebalancePolicy.DRAIN);
    private final DrainRequest request = new DrainRequest("e1", "i-1234567890abcdef0", Signal.SPOT_INTERRUPTION, DEADLINE);

    @Test
    void decide_activeInstance_isDrained() {
        assertEquals(DrainOutcome.DRAIN, planner.decide(request, Optional.of("ACTIVE")).verdict());
    }

    @Test
    void decide_drainingInstance_needsNothing() {
        assertEquals(DrainOutcome.ALREADY_DRAINING, planner.decide(request, Optional.of("DRAINING")).verdict());
    }

    @Test
    void decide_instanceInNoManagedCluster_isNotManaged_andSaysSo() {
        DrainDecision decision = planner.decide(request, Optional.empty());

        assertEquals(DrainOutcome.NOT_MANAGED, decision.verdict());
        assertTrue(decision.reason().contains("i-1234567890abcdef0"));
    }

    @Test
    void decide_registeringOrDeregistering_isNotDrainable() {
        assertEquals(DrainOutcome.NOT_DRAINABLE, planner.decide(request, Optional.of("REGISTERING")).verdict());
        assertEquals(DrainOutcome.NOT_DRAINABLE, planner.decide(request, Optional.of("DEREGISTERING")).verdict());
    }

    @Test
    void notSaved_standaloneTask_isReportedWhateverItsStopTimeout() {
        List<TaskAtRisk> lost = planner.notSaved(
                List.of(new RunningTask("t1", "family:nightly-report", Duration.ofSeconds(5))), DEADLINE, NOW);

        assertEquals(1, lost.size());
        assertTrue(lost.get(0).reason().startsWith("standalone task"));
    }

    @Test
    void notSaved_serviceTaskWithStopTimeoutLongerThanTimeLeft_isReported() {
        List<TaskAtRisk> lost = planner.notSaved(List.of(
                new RunningTask("slow", "service:worker", Duration.ofSeconds(120)),
                new RunningTask("quick", "service:web", Duration.ofSeconds(30)),
                new RunningTask("exact", "service:web", Duration.ofSeconds(90))), DEADLINE, NOW);

        assertEquals(List.of("slow"), lost.stream().map(TaskAtRisk::taskArn).toList());
        assertEquals(120L, lost.get(0).stopTimeoutSeconds());
        assertTrue(lost.get(0).reason().contains("90s left"), lost.get(0).reason());
    }

    @Test
    void notSaved_pastTheDeadline_everyServiceTaskIsAtRisk() {
        List<TaskAtRisk> lost = planner.notSaved(
                List.of(new RunningTask("t", "service:web", Duration.ofSeconds(1))), DEADLINE, DEADLINE.plusSeconds(10));

        assertEquals(1, lost.size());
        assertTrue(lost.get(0).reason().contains("0s left"));
    }

    @Test
    void notSaved_withoutDeadline_onlyStandaloneTasks() {
        List<TaskAtRisk> lost = planner.notSaved(List.of(
                new RunningTask("svc", "service:web", Duration.ofSeconds(600)),
                new RunningTask("job", "family:job", Duration.ofSeconds(30))), null, NOW);

        assertEquals(List.of("job"), lost.stream().map(TaskAtRisk::taskArn).toList());
    }

    @Test
    void decide_rebalanceRecommendation_followsThePolicy() {
        DrainRequest rebalance = new DrainRequest("e2", "i-1234567890abcdef0", Signal.REBALANCE_RECOMMENDATION, null);

        assertEquals(DrainOutcome.DRAIN, new DrainPlanner(RebalancePolicy.DRAIN).decide(rebalance, Optional.of("ACTIVE"), false, "asg").verdict());
        assertEquals(DrainOutcome.NOTIFY, new DrainPlanner(RebalancePolicy.DRAIN).decide(rebalance, Optional.of("ACTIVE"), false, null).verdict());
        assertTrue(new DrainPlanner(RebalancePolicy.DRAIN).needsReplacement(rebalance, Optional.of("ACTIVE"), false));
        assertTrue(!new DrainPlanner(RebalancePolicy.DRAIN).needsReplacement(rebalance, Optional.of("DRAINING"), false));
        assertTrue(!new DrainPlanner(RebalancePolicy.NOTIFY).needsReplacement(rebalance, Optional.of("ACTIVE"), false));
        assertEquals(DrainOutcome.NOTIFY, new DrainPlanner(RebalancePolicy.NOTIFY).decide(rebalance, Optional.of("ACTIVE")).verdict());
        assertTrue(new DrainPlanner(RebalancePolicy.IGNORE).ignores(Signal.REBALANCE_RECOMMENDATION));
        assertTrue(!new DrainPlanner(RebalancePolicy.IGNORE).ignores(Signal.SPOT_INTERRUPTION));
    }

    @Test
    void decide_notifyPolicy_stillSaysAlreadyDrainingWhenAnotherSignalDrained() {
        DrainRequest rebalance = new DrainRequest("e2", "i-1234567890abcdef0", Signal.REBALANCE_RECOMMENDATION, null);

        assertEquals(DrainOutcome.ALREADY_DRAINING,
                new DrainPlanner(RebalancePolicy.NOTIFY).decide(rebalance, Optional.of("DRAINING")).verdict());
    }

    @Test
    void notifies_onlyTheDecisionsThatTellAnOperator() {
        assertTrue(DrainOutcome.DRAIN.notifies());
        assertTrue(DrainOutcome.NOTIFY.notifies());
        assertTrue(!DrainOutcome.ALREADY_DRAINING.notifies());
        assertTrue(!DrainOutcome.NOT_MANAGED.notifies());
    }

    @Test
    void leftToEcs_managedInstancesForEverySignal_managedDrainingForAutoScalingTerminationsOnly_fargateAndPlainGroupsNever() {
        CapacityProviderView managedInstances = new CapacityProviderView("mi-cp", false, false);
        CapacityProviderView managedDraining = new CapacityProviderView("asg-cp", true, true);
        CapacityProviderView plain = new CapacityProviderView("plain-cp", true, false);
        CapacityProviderView fargate = new CapacityProviderView("FARGATE_SPOT", false, false);

        for (Signal signal : List.of(Signal.SPOT_INTERRUPTION, Signal.REBALANCE_RECOMMENDATION, Signal.STATE_CHANGE,
                Signal.LIFECYCLE_TERMINATE, Signal.RETIREMENT, Signal.HEALTH_SCHEDULED_CHANGE)) {
            assertTrue(planner.leftToEcs(signal, managedInstances).contains("mi-cp"), signal.name());
            assertEquals(null, planner.leftToEcs(signal, plain), signal.name());
            assertEquals(null, planner.leftToEcs(signal, fargate), signal.name());
            assertEquals(null, planner.leftToEcs(signal, null), signal.name());
        }
        assertTrue(planner.leftToEcs(Signal.LIFECYCLE_TERMINATE, managedDraining).contains("asg-cp"));
        assertTrue(planner.leftToEcs(Signal.REBALANCE_RECOMMENDATION, managedDraining).contains("asg-cp"));
        for (Signal signal : List.of(Signal.SPOT_INTERRUPTION, Signal.STATE_CHANGE, Signal.RETIREMENT, Signal.HEALTH_SCHEDULED_CHANGE)) {
            assertEquals(null, planner.leftToEcs(signal, managedDraining), signal.name() + ": not an Auto Scaling termination");
        }
    }

    @Test
    void leftToEcs_decidesOnlyForAnActiveInstance_andNeverUndoesThisEventsOwnDrain() {
        String ecs = planner.leftToEcs(Signal.SPOT_INTERRUPTION, new CapacityProviderView("mi-cp", false, false));

        assertEquals(DrainOutcome.LEFT_TO_ECS, planner.decide(request, Optional.of("ACTIVE"), false, null, ecs).verdict());
        assertEquals(DrainOutcome.ALREADY_DRAINING, planner.decide(request, Optional.of("DRAINING"), false, null, ecs).verdict());
        assertEquals(DrainOutcome.DRAIN, planner.decide(request, Optional.of("DRAINING"), true, null, ecs).verdict());
        assertEquals(DrainOutcome.NOT_MANAGED, planner.decide(request, Optional.empty(), false, null, ecs).verdict());
        assertTrue(planner.needsCapacityProvider(request, Optional.of("ACTIVE"), false));
        assertTrue(!planner.needsCapacityProvider(request, Optional.of("DRAINING"), false));
        assertTrue(!planner.needsCapacityProvider(request, Optional.empty(), false));
        assertTrue(!DrainOutcome.LEFT_TO_ECS.notifies());
    }

    /**
     * A running instance comes back from a stop or a maintenance; a completed maintenance undoes the
     * maintenance drain only. Anyone else's drain, and a drain for termination, stays.
     */
    @Test
    void reactivation_undoesOnlyTheDrainTheInstanceCameBackFrom() {
        Optional<String> draining = Optional.of("DRAINING");
        String id = "i-1234567890abcdef0";
        assertEquals(DrainOutcome.REACTIVATE, planner.reactivation(id, draining, "stop", Signal.INSTANCE_RUNNING).verdict());
        assertEquals(DrainOutcome.REACTIVATE, planner.reactivation(id, draining, "maintenance", Signal.INSTANCE_RUNNING).verdict());
        assertEquals(DrainOutcome.REACTIVATE, planner.reactivation(id, draining, "maintenance", Signal.MAINTENANCE_OVER).verdict());
        assertEquals(DrainOutcome.LEFT_DRAINING, planner.reactivation(id, draining, "stop", Signal.MAINTENANCE_OVER).verdict());
        assertEquals(DrainOutcome.LEFT_DRAINING, planner.reactivation(id, draining, "termination", Signal.INSTANCE_RUNNING).verdict());
        assertEquals(DrainOutcome.LEFT_DRAINING, planner.reactivation(id, draining, null, Signal.MAINTENANCE_OVER).verdict());
        assertEquals(DrainOutcome.NOT_DRAINING, planner.reactivation(id, Optional.of("ACTIVE"), "maintenance", Signal.MAINTENANCE_OVER)
                .verdict());
        assertEquals(DrainOutcome.NOT_MANAGED, planner.reactivation(id, Optional.empty(), "maintenance", Signal.MAINTENANCE_OVER).verdict());
    }
}
