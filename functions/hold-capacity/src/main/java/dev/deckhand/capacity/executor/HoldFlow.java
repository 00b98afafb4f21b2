package dev.deckhand.capacity.executor;

import dev.deckhand.capacity.HoldConfig;
import dev.deckhand.capacity.planner.HoldDecision;
import dev.deckhand.capacity.planner.HoldPlanner;
import dev.deckhand.capacity.planner.Lever;
import dev.deckhand.capacity.planner.LeverKind;
import dev.deckhand.capacity.planner.SpotSide;
import dev.deckhand.core.aws.ClusterDirectory;
import dev.deckhand.core.aws.FoundInstance;
import dev.deckhand.core.event.BadEventException;
import dev.deckhand.core.event.EventEnvelope;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;

/**
 * One run of hold-capacity for one signal: finds the cluster and its lever, reads its Spot side,
 * asks {@link HoldPlanner}, and has {@link LeverWriter} carry the decision out.
 *
 * <pre>{@code
 * HoldResult raised = hold.instanceLost(event, "SPOT_INTERRUPTION", "i-1234567890abcdef0");
 * HoldResult step = hold.handBack(scheduledEvent);
 * }</pre>
 *
 * The planner's clock is the event's own time (a scheduled run's time is when it was due), so the
 * same event decides the same way however often it is delivered; an event from the future is refused.
 */
public final class HoldFlow {

    private static final Logger log = LoggerFactory.getLogger(HoldFlow.class);
    /** EventBridge stamps events with its own clock; a little skew is allowed, no more. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

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

    /** The 8-hex key a loss is remembered by on its lever. */
    public static String keyOf(String signal) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(signal.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public void checkTime(EventEnvelope event) {
        if (event.time().isAfter(clock.instant().plus(CLOCK_SKEW))) {
            throw new BadEventException("event field `time` is in the future: " + event.time());
        }
    }

    /** A Spot interruption warning or rebalance recommendation for {@code instanceId}. */
    public HoldResult instanceLost(EventEnvelope event, String trigger, String instanceId) {
        if (stale(event)) {
            return result(event, trigger, "STALE", "the signal is older than " + config.settings().window() + "; not counted", List.of());
        }
        Optional<FoundInstance> found = directory.find(instanceId);
        if (found.isEmpty()) {
            return result(event, trigger, "NOT_HELD", instanceId + " is not a container instance of a managed cluster", List.of());
        }
        String cluster = found.get().cluster();
        return onLoss(event, trigger, cluster, List.of(keyOf(instanceId)), snapshot -> SpotSide.sum(snapshot.groupSpot(cluster)).shortfall(),
                null, instanceId);
    }

    /** A Spot launch of Auto Scaling group {@code group} failed for lack of capacity. */
    public HoldResult groupLaunchFailed(EventEnvelope event, String group) {
        String trigger = "LAUNCH_UNSUCCESSFUL";
        if (stale(event)) {
            return result(event, trigger, "STALE", "the signal is older than " + config.settings().window() + "; not counted", List.of());
        }
        CapacityReader.Snapshot snapshot = reader.read();
        String cluster = snapshot.clusterOf(group);
        if (cluster == null) {
            return result(event, trigger, "NOT_HELD", group + " is not tagged " + HoldTags.LEVER + " or " + HoldTags.SPOT, List.of());
        }
        Optional<CapacityReader.Held> held = snapshot.held(cluster);
        if (held.isPresent() && held.get().lever().kind() == LeverKind.ON_DEMAND_GROUP && held.get().lever().id().equals(group)) {
            return result(event, trigger, "IGNORED", "the On-Demand lever " + group + " itself failed to launch: On-Demand cannot hold it",
                    List.of());
        }
        AutoScalingGroup failed = snapshot.group(group).orElseThrow();
        SpotSide spot = CapacityReader.spotOf(failed);
        // The launch failed: what is launching now is not counted on.
        int missing = Math.max(0, spot.desired() - spot.inService());
        return onLoss(event, trigger, cluster, List.of(), s -> missing, snapshot, null);
    }

    /** A Spot Fleet or EC2 Fleet stopped launching Spot for lack of capacity. */
    public HoldResult fleetLaunchFailed(EventEnvelope event, String fleetId) {
        String trigger = "FLEET_ERROR";
        if (stale(event)) {
            return result(event, trigger, "STALE", "the signal is older than " + config.settings().window() + "; not counted", List.of());
        }
        Optional<CapacityReader.SpotFleet> fleet = reader.fleet(fleetId);
        if (fleet.isEmpty()) {
            return result(event, trigger, "NOT_HELD", fleetId + " is not an active fleet tagged " + HoldTags.SPOT + " or " + HoldTags.LEVER, List.of());
        }
        int missing = Math.max(0, fleet.get().spot().desired() - fleet.get().spot().inService());
        return onLoss(event, trigger, fleet.get().cluster(), List.of(), s -> missing);
    }

    /** The scheduled run: every managed cluster's lever, one hand-back step at most each. */
    public HoldResult handBack(EventEnvelope event) {
        String trigger = "SCHEDULE";
        Instant now = event.time();
        CapacityReader.Snapshot snapshot = reader.read();
        List<CapacityReader.Held> levers = snapshot.levers().values().stream().filter(h -> config.clusters().contains(h.cluster())).toList();
        if (levers.isEmpty()) {
            return result(event, trigger, "NOT_HELD", "no managed cluster has a group tagged " + HoldTags.LEVER, List.of());
        }
        List<CapacityReader.SpotFleet> fleets = reader.fleets(snapshot);
        if (levers.stream().anyMatch(h -> h.pending() != null)) {
            levers.stream().filter(h -> h.pending() != null).forEach(h -> holder.complete(h, h.pending(), event.id()));
            snapshot = reader.read();
            levers = snapshot.levers().values().stream().filter(h -> config.clusters().contains(h.cluster())).toList();
        }
        List<HoldResult.LeverResult> results = new ArrayList<>();
        for (CapacityReader.Held held : levers) {
            List<SpotSide> sides = new ArrayList<>(snapshot.groupSpot(held.cluster()));
            fleets.stream().filter(f -> f.cluster().equals(held.cluster())).forEach(f -> sides.add(f.spot()));
            Lever lever = held.lever();
            boolean gone = lever.retiring() != null && held.gone(lever.retiring());
            boolean drained = lever.retiring() != null && !gone && holder.drained(lever.retiring());
            int retiringUnits = lever.retiring() == null ? 1 : held.unitsOf(lever.retiring());
            SpotSide spot = SpotSide.sum(sides);
            HoldDecision decision = planner.onSchedule(lever, spot, gone, drained, retiringUnits, now);
            HoldResult.LeverResult done = holder.apply(held, decision, event.id(), now);
            // A raise just made starts a new window: the shortage is judged on the next run.
            HoldPlanner.Shortage shortage = decision.action() == HoldDecision.Action.RAISE ? HoldPlanner.Shortage.NONE
                    : planner.shortage(lever, spot, held.shortSince(), now);
            results.add(done.withShortage(holder.reportShortage(held, shortage, spot, event.id(), now)));
        }
        return summary(event, trigger, results);
    }

    /** A signal this function does not act on: one log line, no AWS call. */
    public HoldResult ignored(EventEnvelope event, String trigger, String reason) {
        log.atInfo().addKeyValue("trigger", trigger).log("ignored: {}", reason);
        return result(event, trigger, "IGNORED", reason, List.of());
    }

    private interface Shortfall {
        int of(CapacityReader.Snapshot snapshot);
    }

    private HoldResult onLoss(EventEnvelope event, String trigger, String cluster, List<String> keys, Shortfall shortfall) {
        return onLoss(event, trigger, cluster, keys, shortfall, null, null);
    }

    /** {@code lostInstance}: the instance a Spot signal names, whose units are held (null for a failed launch). */
    private HoldResult onLoss(EventEnvelope event, String trigger, String cluster, List<String> keys, Shortfall shortfall,
                              CapacityReader.Snapshot read, String lostInstance) {
        if (!config.clusters().contains(cluster)) {
            return result(event, trigger, "NOT_MANAGED", "cluster " + cluster + " is not managed (DECKHAND_CLUSTERS)", List.of());
        }
        CapacityReader.Snapshot snapshot = read != null ? read : reader.read();
        Optional<CapacityReader.Held> held = snapshot.held(cluster);
        if (held.isPresent() && held.get().pending() != null) {
            holder.complete(held.get(), held.get().pending(), event.id());
            snapshot = reader.read();
            held = snapshot.held(cluster);
        }
        if (held.isEmpty()) {
            log.atInfo().addKeyValue("cluster", cluster).log("cluster {} has no group tagged " + HoldTags.LEVER + "; nothing to hold", cluster);
            return result(event, trigger, "NOT_HELD", "cluster " + cluster + " has no group tagged " + HoldTags.LEVER, List.of());
        }
        Lever lever = held.get().lever();
        // Units are looked up only for a loss not counted before: a repeated signal reads nothing more.
        int units = lostInstance == null || lever.seen().containsAll(keys) ? 1 : reader.unitsOfLost(held.get(), lostInstance);
        HoldDecision decision = planner.onLoss(lever, keys, units, shortfall.of(snapshot), event.time());
        return summary(event, trigger, List.of(holder.apply(held.get(), decision, event.id(), event.time())));
    }

    private boolean stale(EventEnvelope event) {
        boolean stale = event.time().plus(config.settings().window()).isBefore(clock.instant());
        if (stale) {
            log.atInfo().addKeyValue("eventTime", event.time().toString())
                    .log("signal older than DECKHAND_HOLD_WINDOW ({}); not counted", config.settings().window());
        }
        return stale;
    }

    private HoldResult summary(EventEnvelope event, String trigger, List<HoldResult.LeverResult> results) {
        String outcome = "HOLDING";
        for (HoldResult.LeverResult r : results) {
            outcome = switch (r.action()) {
                case "RAISE" -> "RAISED";
                case "LOWER" -> outcome.equals("RAISED") ? outcome : "HANDED_BACK";
                case "RETIRE" -> outcome.equals("HOLDING") ? "RETIRING" : outcome;
                default -> outcome;
            };
        }
        int held = results.stream().mapToInt(HoldResult.LeverResult::added).sum();
        String message = held + " On-Demand held across " + results.size() + " lever(s)"
                + (config.dryRun() ? "; dry run: nothing changed" : "");
        return result(event, trigger, (config.dryRun() && !outcome.equals("HOLDING") ? "DRY_RUN_" : "") + outcome, message, results);
    }

    private HoldResult result(EventEnvelope event, String trigger, String outcome, String message, List<HoldResult.LeverResult> levers) {
        return new HoldResult(event.id(), trigger, outcome, message, config.dryRun(), levers, null);
    }
}
