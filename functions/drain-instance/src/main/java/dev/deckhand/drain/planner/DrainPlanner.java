package dev.deckhand.drain.planner;

import dev.deckhand.core.config.RebalancePolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides what a drain signal means for one instance, from the state that was read. Pure: no AWS
 * types, no clock of its own.
 *
 * <pre>{@code
 * DrainPlanner planner = new DrainPlanner(RebalancePolicy.DRAIN);
 * DrainDecision decision = planner.decide(request, Optional.of("ACTIVE"));   // DRAIN
 * List<TaskAtRisk> lost = planner.notSaved(tasks, request.deadline(), now);
 * }</pre>
 */
public final class DrainPlanner {

    private final RebalancePolicy rebalancePolicy;

    public DrainPlanner(RebalancePolicy rebalancePolicy) {
        this.rebalancePolicy = rebalancePolicy;
    }

    /** True when the signal is to be dropped before any AWS call (a rebalance recommendation under {@code ignore}). */
    public boolean ignores(Signal signal) {
        return signal == Signal.REBALANCE_RECOMMENDATION && rebalancePolicy == RebalancePolicy.IGNORE;
    }

    public DrainDecision ignored(DrainRequest request) {
        return new DrainDecision(DrainOutcome.IGNORED, request.signal().description()
                + " ignored: DECKHAND_REBALANCE_POLICY is ignore");
    }

    /** The ECS agent's default container stop timeout (ECS_CONTAINER_STOP_TIMEOUT). */
    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(30);

    /** @param status the container instance's status, empty when no managed cluster has the instance */
    public DrainDecision decide(DrainRequest request, Optional<String> status) {
        return decide(request, status, false);
    }

    /**
     * @param drainedByThisEvent the instance carries this event's drain tag: an earlier attempt's
     *                           drain call reached ECS before that attempt failed
     */
    public DrainDecision decide(DrainRequest request, Optional<String> status, boolean drainedByThisEvent) {
        return decide(request, status, drainedByThisEvent, null);
    }

    /** True when deciding needs to know whether a replacement comes (a rebalance recommendation for an ACTIVE instance under {@code drain}). */
    public boolean needsReplacement(DrainRequest request, Optional<String> status, boolean drainedByThisEvent) {
        return request.signal() == Signal.REBALANCE_RECOMMENDATION && rebalancePolicy == RebalancePolicy.DRAIN
                && !drainedByThisEvent && status.isPresent() && "ACTIVE".equals(status.get());
    }

    /**
     * @param replacingGroup for a rebalance recommendation under {@code drain}: the instance's Auto Scaling
     *                       group when it has Capacity Rebalancing on (a replacement comes), else null
     */
    public DrainDecision decide(DrainRequest request, Optional<String> status, boolean drainedByThisEvent, String replacingGroup) {
        return decide(request, status, drainedByThisEvent, replacingGroup, null);
    }

    /**
     * True when whether ECS drains the instance itself matters to the decision: an ACTIVE instance that
     * this signal would drain. The capacity provider is read only then.
     */
    public boolean needsCapacityProvider(DrainRequest request, Optional<String> status, boolean drainedByThisEvent) {
        return !drainedByThisEvent && status.isPresent() && "ACTIVE".equals(status.get());
    }

    /**
     * Whether ECS drains this instance itself for this signal, and why; null when Deckhand drains it.
     * <ul>
     * <li>An ECS Managed Instances capacity provider (one with no Auto Scaling group; not FARGATE):
     * ECS launches, drains and replaces its instances, for every cause.</li>
     * <li>An Auto Scaling group capacity provider with managed instance draining: ECS drains an instance
     * when Auto Scaling terminates it (scale-in, instance refresh, maximum instance lifetime; Amazon ECS
     * Developer Guide, "Safely stop Amazon ECS workloads running on EC2 instances") through a lifecycle
     * hook of its own. That covers a terminate hook of Deckhand's on the same group and a rebalance
     * recommendation (drained only when Capacity Rebalancing replaces the instance, which Auto Scaling
     * then terminates). It does not cover what is not an Auto Scaling termination: a Spot interruption
     * (EC2 reclaims the instance), a stop, an AWS Health scheduled change, a retirement Deckhand asks
     * for. Those Deckhand still drains; ECS finds the instance DRAINING if it comes to it.</li>
     * </ul>
     */
    public String leftToEcs(Signal signal, CapacityProviderView provider) {
        if (provider == null) {
            return null;
        }
        if (!provider.autoScalingGroup() && !provider.name().startsWith("FARGATE")) {
            return "capacity provider " + provider.name() + " is not an Auto Scaling group provider (ECS Managed Instances): "
                    + "ECS launches, drains and replaces its instances itself; Deckhand leaves the instance to ECS";
        }
        if (provider.autoScalingGroup() && provider.managedDraining()
                && (signal == Signal.LIFECYCLE_TERMINATE || signal == Signal.REBALANCE_RECOMMENDATION)) {
            return "capacity provider " + provider.name() + " has managed instance draining: ECS drains the instance through "
                    + "its own lifecycle hook when Auto Scaling terminates it; Deckhand neither drains nor tags it";
        }
        return null;
    }

    /** @param leftToEcs why ECS drains the instance itself ({@link #leftToEcs}), or null */
    public DrainDecision decide(DrainRequest request, Optional<String> status, boolean drainedByThisEvent, String replacingGroup,
                                String leftToEcs) {
        if (leftToEcs != null && status.isPresent() && "ACTIVE".equals(status.get()) && !drainedByThisEvent) {
            return new DrainDecision(DrainOutcome.LEFT_TO_ECS, request.signal().description() + ": " + leftToEcs);
        }
        if (drainedByThisEvent && status.isPresent() && "DRAINING".equals(status.get())) {
            return new DrainDecision(DrainOutcome.DRAIN, request.signal().description()
                    + ": an earlier attempt of this event set the instance DRAINING before it failed; finishing its work");
        }
        if (status.isEmpty()) {
            return new DrainDecision(DrainOutcome.NOT_MANAGED,
                    "instance " + request.instanceId() + " is not a container instance of any managed cluster");
        }
        if (request.signal() == Signal.REBALANCE_RECOMMENDATION && rebalancePolicy == RebalancePolicy.NOTIFY
                && "ACTIVE".equals(status.get())) {
            return new DrainDecision(DrainOutcome.NOTIFY, request.signal().description()
                    + ": the instance is at elevated risk of interruption; not draining (DECKHAND_REBALANCE_POLICY is notify)");
        }
        if (request.signal() == Signal.REBALANCE_RECOMMENDATION && rebalancePolicy == RebalancePolicy.DRAIN
                && "ACTIVE".equals(status.get())) {
            return replacingGroup == null
                    ? new DrainDecision(DrainOutcome.NOTIFY, request.signal().description()
                            + ": the instance is at elevated risk of interruption, but nothing replaces it (it is in no Auto Scaling "
                            + "group with Capacity Rebalancing); not draining, so no capacity is stranded DRAINING")
                    : new DrainDecision(DrainOutcome.DRAIN, request.signal().description() + ": Auto Scaling group " + replacingGroup
                            + " has Capacity Rebalancing and launches a replacement; setting the container instance DRAINING");
        }
        return switch (status.get()) {
            case "ACTIVE" -> new DrainDecision(DrainOutcome.DRAIN, request.signal().description()
                    + ": setting the container instance DRAINING so its service tasks move now");
            case "DRAINING" -> new DrainDecision(DrainOutcome.ALREADY_DRAINING, "already DRAINING; nothing to do");
            default -> new DrainDecision(DrainOutcome.NOT_DRAINABLE,
                    "container instance is " + status.get() + "; only an ACTIVE instance can be set DRAINING");
        };
    }

    /**
     * True when an instance already DRAINING for a rebalance recommendation is drained by this signal
     * too (a Spot warning, a stop, a hook): its {@code deckhand:drained-for} becomes this signal's, so
     * the rebalance drain's bound no longer undoes it.
     */
    public boolean supersedes(DrainRequest request, String drainedFor) {
        return DrainedFor.REBALANCE.tag().equals(drainedFor) && request.drainedFor() != DrainedFor.REBALANCE;
    }

    /**
     * The instance is back: re-activate it only when Deckhand drained it for what it came back from
     * ({@link DrainedFor#undoneBy}).
     *
     * @param status     the container instance's status, empty when no managed cluster has the instance
     * @param drainedFor its {@code deckhand:drained-for} tag, null when it has none (never drained by
     *                   Deckhand, or drained by an operator)
     */
    public DrainDecision reactivation(String instanceId, Optional<String> status, String drainedFor, Signal back) {
        if (status.isEmpty()) {
            return new DrainDecision(DrainOutcome.NOT_MANAGED,
                    "instance " + instanceId + " is not a container instance of any managed cluster");
        }
        if (!"DRAINING".equals(status.get())) {
            return new DrainDecision(DrainOutcome.NOT_DRAINING, "instance is running and its container instance is "
                    + status.get() + "; nothing to re-activate");
        }
        if (!DrainedFor.undoneBy(back, drainedFor)) {
            return new DrainDecision(DrainOutcome.LEFT_DRAINING, back.description() + ", but its container instance was not "
                    + "drained by Deckhand for that (deckhand:drained-for is " + (drainedFor == null ? "absent" : drainedFor)
                    + "): an operator's or another cause's drain is left DRAINING");
        }
        return new DrainDecision(DrainOutcome.REACTIVATE, back.description() + ", and Deckhand drained the instance for "
                + drainedFor + ": setting the container instance ACTIVE so tasks are placed on it again");
    }

    /**
     * An instance launching out of an Auto Scaling warm pool (Origin WarmPool): its container
     * instance is the one that went into the pool, and one Deckhand drained on the way in "remains in
     * a DRAINING state until it is activated again or deleted" (Amazon ECS Developer Guide, "Draining
     * Amazon ECS container instances"). Re-activate it when the drain was Deckhand's
     * ({@code deckhand:drain-event} present, not re-activated since); leave anyone else's drain.
     */
    public DrainDecision reactivationOutOfWarmPool(String instanceId, Optional<String> status, String drainEvent, String drainedFor) {
        if (status.isEmpty() || !"DRAINING".equals(status.get())) {
            return reactivation(instanceId, status, drainedFor, Signal.INSTANCE_RUNNING);
        }
        if (drainEvent == null || DrainedFor.REACTIVATED.equals(drainedFor)) {
            return new DrainDecision(DrainOutcome.LEFT_DRAINING, "instance is launching out of the warm pool, but its container "
                    + "instance was not drained by Deckhand: an operator's or another cause's drain is left DRAINING");
        }
        return new DrainDecision(DrainOutcome.REACTIVATE, "instance is launching out of the warm pool, drained by Deckhand on its "
                + "way in: setting the container instance ACTIVE so tasks are placed on it again");
    }

    /**
     * The tasks a drain cannot save: standalone tasks (no service starts a replacement, and
     * DRAINING does not stop them) and service tasks whose stop timeout is longer than the time
     * left before the deadline (they are killed before they finish stopping).
     */
    public List<TaskAtRisk> notSaved(List<RunningTask> tasks, Instant deadline, Instant now) {
        Duration left = deadline == null ? null : Duration.between(now, deadline);
        if (left != null && left.isNegative()) {
            left = Duration.ZERO;
        }
        List<TaskAtRisk> atRisk = new ArrayList<>();
        for (RunningTask task : tasks) {
            long stopSeconds = task.stopTimeout().toSeconds();
            if (!task.startedByService()) {
                atRisk.add(new TaskAtRisk(task.taskArn(), task.group(), null,
                        "standalone task: no service starts a replacement, and it runs until the instance goes"));
            } else if (left != null && task.stopTimeout().compareTo(left) > 0) {
                atRisk.add(new TaskAtRisk(task.taskArn(), task.group(), stopSeconds,
                        "stop timeout " + stopSeconds + "s is longer than the " + left.toSeconds()
                                + "s left before the instance goes"));
            }
        }
        return atRisk;
    }
}
