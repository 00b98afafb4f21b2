package dev.deckhand.capacity.executor;

import dev.deckhand.capacity.HoldConfig;
import dev.deckhand.capacity.planner.HoldDecision;
import dev.deckhand.capacity.planner.HoldDecision.Action;
import dev.deckhand.capacity.planner.HoldPlanner;
import dev.deckhand.capacity.planner.HoldRequest;
import dev.deckhand.capacity.planner.HoldRequest.FleetLaunchFailed;
import dev.deckhand.capacity.planner.HoldRequest.GroupLaunchFailed;
import dev.deckhand.capacity.planner.HoldRequest.InstanceLost;
import dev.deckhand.capacity.planner.Lever;
import dev.deckhand.capacity.planner.Outcome;
import dev.deckhand.capacity.planner.PendingChange;
import dev.deckhand.capacity.planner.SpotSide;
import dev.deckhand.core.aws.ClusterDirectory;
import dev.deckhand.core.aws.FoundInstance;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;

/**
 * One run of hold-capacity for one {@link HoldRequest}: finds the cluster and its lever, reads its
 * Spot side, asks {@link HoldPlanner}, and has {@link LeverWriter} carry the decision out.
 *
 * <pre>{@code
 * HoldResult raised = hold.run(new HoldRequest(id, time, Trigger.SPOT_INTERRUPTION, new InstanceLost("i-1234567890abcdef0")));
 * }</pre>
 *
 * The planner's clock is the request's own time (a scheduled run's time is when it was due), so the
 * same event decides the same way however often it is delivered; the function's clock only says
 * whether a loss signal is stale.
 */
public final class HoldFlow {

    private static final Logger log = LoggerFactory.getLogger(HoldFlow.class);

    private final HoldConfig config;
    private final CapacityReader reader;
    private final LeverWriter holder;
    private final HoldPlanner planner;
    private final ClusterDirectory directory;
    private final Clock clock;

    public HoldFlow(HoldConfig config, CapacityReader reader, LeverWriter holder, HoldPlanner planner, ClusterDirectory directory,
                        Clock clock) {
        this.config = config;
        this.reader = reader;
        this.holder = holder;
        this.planner = planner;
        this.directory = directory;
        this.clock = clock;
    }

    /** Acts on one request: a loss raises its cluster's lever, the schedule hands back. */
    public HoldResult run(HoldRequest request) {
        Optional<HoldPlanner.Skip> skip = planner.skip(request, clock.instant());
        if (skip.isPresent()) {
            return skipped(request, skip.get());
        }
        if (request.lost() instanceof InstanceLost instance) {
            return instanceLost(request, instance.instanceId());
        }
        if (request.lost() instanceof GroupLaunchFailed group) {
            return groupLaunchFailed(request, group.group());
        }
        if (request.lost() instanceof FleetLaunchFailed fleet) {
            return fleetLaunchFailed(request, fleet.fleetId());
        }
        return handBack(request);
    }

    /** A Spot interruption warning or rebalance recommendation for {@code instanceId}. */
    private HoldResult instanceLost(HoldRequest request, String instanceId) {
        Optional<FoundInstance> found = directory.find(instanceId);
        if (found.isEmpty()) {
            return result(request, Outcome.NOT_HELD, instanceId + " is not a container instance of a managed cluster", List.of());
        }
        String cluster = found.get().cluster();
        return onLoss(request, cluster, List.of(HoldPlanner.lossKey(instanceId)),
                snapshot -> SpotSide.sum(snapshot.groupSpot(cluster)).shortfall(), null, instanceId);
    }

    /** A Spot launch of Auto Scaling group {@code group} failed for lack of capacity. */
    private HoldResult groupLaunchFailed(HoldRequest request, String group) {
        CapacityReader.Snapshot snapshot = reader.read();
        String cluster = snapshot.clusterOf(group);
        if (cluster == null) {
            return result(request, Outcome.NOT_HELD, group + " is not tagged " + HoldTags.LEVER + " or " + HoldTags.SPOT, List.of());
        }
        Optional<CapacityReader.Held> held = snapshot.held(cluster);
        Optional<HoldPlanner.Skip> itself = held.flatMap(h -> planner.skipLaunchOf(h.lever(), group));
        if (itself.isPresent()) {
            return skipped(request, itself.get());
        }
        AutoScalingGroup failed = snapshot.group(group).orElseThrow();
        int missing = planner.missingAfterFailedLaunch(CapacityReader.spotOf(failed));
        return onLoss(request, cluster, List.of(), s -> missing, snapshot, null);
    }

    /** A Spot Fleet or EC2 Fleet stopped launching Spot for lack of capacity. */
    private HoldResult fleetLaunchFailed(HoldRequest request, String fleetId) {
        Optional<CapacityReader.SpotFleet> fleet = reader.fleet(fleetId);
        if (fleet.isEmpty()) {
            return result(request, Outcome.NOT_HELD, fleetId + " is not an active fleet tagged " + HoldTags.SPOT + " or " + HoldTags.LEVER,
                    List.of());
        }
        int missing = planner.missingAfterFailedLaunch(fleet.get().spot());
        return onLoss(request, fleet.get().cluster(), List.of(), s -> missing, null, null);
    }

    /** The scheduled run: every managed cluster's lever, one hand-back step at most each. */
    private HoldResult handBack(HoldRequest request) {
        Instant now = request.time();
        CapacityReader.Snapshot snapshot = reader.read();
        List<CapacityReader.Held> levers = snapshot.levers().values().stream().filter(h -> config.clusters().contains(h.cluster())).toList();
        if (levers.isEmpty()) {
            return result(request, Outcome.NOT_HELD, "no managed cluster has a group tagged " + HoldTags.LEVER, List.of());
        }
        List<CapacityReader.SpotFleet> fleets = reader.fleets(snapshot);
        if (levers.stream().anyMatch(h -> h.pending() != null)) {
            levers.stream().filter(h -> h.pending() != null).forEach(h -> complete(h, request.eventId()));
            snapshot = reader.read();
            levers = snapshot.levers().values().stream().filter(h -> config.clusters().contains(h.cluster())).toList();
        }
        List<HoldResult.LeverResult> results = new ArrayList<>();
        List<Action> done = new ArrayList<>();
        for (CapacityReader.Held held : levers) {
            List<SpotSide> sides = new ArrayList<>(snapshot.groupSpot(held.cluster()));
            fleets.stream().filter(f -> f.cluster().equals(held.cluster())).forEach(f -> sides.add(f.spot()));
            Lever lever = held.lever();
            boolean gone = lever.retiring() != null && held.gone(lever.retiring());
            boolean drained = lever.retiring() != null && !gone && holder.drained(lever.retiring());
            int retiringUnits = lever.retiring() == null ? 1 : held.unitsOf(lever.retiring());
            SpotSide spot = SpotSide.sum(sides);
            HoldDecision decision = planner.onSchedule(lever, spot, gone, drained, retiringUnits, now);
            HoldDecision step = decision.action() == Action.RETIRE ? planner.retire(lever, decision, victim(held), now) : decision;
            PendingChange lowering = step.action() == Action.LOWER ? planner.lowering(lever, step, groupDesired(held)) : null;
            HoldResult.LeverResult applied = holder.apply(held, step, lowering, request.eventId());
            done.add(step.action());
            HoldPlanner.Shortage shortage = planner.shortage(decision, lever, spot, held.shortSince(), now);
            results.add(applied.withShortage(holder.reportShortage(held, shortage, spot, request.eventId(), now)));
        }
        return summary(request, results, done);
    }

    /** Completes the change an earlier run recorded on the lever and did not finish. */
    private void complete(CapacityReader.Held held, String eventId) {
        Optional<PendingChange> change = PendingChange.parse(held.pending());
        if (change.isEmpty()) {
            holder.dropPending(held);
            return;
        }
        String instance = change.get().instance();
        boolean gone = instance != null && held.gone(instance);
        holder.complete(held, change.get(), planner.completion(held.lever(), change.get(), gone, groupDesired(held)), eventId);
    }

    /** The lever group's desired capacity as read; null for a fleet lever. */
    private static Integer groupDesired(CapacityReader.Held held) {
        return held.group() == null ? null : held.group().desiredCapacity();
    }

    /** The newest On-Demand instance in service to drain for a step, those within what Deckhand holds first; or null. */
    private String victim(CapacityReader.Held held) {
        String victim = reader.newestOnDemand(planner.retireFirst(held.lever(), held.candidates(), held::unitsOf));
        return victim != null ? victim : reader.newestOnDemand(held.candidates());
    }

    private interface Shortfall {
        int of(CapacityReader.Snapshot snapshot);
    }

    /**
     * {@code read}: the snapshot already read, or null; {@code lostInstance}: the instance a Spot
     * signal names, whose units are held (null for a failed launch).
     */
    private HoldResult onLoss(HoldRequest request, String cluster, List<String> keys, Shortfall shortfall,
                              CapacityReader.Snapshot read, String lostInstance) {
        if (!config.clusters().contains(cluster)) {
            return result(request, Outcome.NOT_MANAGED, "cluster " + cluster + " is not managed (DECKHAND_CLUSTERS)", List.of());
        }
        CapacityReader.Snapshot snapshot = read != null ? read : reader.read();
        Optional<CapacityReader.Held> held = snapshot.held(cluster);
        if (held.isPresent() && held.get().pending() != null) {
            complete(held.get(), request.eventId());
            snapshot = reader.read();
            held = snapshot.held(cluster);
        }
        if (held.isEmpty()) {
            log.atInfo().addKeyValue("cluster", cluster).log("cluster {} has no group tagged " + HoldTags.LEVER + "; nothing to hold", cluster);
            return result(request, Outcome.NOT_HELD, "cluster " + cluster + " has no group tagged " + HoldTags.LEVER, List.of());
        }
        Lever lever = held.get().lever();
        // Units are looked up only for a loss not counted before: a repeated signal reads nothing more.
        int units = lostInstance == null || planner.counted(lever, keys) ? 1 : reader.unitsOfLost(held.get(), lostInstance);
        HoldDecision decision = planner.onLoss(lever, keys, units, shortfall.of(snapshot), request.time());
        return summary(request, List.of(holder.apply(held.get(), decision, null, request.eventId())), List.of(decision.action()));
    }

    /** A request or lever not acted on: one log line, the result. */
    private HoldResult skipped(HoldRequest request, HoldPlanner.Skip skip) {
        if (skip.outcome() == Outcome.STALE) {
            log.atInfo().addKeyValue("eventTime", request.time().toString())
                    .log("signal older than DECKHAND_HOLD_WINDOW ({}); not counted", config.settings().window());
        } else {
            log.atInfo().addKeyValue("trigger", request.trigger().name()).log("ignored: {}", skip.reason());
        }
        return result(request, skip.outcome(), skip.reason(), List.of());
    }

    /** {@code done}: what was done on each lever, in the order of {@code results}. */
    private HoldResult summary(HoldRequest request, List<HoldResult.LeverResult> results, List<Action> done) {
        Outcome outcome = planner.outcome(done);
        int held = results.stream().mapToInt(HoldResult.LeverResult::added).sum();
        String message = held + " On-Demand held across " + results.size() + " lever(s)"
                + (config.dryRun() ? "; dry run: nothing changed" : "");
        return result(request, outcome, message, results);
    }

    private HoldResult result(HoldRequest request, Outcome outcome, String message, List<HoldResult.LeverResult> levers) {
        return new HoldResult(request.eventId(), request.trigger(), outcome.reported(config.dryRun()), message, config.dryRun(), levers);
    }
}
