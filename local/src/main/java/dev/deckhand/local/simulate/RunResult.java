package dev.deckhand.local.simulate;

import dev.deckhand.local.faults.FaultProxy;
import dev.deckhand.local.simulate.Deliverer.Delivery;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What one run of a scenario did, with or without Deckhand: the fleet over time, each service's
 * worst moment, every event delivered, and what reached a failure queue.
 *
 * @param samples         one per scheduler step
 * @param services        by {@code cluster/service}
 * @param drains          one per instance that got a signal (Spot warning or rebalance recommendation)
 * @param failureRecords  failure-queue records by queue
 */
record RunResult(boolean deckhand, List<Sample> samples, Map<String, ServiceOutcome> services, List<Delivery> deliveries,
                 List<DrainTiming> drains, Map<String, List<String>> failureRecords, Map<String, Duration> coldStarts,
                 Map<FaultProxy.Fault, Integer> faultsInjected, int instancesReclaimed, int replacementsRegistered,
                 Duration seeding, Duration wallTime, List<String> notes) {

    /**
     * The fleet after one step.
     *
     * @param doomed       instances whose Spot reclaim is pending (warned, not yet gone), whatever their status
     * @param runningTasks the lowest number of running service tasks at any moment of the step (a
     *                     reclaim kills tasks before the scheduler starts their replacements)
     */
    record Sample(Duration at, int active, int draining, int doomed, int gone, int runningTasks, int desiredTasks) {
    }

    /**
     * One service: its desired count, its lowest running count, tasks killed with their instance while
     * RUNNING, tasks moved off a draining one, and tasks cut short: stopped gracefully but killed with
     * their instance while still DEACTIVATING or STOPPING.
     */
    record ServiceOutcome(String cluster, String service, int desired, int lowest, int killed, int movedGracefully,
                          int unplaceable, int cutShort) {
        int dip() {
            return Math.max(0, desired - lowest);
        }
    }

    /**
     * From an instance's first signal to its drain.
     *
     * @param drainedAt simulated time of the invocation that drained it, or null if none did
     * @param millis    that invocation's own duration (real time)
     */
    record DrainTiming(String ec2InstanceId, String signal, Duration signalAt, Duration drainedAt, long millis, boolean reclaimed) {
    }

    String label() {
        return deckhand ? "with Deckhand" : "without Deckhand";
    }

    int tasksKilled() {
        return services.values().stream().mapToInt(ServiceOutcome::killed).sum();
    }

    /** Tasks killed while still serving: with their instance while RUNNING, or before their deregistration delay and stopTimeout ended. */
    int tasksKilledWhileServing() {
        return tasksKilled() + services.values().stream().mapToInt(ServiceOutcome::cutShort).sum();
    }

    /** Instances whose container instance is DRAINING when the scenario ends. */
    int instancesLeftDraining() {
        return samples.isEmpty() ? 0 : samples.get(samples.size() - 1).draining();
    }

    int tasksMovedGracefully() {
        return services.values().stream().mapToInt(ServiceOutcome::movedGracefully).sum();
    }

    int failureQueueRecords() {
        return failureRecords.values().stream().mapToInt(List::size).sum();
    }
}
