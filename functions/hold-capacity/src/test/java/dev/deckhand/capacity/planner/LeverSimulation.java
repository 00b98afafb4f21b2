package dev.deckhand.capacity.planner;

import dev.deckhand.capacity.planner.HoldDecision.Action;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A cluster's capacity through a day, driven by the planner as hold-capacity drives it: a Spot
 * side of {@code spotDesired} instances that loses and regains capacity, an On-Demand group whose
 * user-configured desired capacity is {@code floor}, the schedule every {@code scheduleEvery}, and
 * retiring instances that drain {@code drainTime} after their retirement is requested. Records
 * every decision and what the lever looked like, for invariants and figures.
 */
final class LeverSimulation {

    record Step(Instant at, String signal, HoldDecision decision, int value, int added, int spotInService) {
    }

    final HoldPlanner planner;
    final int floor;
    final int cap;
    final int highest;
    final int spotDesired;
    final Duration drainTime;
    Lever lever;
    int spotInService;
    final List<Step> steps = new ArrayList<>();
    private int nextInstance = 1;
    private final List<String> spotInstances = new ArrayList<>();

    LeverSimulation(HoldSettings settings, int floor, int cap, int highest, int spotDesired, Duration drainTime) {
        this.planner = new HoldPlanner(settings);
        this.floor = floor;
        this.cap = cap;
        this.highest = highest;
        this.spotDesired = spotDesired;
        this.drainTime = drainTime;
        this.lever = new Lever("web", "web-ondemand", LeverKind.ON_DEMAND_GROUP, floor, 0, highest, 0, cap, null, null, null, null, null,
                List.of());
        for (int i = 0; i < spotDesired; i++) {
            spotInstances.add("i-spot" + nextInstance++);
        }
        this.spotInService = spotDesired;
    }

    /** EC2 warns that {@code count} Spot instances go: each warned once, some twice (a rebalance first). */
    void spotLost(Instant at, int count, boolean duplicate) {
        for (int i = 0; i < count && !spotInstances.isEmpty(); i++) {
            String instance = spotInstances.remove(0);
            loss(at, "warning " + instance, List.of(keyOf(instance)));
            if (duplicate) {
                loss(at, "warning again " + instance, List.of(keyOf(instance)));
            }
            spotInService--;
        }
    }

    /** Spot launches fail for lack of capacity: the Spot group reports what it misses. */
    void launchFailed(Instant at) {
        loss(at, "launch unsuccessful", List.of());
    }

    /** Spot capacity comes back: the Spot group refills {@code count} instances. */
    void spotRecovered(int count) {
        for (int i = 0; i < count && spotInService < spotDesired; i++) {
            spotInstances.add("i-spot" + nextInstance++);
            spotInService++;
        }
    }

    void schedule(Instant at) {
        boolean drained = lever.retiringAt() != null && !at.isBefore(lever.retiringAt().plus(drainTime));
        apply(at, "schedule", planner.onSchedule(lever, new SpotSide(spotDesired, spotInService, 0), false, drained, at));
    }

    private void loss(Instant at, String signal, List<String> keys) {
        apply(at, signal, planner.onLoss(lever, keys, Math.max(0, spotDesired - spotInService), at));
    }

    /** As LeverWriter records a decision on the group. */
    private void apply(Instant at, String signal, HoldDecision d) {
        String retiring = d.action() == Action.RETIRE ? "i-od" + nextInstance++ : d.action() == Action.LOWER ? null : d.retiring();
        Instant retiringAt = d.action() == Action.LOWER ? null : d.retiringAt();
        lever = new Lever(lever.cluster(), lever.id(), lever.kind(), d.value(), lever.lowest(), lever.highest(), d.added(), lever.cap(),
                d.raisedAt(), d.loweredAt(), d.spotOkSince(), retiring, retiringAt, d.seen());
        steps.add(new Step(at, signal, d, d.value(), d.added(), spotInService));
    }

    static String keyOf(String signal) {
        return String.format("%08x", signal.hashCode());
    }

    /** True when, before {@code step}, the Spot side was at its desired capacity for the stable period with no loss. */
    boolean stableBefore(Step step) {
        Instant from = step.at().minus(planner.settings().stablePeriod());
        for (Step earlier : steps) {
            if (earlier == step) {
                return true;
            }
            boolean inPeriod = !earlier.at().isBefore(from);
            if (inPeriod && (earlier.decision().action() == Action.RAISE || earlier.spotInService() < spotDesired)) {
                return false;
            }
        }
        return true;
    }

    long count(Action action) {
        return steps.stream().filter(s -> s.decision().action() == action).count();
    }

    int maxAdded() {
        return steps.stream().mapToInt(Step::added).max().orElse(0);
    }

    /** On-Demand instance-hours Deckhand added, between the first and the last step. */
    double addedInstanceHours(Instant end) {
        double hours = 0;
        for (int i = 0; i < steps.size(); i++) {
            Instant until = i + 1 < steps.size() ? steps.get(i + 1).at() : end;
            hours += steps.get(i).added() * Duration.between(steps.get(i).at(), until).toSeconds() / 3600.0;
        }
        return hours;
    }

    /** Spot instance-hours missing and not covered by On-Demand. */
    double uncoveredHours(Instant end) {
        double hours = 0;
        for (int i = 0; i < steps.size(); i++) {
            Instant until = i + 1 < steps.size() ? steps.get(i + 1).at() : end;
            int uncovered = Math.max(0, (spotDesired - steps.get(i).spotInService()) - steps.get(i).added());
            hours += uncovered * Duration.between(steps.get(i).at(), until).toSeconds() / 3600.0;
        }
        return hours;
    }
}
