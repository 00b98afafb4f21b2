package dev.deckhand.capacity.executor;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deckhand.capacity.planner.HoldDecision;
import dev.deckhand.capacity.planner.HoldDecision.Action;
import dev.deckhand.capacity.planner.HoldPlanner;
import dev.deckhand.capacity.planner.Lever;
import dev.deckhand.capacity.planner.LeverKind;
import dev.deckhand.capacity.planner.PendingChange;
import dev.deckhand.capacity.planner.SpotSide;
import dev.deckhand.core.aws.ClusterDirectory;
import dev.deckhand.core.aws.DeckhandBus;
import dev.deckhand.core.aws.FoundInstance;
import dev.deckhand.core.aws.TaskReader;
import dev.deckhand.core.event.CapacityShortage;
import dev.deckhand.core.event.InstanceRetirementRequested;
import dev.deckhand.core.log.Metrics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingException;
import software.amazon.awssdk.services.autoscaling.model.Tag;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ExcessCapacityTerminationPolicy;
import software.amazon.awssdk.services.ec2.model.FleetExcessCapacityTerminationPolicy;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * Carries out a {@link HoldDecision} on a lever (an Auto Scaling group), recording it on the group
 * first so that a retry completes it instead of doing it twice:
 * <ol>
 * <li>RAISE: tags (what Deckhand added, the loss keys, {@link HoldTags#PENDING} = the new value),
 * UpdateAutoScalingGroup (desired capacity; for a mixed group its OnDemandBaseCapacity with it, in
 * one call), then the pending tag is deleted.</li>
 * <li>RETIRE: for the instance the decision names (the newest On-Demand one in service), puts a {@code Deckhand Instance
 * Retirement Requested} event for drain-instance, then tags it as retiring.</li>
 * <li>LOWER: tags (one step less added, pending = the new value and the instance, and for a mixed
 * group the desired capacity after the step), then removes the drained instance with
 * TerminateInstanceInAutoScalingGroup, decrementing the desired capacity (a mixed group's base is
 * lowered after it, so the group has nothing to replace, and its desired capacity set to the
 * recorded one: an instance that overshot the units raised is decremented by all it counts, more
 * than the step), then deletes the pending and retiring tags.</li>
 * </ol>
 * An EC2 Fleet lever is changed with ModifyFleet (OnDemandTargetCapacity and TotalTargetCapacity,
 * no-termination), a Spot Fleet lever with ModifySpotFleetRequest (OnDemandTargetCapacity and
 * TargetCapacity, noTermination); either keeps its record in its own tags (CreateTags/DeleteTags), and
 * its drained instance is removed with TerminateInstances after the target is lowered.
 * A pending tag found on a later run is completed first ({@link #complete}). Dry run: logs, changes nothing.
 */
public final class LeverWriter {

    private static final Logger log = LoggerFactory.getLogger(LeverWriter.class);

    private final AutoScalingClient autoscaling;
    private final Ec2Client ec2;
    private final DeckhandBus bus;
    private final ClusterDirectory directory;
    private final TaskReader tasks;
    private final Metrics metrics;
    private final boolean dryRun;

    public LeverWriter(AutoScalingClient autoscaling, Ec2Client ec2, EventBridgeClient events, ClusterDirectory directory,
                          TaskReader tasks, ObjectMapper mapper, Metrics metrics, boolean dryRun, String eventBus) {
        this.autoscaling = autoscaling;
        this.tasks = tasks;
        this.ec2 = ec2;
        this.bus = new DeckhandBus(events, eventBus, mapper);
        this.directory = directory;
        this.metrics = metrics;
        this.dryRun = dryRun;
    }

    /**
     * True when drain-instance has drained it: DRAINING (or gone from ECS) and every task on it
     * STOPPED. A task stopped for the drain leaves runningTasksCount at once but still serves while
     * DEACTIVATING and STOPPING ({@link TaskReader#tasksLeftOn}).
     */
    public boolean drained(String instanceId) {
        Optional<FoundInstance> found = directory.find(instanceId);
        if (found.isEmpty()) {
            return true;
        }
        var instance = found.get().containerInstance();
        return !"ACTIVE".equals(instance.status()) && instance.runningTasksCount() != null
                && tasks.tasksLeftOn(found.get().cluster(), instance) == 0;
    }

    /**
     * Completes a change recorded on the lever by a run that did not finish: what {@code left} (from
     * {@link HoldPlanner#completion}) says is still to do, then the record is removed.
     */
    public void complete(CapacityReader.Held held, PendingChange change, HoldPlanner.Completion left, String eventId) {
        Lever lever = held.lever();
        log.atInfo().addKeyValue("eventId", eventId).addKeyValue("cluster", lever.cluster()).addKeyValue("lever", lever.id())
                .addKeyValue("pending", held.pending()).addKeyValue("dryRun", dryRun)
                .log("completing the change an earlier run recorded on {}", lever.id());
        if (dryRun) {
            return;
        }
        if (left.setValue()) {
            setValue(held, change.value());
        }
        if (left.terminate()) {
            terminate(lever, change.instance(), change.decrement());
        }
        if (left.setBase()) {
            setBase(lever, change.value(), change.desired());
        }
        List<String> remove = new ArrayList<>(List.of(HoldTags.PENDING));
        if (change.instance() != null) {
            remove.addAll(List.of(HoldTags.RETIRING, HoldTags.RETIRING_AT));
        }
        deleteTags(lever, remove);
    }

    /** A recorded change whose value is unreadable: removed, with a warning. */
    public void dropPending(CapacityReader.Held held) {
        Lever lever = held.lever();
        log.atWarn().addKeyValue("group", lever.id()).log("tag " + HoldTags.PENDING + " is unreadable; removed");
        if (!dryRun) {
            deleteTags(lever, List.of(HoldTags.PENDING));
        }
    }

    /**
     * Carries out {@code decision} (a RETIRE names its instance); returns what was done.
     *
     * @param lowering for a LOWER, the change to record and make ({@link HoldPlanner#lowering}); else null
     */
    public HoldResult.LeverResult apply(CapacityReader.Held held, HoldDecision decision, PendingChange lowering, String eventId) {
        Lever lever = held.lever();
        switch (decision.action()) {
            case RAISE -> {
                if (!dryRun) {
                    writeTags(lever, decision, new PendingChange(decision.value(), null, false, null).tag());
                    setValue(held, decision.value());
                    deleteTags(lever, lever.spotOkSince() == null ? List.of(HoldTags.PENDING)
                            : List.of(HoldTags.PENDING, HoldTags.SPOT_OK_SINCE));
                }
                metrics.put("OnDemandRaised", decision.value() - lever.value(), "Count", dimensions(lever));
            }
            case RETIRE -> {
                // HoldPlanner#retire named the instance: the newest On-Demand one in service (CapacityReader#newestOnDemand).
                if (!dryRun) {
                    requestRetirement(lever, decision.retiring(), eventId);
                    writeTags(lever, decision, null);
                }
                metrics.count("RetirementsRequested", dimensions(lever));
            }
            case LOWER -> {
                if (!dryRun) {
                    writeTags(lever, decision, lowering.tag());
                    if (!lowering.decrement()) {
                        setValue(held, lowering.value());
                    }
                    if (!held.gone(lowering.instance())) {
                        terminate(lever, lowering.instance(), lowering.decrement());
                    }
                    if (lever.kind() == LeverKind.MIXED_GROUP) {
                        setBase(lever, lowering.value(), lowering.desired());
                    }
                    deleteTags(lever, List.of(HoldTags.PENDING, HoldTags.RETIRING, HoldTags.RETIRING_AT, HoldTags.SPOT_OK_SINCE));
                }
                metrics.put("OnDemandHandedBack", lever.value() - decision.value(), "Count", dimensions(lever));
            }
            case HOLD -> {
                if (!dryRun && recordChanged(lever, decision)) {
                    writeTags(lever, decision, null);
                    List<String> remove = new ArrayList<>();
                    if (lever.retiring() != null && decision.retiring() == null) {
                        remove.addAll(List.of(HoldTags.RETIRING, HoldTags.RETIRING_AT));
                    }
                    if (lever.spotOkSince() != null && decision.spotOkSince() == null) {
                        remove.add(HoldTags.SPOT_OK_SINCE);
                    }
                    if (!remove.isEmpty()) {
                        deleteTags(lever, remove);
                    }
                }
            }
            default -> throw new IllegalStateException("unknown action " + decision.action());
        }
        metrics.put("OnDemandHeld", decision.added(), "Count", dimensions(lever));
        String retiring = decision.action() == Action.RETIRE || decision.action() == Action.LOWER ? decision.retiring() : lever.retiring();
        log.atInfo().addKeyValue("eventId", eventId).addKeyValue("cluster", lever.cluster()).addKeyValue("lever", lever.id())
                .addKeyValue("kind", lever.kind().name()).addKeyValue("action", decision.action().name())
                .addKeyValue("setting", lever.setting()).addKeyValue("before", lever.value()).addKeyValue("after", decision.value())
                .addKeyValue("added", decision.added()).addKeyValue("cap", lever.cap()).addKeyValue("retiring", retiring)
                .addKeyValue("dryRun", dryRun)
                .log("{} {}: {}", dryRun && decision.action() != Action.HOLD ? "dry run, would " + verb(decision.action()) : verb(decision.action()),
                        lever.id(), decision.reason());
        return new HoldResult.LeverResult(lever.cluster(), lever.id(), lever.kind().name(), lever.setting(), decision.action().name(),
                decision.reason(), lever.value(), decision.value(), decision.added(), retiring);
    }

    private static String verb(Action action) {
        return switch (action) {
            case RAISE -> "raise";
            case RETIRE -> "retire an instance of";
            case LOWER -> "hand back one instance of";
            case HOLD -> "no change to";
        };
    }

    private static boolean recordChanged(Lever lever, HoldDecision decision) {
        return !Objects.equals(lever.spotOkSince(), decision.spotOkSince()) || !lever.seen().equals(decision.seen())
                || !Objects.equals(lever.retiring(), decision.retiring());
    }

    private static Map<String, String> dimensions(Lever lever) {
        return Map.of("Cluster", lever.cluster(), "Lever", lever.kind().name());
    }

    private void setValue(CapacityReader.Held held, int value) {
        Lever lever = held.lever();
        // A fleet: the Spot target stays, the total moves with the On-Demand target. Lowered, the
        // running instances stay (no termination): the drained one is terminated by name.
        int total = held.fleet() == null ? 0 : held.fleet().spotTarget() + value;
        if (lever.kind() == LeverKind.EC2_FLEET) {
            ec2.modifyFleet(r -> r.fleetId(lever.id()).excessCapacityTerminationPolicy(FleetExcessCapacityTerminationPolicy.NO_TERMINATION)
                    .targetCapacitySpecification(c -> c.onDemandTargetCapacity(value).totalTargetCapacity(total)));
        } else if (lever.kind() == LeverKind.SPOT_FLEET) {
            ec2.modifySpotFleetRequest(r -> r.spotFleetRequestId(lever.id()).onDemandTargetCapacity(value).targetCapacity(total)
                    .excessCapacityTerminationPolicy(ExcessCapacityTerminationPolicy.NO_TERMINATION));
        } else if (lever.kind() == LeverKind.MIXED_GROUP) {
            // The base and the desired capacity move together in one call: the group launches the
            // On-Demand instance the new base asks for and replaces nothing. The base alone would
            // start "a gradual replacement of instances" (InstancesDistribution): a healthy Spot
            // instance terminated for an On-Demand one. UpdateAutoScalingGroup changes just the
            // policy parts named.
            int desired = (held.group().desiredCapacity() == null ? 0 : held.group().desiredCapacity()) + value - lever.value();
            autoscaling.updateAutoScalingGroup(r -> r.autoScalingGroupName(lever.id()).desiredCapacity(desired)
                    .mixedInstancesPolicy(p -> p.instancesDistribution(d -> d.onDemandBaseCapacity(value))));
        } else {
            autoscaling.updateAutoScalingGroup(r -> r.autoScalingGroupName(lever.id()).desiredCapacity(value));
        }
    }

    /**
     * A mixed group's base, once its On-Demand instances are already down to it (nothing left to
     * replace), with the desired capacity the step leaves when known (null: left as it is).
     */
    private void setBase(Lever lever, int value, Integer desired) {
        autoscaling.updateAutoScalingGroup(r -> r.autoScalingGroupName(lever.id()).desiredCapacity(desired)
                .mixedInstancesPolicy(p -> p.instancesDistribution(d -> d.onDemandBaseCapacity(value))));
    }

    private void terminate(Lever lever, String instanceId, boolean decrement) {
        if (lever.kind().fleet()) {
            ec2.terminateInstances(r -> r.instanceIds(instanceId));
            return;
        }
        try {
            autoscaling.terminateInstanceInAutoScalingGroup(r -> r.instanceId(instanceId).shouldDecrementDesiredCapacity(decrement));
        } catch (AutoScalingException e) {
            String message = e.awsErrorDetails() == null ? "" : String.valueOf(e.awsErrorDetails().errorMessage());
            if (message.contains("not found") || message.contains("not part of")) {
                log.atInfo().addKeyValue("instanceId", instanceId).log("instance already out of its group: {}", message);
                return;
            }
            throw e;
        }
    }

    private void requestRetirement(Lever lever, String instanceId, String eventId) {
        InstanceRetirementRequested request = InstanceRetirementRequested.of(instanceId, lever.cluster(),
                "hold-capacity hands back On-Demand capacity of " + lever.id() + ": Spot has been stable (event " + eventId + ")",
                "hold-capacity");
        bus.put(List.of(request),
                "the retirement request for " + instanceId);
    }


    /**
     * Publishes a {@code Deckhand Capacity Shortage} for the lever (SHORT or RESOLVED, as the planner
     * said) on Deckhand's own bus, then records it on the lever ({@link HoldTags#SHORT_SINCE} set for
     * SHORT, removed for RESOLVED): once per shortage. Put before the record, so a retry publishes again
     * rather than never (open-ticket keeps one ticket per lever). Dry run: logs, publishes nothing.
     *
     * @return the status published (or that would be, in a dry run), or null for NONE
     */
    public String reportShortage(CapacityReader.Held held, HoldPlanner.Shortage shortage,
                                 SpotSide spot, String eventId, Instant now) {
        if (shortage == HoldPlanner.Shortage.NONE) {
            return null;
        }
        Lever lever = held.lever();
        String status = shortage == HoldPlanner.Shortage.SHORT ? CapacityShortage.SHORT : CapacityShortage.RESOLVED;
        CapacityShortage event = new CapacityShortage(CapacityShortage.SCHEMA_VERSION, status, lever.cluster(), lever.kind().name(),
                lever.id(), lever.setting(), lever.value(), lever.added(), lever.cap(), spot.desired(), spot.inService(),
                lever.raisedAt() == null ? null : lever.raisedAt().toString(),
                "hold-capacity");
        log.atInfo().addKeyValue("eventId", eventId).addKeyValue("cluster", lever.cluster()).addKeyValue("lever", lever.id())
                .addKeyValue("shortage", status).addKeyValue("added", lever.added()).addKeyValue("cap", lever.cap())
                .addKeyValue("spotDesired", spot.desired()).addKeyValue("spotInService", spot.inService()).addKeyValue("dryRun", dryRun)
                .log("{}capacity shortage {} for {}: Spot {} of {} in service, {} On-Demand held (cap {})", dryRun ? "dry run, would publish " : "",
                        status, lever.id(), spot.inService(), spot.desired(), lever.added(), lever.cap());
        if (dryRun) {
            return status;
        }
        bus.put(List.of(event), "the capacity shortage of " + lever.id());
        if (CapacityShortage.SHORT.equals(status)) {
            writeTag(lever, HoldTags.SHORT_SINCE, now.toString());
        } else {
            deleteTags(lever, List.of(HoldTags.SHORT_SINCE));
        }
        metrics.count(CapacityShortage.SHORT.equals(status) ? "CapacityShortages" : "CapacityShortagesResolved", dimensions(lever));
        return status;
    }

    private void writeTag(Lever lever, String key, String value) {
        if (lever.kind().fleet()) {
            ec2.createTags(r -> r.resources(lever.id()).tags(ec2Tag(key, value)));
            return;
        }
        autoscaling.createOrUpdateTags(r -> r.tags(Tag.builder().resourceId(lever.id()).resourceType("auto-scaling-group").key(key)
                .value(value).propagateAtLaunch(false).build()));
    }

    private void writeTags(Lever lever, HoldDecision decision, String pending) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(HoldTags.ADDED, Integer.toString(decision.added()));
        put(tags, HoldTags.RAISED_AT, decision.raisedAt());
        put(tags, HoldTags.LOWERED_AT, decision.loweredAt());
        put(tags, HoldTags.SPOT_OK_SINCE, decision.spotOkSince());
        if (decision.retiring() != null) {
            tags.put(HoldTags.RETIRING, decision.retiring());
            put(tags, HoldTags.RETIRING_AT, decision.retiringAt());
        }
        if (!decision.seen().isEmpty()) {
            tags.put(HoldTags.SEEN, String.join(" ", decision.seen()));
        }
        if (pending != null) {
            tags.put(HoldTags.PENDING, pending);
        }
        if (lever.kind().fleet()) {
            ec2.createTags(r -> r.resources(lever.id()).tags(tags.entrySet().stream().map(e -> ec2Tag(e.getKey(), e.getValue())).toList()));
            return;
        }
        List<Tag> list = new ArrayList<>();
        tags.forEach((key, value) -> list.add(Tag.builder().resourceId(lever.id()).resourceType("auto-scaling-group").key(key)
                .value(value).propagateAtLaunch(false).build()));
        autoscaling.createOrUpdateTags(r -> r.tags(list));
    }

    private static void put(Map<String, String> tags, String key, Instant value) {
        if (value != null) {
            tags.put(key, value.toString());
        }
    }

    private void deleteTags(Lever lever, List<String> keys) {
        String group = lever.id();
        if (lever.kind().fleet()) {
            ec2.deleteTags(r -> r.resources(group).tags(keys.stream()
                    .map(key -> ec2Tag(key, null)).toList()));
            return;
        }
        List<Tag> list = keys.stream().map(key -> Tag.builder().resourceId(group).resourceType("auto-scaling-group").key(key).build())
                .toList();
        autoscaling.deleteTags(r -> r.tags(list));
    }

    /** A fleet's tag (EC2's Tag; {@link Tag} is Auto Scaling's); a null value for a tag to delete. */
    private static software.amazon.awssdk.services.ec2.model.Tag ec2Tag(String key, String value) {
        return software.amazon.awssdk.services.ec2.model.Tag.builder().key(key).value(value).build();
    }
}
