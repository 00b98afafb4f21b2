package dev.deckhand.capacity.planner;

import dev.deckhand.capacity.planner.HoldDecision.Action;
import dev.deckhand.capacity.planner.HoldRequest.FleetLaunchFailed;
import dev.deckhand.capacity.planner.HoldRequest.GroupLaunchFailed;
import dev.deckhand.capacity.planner.HoldRequest.InstanceLost;
import dev.deckhand.capacity.planner.HoldRequest.Schedule;
import dev.deckhand.core.config.RebalancePolicy;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToIntFunction;

/**
 * Decides, for one lever, how much On-Demand capacity to hold. Pure: the state read and the time
 * in, a decision out.
 *
 * <pre>{@code
 * Optional<HoldPlanner.Skip> skip = planner.skip(request, now);
 * HoldDecision raise = planner.onLoss(lever, List.of(keyOf("i-0abc...")), shortfall, now);
 * HoldDecision step = planner.onSchedule(lever, spotSide, retiringGone, retiringDrained, now);
 * }</pre>
 *
 * Raising: each Spot loss not counted before adds one, and a Spot side short by more than Deckhand
 * holds is raised to its shortfall; never above the cap nor the lever's highest value. A loss the
 * lever has already counted (the same instance's warning and rebalance recommendation, an event
 * delivered twice) adds nothing, so raising is idempotent.
 * Handing back, one instance at a time, on the schedule: only once the Spot side has been at its
 * desired capacity for the stable period, never within the cooldown of a raise or of the previous
 * step, never below what the user configured (value minus what Deckhand added) nor AWS's minimum.
 * A step drains first (RETIRE) and lowers on a later run (LOWER), once the instance has drained
 * or the drain wait is over.
 */
public final class HoldPlanner {

    /** How many loss keys a lever remembers: 20 keys of 8 characters fit one 256-character tag value. */
    public static final int SEEN_LIMIT = 20;

    private final HoldSettings settings;
    private final RebalancePolicy rebalancePolicy;

    /** With drain-instance's default rebalance policy, {@code drain}. */
    public HoldPlanner(HoldSettings settings) {
        this(settings, RebalancePolicy.DRAIN);
    }

    public HoldPlanner(HoldSettings settings, RebalancePolicy rebalancePolicy) {
        this.settings = settings;
        this.rebalancePolicy = rebalancePolicy;
    }

    /** A request, or a lever, not acted on: the result's outcome and why. */
    public record Skip(Outcome outcome, String reason) {
    }

    /**
     * Whether a request is acted on. Ignored: a rebalance recommendation drain-instance does not drain
     * on (nothing is lost), a launch or fleet error On-Demand would not help. Stale: a loss signal
     * older than the hold window ({@code now} is the function's clock; the schedule is never stale).
     */
    public Optional<Skip> skip(HoldRequest request, Instant now) {
        HoldRequest.Lost lost = request.lost();
        if (lost instanceof Schedule) {
            return Optional.empty();
        }
        if (lost instanceof InstanceLost instance && request.trigger() == HoldRequest.Trigger.REBALANCE_RECOMMENDATION
                && rebalancePolicy != RebalancePolicy.DRAIN) {
            // drain-instance leaves the instance ACTIVE under notify and ignore: nothing is lost yet.
            return ignored("DECKHAND_REBALANCE_POLICY is " + rebalancePolicy.name().toLowerCase(Locale.ROOT)
                    + ": drain-instance does not drain instance " + instance.instanceId() + ", so no On-Demand is held for it");
        }
        if (lost instanceof GroupLaunchFailed group && !group.cause().holdable()) {
            return ignored("the launch failed for another reason than capacity (" + group.cause().slug() + "); nothing to hold");
        }
        if (lost instanceof FleetLaunchFailed fleet && !fleet.cause().holdable()) {
            return ignored("fleet error " + fleet.subType() + " is a configuration error, not lost Spot capacity");
        }
        if (request.time().plus(settings.window()).isBefore(now)) {
            return Optional.of(new Skip(Outcome.STALE, "the signal is older than " + settings.window() + "; not counted"));
        }
        return Optional.empty();
    }

    /** A failed launch of the lever's own group: On-Demand cannot make up for On-Demand that does not launch. */
    public Optional<Skip> skipLaunchOf(Lever lever, String group) {
        if (lever.kind() == LeverKind.ON_DEMAND_GROUP && lever.id().equals(group)) {
            return ignored("the On-Demand lever " + group + " itself failed to launch: On-Demand cannot hold it");
        }
        return Optional.empty();
    }

    private static Optional<Skip> ignored(String reason) {
        return Optional.of(new Skip(Outcome.IGNORED, reason));
    }

    /** The 8-hex key a loss is remembered by on its lever (an instance id's hash). */
    public static String lossKey(String signal) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(signal.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** True when the lever has counted every one of these losses: a repeat, whose units need not be read. */
    public boolean counted(Lever lever, List<String> lossKeys) {
        return lever.seen().containsAll(lossKeys);
    }

    /** What a Spot source misses after its launch failed: what is launching now is not counted on. */
    public int missingAfterFailedLaunch(SpotSide spot) {
        return Math.max(0, spot.desired() - spot.inService());
    }

    /** What a run came to across the levers it acted on, from what was done on each. */
    public Outcome outcome(List<Action> done) {
        Outcome outcome = Outcome.HOLDING;
        for (Action action : done) {
            outcome = switch (action) {
                case RAISE -> Outcome.RAISED;
                case LOWER -> outcome == Outcome.RAISED ? outcome : Outcome.HANDED_BACK;
                case RETIRE -> outcome == Outcome.HOLDING ? Outcome.RETIRING : outcome;
                case HOLD -> outcome;
            };
        }
        return outcome;
    }

    /**
     * The instances to retire first: those counting no more units than Deckhand holds. When none does
     * (the lever launched a whole heavier instance for the units raised: an overshoot), any candidate;
     * the step hands back only what Deckhand holds ({@link #onSchedule}).
     */
    public List<String> retireFirst(Lever lever, List<String> candidates, ToIntFunction<String> unitsOf) {
        return candidates.stream().filter(id -> unitsOf.applyAsInt(id) <= lever.added()).toList();
    }

    /**
     * A RETIRE step with the On-Demand instance chosen to drain ({@code instanceId}, the newest in
     * service), or HOLD when the lever has none.
     */
    public HoldDecision retire(Lever lever, HoldDecision step, String instanceId, Instant now) {
        if (instanceId == null) {
            return new HoldDecision(Action.HOLD, "no On-Demand instance in service in " + lever.id() + " to retire", lever.value(),
                    lever.added(), lever.raisedAt(), lever.loweredAt(), lever.spotOkSince(), null, null, lever.seen());
        }
        return new HoldDecision(Action.RETIRE, step.reason(), step.value(), step.added(), step.raisedAt(), step.loweredAt(),
                step.spotOkSince(), instanceId, now, step.seen());
    }

    public HoldSettings settings() {
        return settings;
    }

    /**
     * A Spot loss signal for the lever's cluster.
     *
     * @param lossKeys  keys of the losses this signal reports (an instance id's hash; empty when the
     *                  signal names no instance, as a failed launch does)
     * @param shortfall how far the Spot side is below its desired capacity now
     */
    public HoldDecision onLoss(Lever lever, List<String> lossKeys, int shortfall, Instant now) {
        return onLoss(lever, lossKeys, 1, shortfall, now);
    }

    /**
     * A Spot loss signal for the lever's cluster, on a lever that counts capacity in units (weights,
     * vCPUs, MiB): each loss not counted before adds {@code unitsPerLoss}.
     */
    public HoldDecision onLoss(Lever lever, List<String> lossKeys, int unitsPerLoss, int shortfall, Instant now) {
        List<String> unseen = new ArrayList<>();
        for (String key : lossKeys) {
            if (!lever.seen().contains(key) && !unseen.contains(key)) {
                unseen.add(key);
            }
        }
        List<String> seen = remember(lever.seen(), unseen);
        int wanted = Math.max(lever.added() + unseen.size() * Math.max(1, unitsPerLoss), shortfall);
        String quiet = !unseen.isEmpty() || shortfall > lever.added() ? null
                : !lossKeys.isEmpty() ? "loss already counted; holding " + lever.added()
                : "the Spot side misses " + shortfall + " now; holding " + lever.added() + " covers it";
        return raiseTo(lever, wanted, seen, now, quiet);
    }

    /**
     * The scheduled run.
     *
     * @param spot            the cluster's Spot side now
     * @param retiringGone    the retiring instance is no longer in the lever (removed already)
     * @param retiringDrained the retiring instance runs no task any more
     */
    public HoldDecision onSchedule(Lever lever, SpotSide spot, boolean retiringGone, boolean retiringDrained, Instant now) {
        return onSchedule(lever, spot, retiringGone, retiringDrained, 1, now);
    }

    /**
     * The scheduled run, on a lever that counts capacity in units: handing back the retiring
     * instance hands back {@code retiringUnits} (what it counts), never more than Deckhand added.
     */
    public HoldDecision onSchedule(Lever lever, SpotSide spot, boolean retiringGone, boolean retiringDrained, int retiringUnits,
                                   Instant now) {
        if (lever.retiring() != null) {
            if (retiringGone) {
                return new HoldDecision(Action.HOLD, lever.retiring() + " left " + lever.id() + " on its own; the next step picks another",
                        lever.value(), lever.added(), lever.raisedAt(), lever.loweredAt(), lever.spotOkSince(), null, null, lever.seen());
            }
            boolean waited = lever.retiringAt() == null || !now.isBefore(lever.retiringAt().plus(settings.drainWait()));
            if (!spot.atDesired()) {
                return hold(lever, "Spot is short again (" + spot.inService() + " of " + spot.desired() + "); " + lever.retiring()
                        + " is kept until it is back", null);
            }
            if (lever.spotOkSince() == null) {
                return hold(lever, "Spot is back at its desired capacity; " + lever.retiring() + " is kept for the stable period", now);
            }
            if (now.isBefore(lever.spotOkSince().plus(settings.stablePeriod()))) {
                return hold(lever, "Spot has been at its desired capacity since " + lever.spotOkSince() + "; " + lever.retiring()
                        + " is kept until it is stable", lever.spotOkSince());
            }
            if (lever.raisedAt() != null && now.isBefore(lever.raisedAt().plus(settings.cooldown()))) {
                return hold(lever, "cooldown: raised at " + lever.raisedAt() + "; " + lever.retiring() + " is kept until "
                        + lever.raisedAt().plus(settings.cooldown()), lever.spotOkSince());
            }
            if (retiringDrained || waited) {
                int step = Math.min(Math.max(1, retiringUnits), lever.added());
                if (lever.added() == 0 || lever.value() - step < lever.lowest()) {
                    return new HoldDecision(Action.HOLD, "nothing left to hand back; " + lever.retiring() + " stays", lever.value(),
                            lever.added(), lever.raisedAt(), lever.loweredAt(), null, null, null, lever.seen());
                }
                String why = retiringDrained ? lever.retiring() + " has drained" : lever.retiring() + " did not drain within " + settings.drainWait();
                return new HoldDecision(Action.LOWER, why + "; handing back one instance" + (step > 1 ? " (" + step + " units)" : ""),
                        lever.value() - step, lever.added() - step,
                        lever.raisedAt(), now, null, lever.retiring(), lever.retiringAt(), lever.seen());
            }
            return hold(lever, "waiting for " + lever.retiring() + " to drain", lever.spotOkSince());
        }
        int shortfall = spot.shortfall();
        if (shortfall > lever.added() && lever.added() < lever.cap() && lever.value() < lever.highest()) {
            return raiseTo(lever, shortfall, lever.seen(), now, null);
        }
        if (lever.added() == 0) {
            return hold(lever, "Deckhand holds nothing on " + lever.id(), null);
        }
        if (!spot.atDesired()) {
            return hold(lever, "the Spot side has " + spot.inService() + " of its desired " + spot.desired() + " in service; holding "
                    + lever.added(), null);
        }
        if (lever.spotOkSince() == null) {
            return hold(lever, "the Spot side is at its desired capacity; the stable period of " + settings.stablePeriod() + " starts", now);
        }
        Instant stableAt = lever.spotOkSince().plus(settings.stablePeriod());
        if (now.isBefore(stableAt)) {
            return hold(lever, "the Spot side has been at its desired capacity since " + lever.spotOkSince() + "; stable at " + stableAt,
                    lever.spotOkSince());
        }
        Instant last = latest(lever.raisedAt(), lever.loweredAt());
        if (last != null && now.isBefore(last.plus(settings.cooldown()))) {
            return hold(lever, "cooldown: the last change was at " + last + "; next step not before " + last.plus(settings.cooldown()),
                    lever.spotOkSince());
        }
        if (lever.value() - 1 < lever.lowest()) {
            return hold(lever, lever.id() + " is at its minimum " + lever.lowest() + "; nothing can be handed back", lever.spotOkSince());
        }
        return new HoldDecision(Action.RETIRE, "the Spot side has been stable since " + lever.spotOkSince()
                + "; draining one On-Demand instance to hand back", lever.value(), lever.added(), lever.raisedAt(), lever.loweredAt(),
                lever.spotOkSince(), null, now, lever.seen());
    }

    /** What the scheduled run says of a lever's shortage: nothing, a new one, or the end of one. */
    public enum Shortage { NONE, SHORT, RESOLVED }

    /**
     * A shortage that outlasts the hold: the lever is capped (Deckhand holds its cap, or the setting is at
     * its highest), the Spot side's desired capacity is still not reached with what is held, and the hold
     * window has passed since the last raise. Once published ({@code shortSince}), it is RESOLVED when
     * Spot in service and what is held cover the Spot side's desired capacity again, and nothing before.
     *
     * @param shortSince when a SHORT was published for this lever, or null
     */
    public Shortage shortage(Lever lever, SpotSide spot, Instant shortSince, Instant now) {
        int uncovered = spot.desired() - spot.inService() - lever.added();
        if (shortSince != null) {
            return uncovered <= 0 ? Shortage.RESOLVED : Shortage.NONE;
        }
        boolean capped = lever.added() >= lever.cap() || lever.value() >= lever.highest();
        boolean outlasted = lever.raisedAt() != null && !now.isBefore(lever.raisedAt().plus(settings.window()));
        return uncovered > 0 && capped && outlasted ? Shortage.SHORT : Shortage.NONE;
    }

    /**
     * How a LOWER step is recorded and made. A fleet: the target is lowered first, then the drained
     * instance is terminated, so the maintained fleet at its new target does not replace it. A group:
     * the drained instance is terminated with the desired capacity decremented; a mixed group's base is
     * lowered after that, when its On-Demand instances are already down to the new base: lowered first,
     * the group would replace an On-Demand instance of its choice. A mixed group's desired capacity
     * after the step: the decrement removes what the instance counts, which for an overshooting
     * instance is more than the step; the desired capacity is set back with the base so that only the
     * step is handed back.
     *
     * @param groupDesired the lever group's desired capacity as read (null for a fleet)
     */
    public PendingChange lowering(Lever lever, HoldDecision step, Integer groupDesired) {
        Integer desired = lever.kind() == LeverKind.MIXED_GROUP && groupDesired != null
                ? groupDesired - (lever.value() - step.value()) : null;
        return new PendingChange(step.value(), step.retiring(), !lever.kind().fleet(), desired);
    }

    /**
     * What is left to do of a change an earlier run recorded and did not finish: idempotent, a value
     * already in place and an instance already gone are left.
     *
     * @param instanceGone the step's instance is no longer a running member of the lever
     * @param groupDesired the lever group's desired capacity as read (null for a fleet)
     */
    public Completion completion(Lever lever, PendingChange pending, boolean instanceGone, Integer groupDesired) {
        boolean step = pending.instance() != null;
        boolean setValue = (!step || lever.kind().fleet()) && lever.value() != pending.value();
        boolean terminate = step && !instanceGone;
        boolean setBase = step && lever.kind() == LeverKind.MIXED_GROUP
                && (lever.value() != pending.value() || pending.desired() != null && !pending.desired().equals(groupDesired));
        return new Completion(setValue, terminate, setBase);
    }

    /**
     * The parts of a recorded change still to make, in this order: the lever's setting, the drained
     * instance's removal, a mixed group's base (with the recorded desired capacity).
     */
    public record Completion(boolean setValue, boolean terminate, boolean setBase) {
    }

    /** The shortage after {@code decision}: a raise just made starts a new window, so it is judged on the next run. */
    public Shortage shortage(HoldDecision decision, Lever lever, SpotSide spot, Instant shortSince, Instant now) {
        return decision.action() == Action.RAISE ? Shortage.NONE : shortage(lever, spot, shortSince, now);
    }

    private HoldDecision raiseTo(Lever lever, int wanted, List<String> seen, Instant now, String quietReason) {
        int target = Math.min(wanted, lever.cap());
        int by = Math.min(target - lever.added(), lever.highest() - lever.value());
        if (by <= 0) {
            String reason = quietReason != null ? quietReason
                    : lever.added() >= lever.cap() ? "at the cap: Deckhand already holds " + lever.added() + " of at most " + lever.cap()
                    : target <= lever.added() ? "holding " + lever.added() + " already covers the loss"
                    : lever.id() + " is at its highest " + lever.setting() + " " + lever.highest();
            return new HoldDecision(Action.HOLD, reason, lever.value(), lever.added(), lever.raisedAt(), lever.loweredAt(), null,
                    lever.retiring(), lever.retiringAt(), seen);
        }
        return new HoldDecision(Action.RAISE, "Spot capacity lost: holding " + (lever.added() + by) + " On-Demand"
                + (target > lever.added() + by ? " (limited by " + lever.id() + "'s highest " + lever.highest() + ")" : "")
                + (wanted > lever.cap() ? " (capped at " + lever.cap() + ")" : ""),
                lever.value() + by, lever.added() + by, now, lever.loweredAt(), null, lever.retiring(), lever.retiringAt(), seen);
    }

    private static HoldDecision hold(Lever lever, String reason, Instant spotOkSince) {
        return new HoldDecision(Action.HOLD, reason, lever.value(), lever.added(), lever.raisedAt(), lever.loweredAt(), spotOkSince,
                lever.retiring(), lever.retiringAt(), lever.seen());
    }

    private static List<String> remember(List<String> seen, List<String> unseen) {
        List<String> all = new ArrayList<>(seen);
        all.addAll(unseen);
        return all.size() <= SEEN_LIMIT ? all : all.subList(all.size() - SEEN_LIMIT, all.size());
    }

    private static Instant latest(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }
}
