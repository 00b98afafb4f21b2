package dev.deckhand.local.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.local.faults.FaultProxy;
import dev.deckhand.local.simulate.Deliverer.Delivery;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

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
                 Duration seeding, Duration wallTime, List<String> notes, Aftermath aftermath) {

    /**
     * Auto Scaling's launches and what stood at the end: what a rotation and its rollback leave behind.
     *
     * @param launches       every launch activity of the scenario's Auto Scaling groups after seeding, in order
     * @param tickets        the OpsCenter OpsItems at the end (open-ticket's default sink)
     * @param templates      the scenario's launch templates at the end
     * @param runningByImage the scenario's running EC2 instances at the end, by image id
     * @param canaryDeadline rotate-ami's canary deadline in this run (template parameter RotateCanaryDeadline)
     */
    record Aftermath(List<LaunchActivity> launches, List<TicketState> tickets, List<TemplateState> templates,
                     Map<String, Integer> runningByImage, Duration canaryDeadline) {
        static final Aftermath NONE = new Aftermath(List.of(), List.of(), List.of(), Map.of(), null);
    }

    /**
     * One launch activity of a group: {@code instanceId} empty when it failed, {@code statusMessage} AWS's reason then;
     * {@code afterDeliveries}: how many deliveries the run had made when it was seen (what came before it).
     */
    record LaunchActivity(Duration at, String group, boolean failed, String instanceId, String statusMessage, int afterDeliveries) {
    }

    /** An OpsItem: its title, status (Open, Resolved, ...) and description lines (the ticket's evidence). */
    record TicketState(String id, String title, String status, List<String> description) {
    }

    /** A launch template: its default version and that version's image. */
    record TemplateState(String name, long defaultVersion, String defaultImage, long latestVersion) {
    }

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

    /** When rotate-ami first moved a template to a new image (an UPDATED template), or null. */
    Duration rotationStartedAt() {
        return firstRotation(result -> result.path("templates").findValuesAsText("action").contains("UPDATED"));
    }

    /** When rotate-ami first sent a canary on its way to a new image, or null. */
    Duration canaryStartedAt() {
        return firstRotation(result -> !result.path("clusters").findValues("canary").isEmpty());
    }

    /** When rotate-ami first rolled a rotation back, or null. */
    Duration rolledBackAt() {
        return firstRotation(result -> "ROLLED_BACK".equals(result.path("decision").asText()));
    }

    /** The images rotate-ami moved templates to. */
    Set<String> rotatedImages() {
        Set<String> images = new TreeSet<>();
        for (Delivery delivery : deliveries) {
            if (ROTATE_AMI.equals(delivery.function()) && delivery.result() != null) {
                delivery.result().path("templates").forEach(t -> {
                    if ("UPDATED".equals(t.path("action").asText())) {
                        images.add(t.path("image").asText());
                    }
                });
            }
        }
        return images;
    }

    /** Running instances at the end on an image rotate-ami moved a template to. */
    int runningOnRotatedImages() {
        return rotatedImages().stream().mapToInt(image -> aftermath.runningByImage().getOrDefault(image, 0)).sum();
    }

    static final String ROTATE_AMI = "RotateAmiFunction";

    private Duration firstRotation(Predicate<JsonNode> test) {
        return deliveries.stream().filter(d -> ROTATE_AMI.equals(d.function()) && d.result() != null && test.test(d.result()))
                .map(Delivery::at).findFirst().orElse(null);
    }

    int failureQueueRecords() {
        return failureRecords.values().stream().mapToInt(List::size).sum();
    }
}
