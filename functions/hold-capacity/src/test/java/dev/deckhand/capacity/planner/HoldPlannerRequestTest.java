package dev.deckhand.capacity.planner;

import dev.deckhand.core.config.RebalancePolicy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deckhand.capacity.planner.HoldDecision.Action;
import dev.deckhand.capacity.planner.HoldPlanner.Shortage;
import dev.deckhand.capacity.planner.HoldPlanner.Skip;
import dev.deckhand.capacity.planner.HoldRequest.FleetLaunchFailed;
import dev.deckhand.capacity.planner.HoldRequest.GroupLaunchFailed;
import dev.deckhand.capacity.planner.HoldRequest.InstanceLost;
import dev.deckhand.capacity.planner.HoldRequest.Schedule;
import dev.deckhand.capacity.planner.HoldRequest.Trigger;
import dev.deckhand.core.event.LaunchFailure.Cause;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The planner's decisions on a request before any lever is read, and around a hand-back step: pure, no emulator. */
class HoldPlannerRequestTest {

    static final Instant T0 = HoldPlannerTest.T0;
    final HoldPlanner planner = new HoldPlanner(HoldPlannerTest.SETTINGS);

    static HoldRequest request(Trigger trigger, HoldRequest.Lost lost, Instant time) {
        return new HoldRequest("e1", time, trigger, lost);
    }

    @Test
    void spotWarning_withinTheWindow_isActedOn() {
        HoldRequest warning = request(Trigger.SPOT_INTERRUPTION, new InstanceLost("i-1234567890abcdef0"), T0);

        assertEquals(Optional.empty(), planner.skip(warning, T0.plusSeconds(20)));
    }

    @Test
    void lossSignal_olderThanTheWindow_isStale() {
        HoldRequest warning = request(Trigger.SPOT_INTERRUPTION, new InstanceLost("i-1234567890abcdef0"), T0);

        Optional<Skip> skip = planner.skip(warning, T0.plus(HoldPlannerTest.SETTINGS.window()).plusSeconds(1));

        assertEquals(Outcome.STALE, skip.orElseThrow().outcome());
        assertEquals("the signal is older than PT10M; not counted", skip.get().reason());
        assertEquals(Optional.empty(), planner.skip(warning, T0.plus(HoldPlannerTest.SETTINGS.window())), "at the window's end: still counted");
    }

    @Test
    void schedule_isNeverStale() {
        assertEquals(Optional.empty(), planner.skip(request(Trigger.SCHEDULE, new Schedule(), T0), T0.plusSeconds(86_400)));
    }

    @Test
    void rebalanceRecommendation_underNotifyOrIgnore_isIgnored_andUnderDrainActedOn() {
        HoldRequest rebalance = request(Trigger.REBALANCE_RECOMMENDATION, new InstanceLost("i-1234567890abcdef0"), T0);

        Skip notify = new HoldPlanner(HoldPlannerTest.SETTINGS, RebalancePolicy.NOTIFY).skip(rebalance, T0).orElseThrow();
        Skip ignore = new HoldPlanner(HoldPlannerTest.SETTINGS, RebalancePolicy.IGNORE).skip(rebalance, T0).orElseThrow();

        assertEquals(Outcome.IGNORED, notify.outcome());
        assertEquals("DECKHAND_REBALANCE_POLICY is notify: drain-instance does not drain instance i-1234567890abcdef0,"
                + " so no On-Demand is held for it", notify.reason());
        assertTrue(ignore.reason().startsWith("DECKHAND_REBALANCE_POLICY is ignore:"), ignore.reason());
        assertEquals(Optional.empty(), new HoldPlanner(HoldPlannerTest.SETTINGS, RebalancePolicy.DRAIN).skip(rebalance, T0));
    }

    @Test
    void spotWarning_underNotify_isStillActedOn() {
        HoldRequest warning = request(Trigger.SPOT_INTERRUPTION, new InstanceLost("i-1234567890abcdef0"), T0);

        assertEquals(Optional.empty(), new HoldPlanner(HoldPlannerTest.SETTINGS, RebalancePolicy.NOTIFY).skip(warning, T0));
    }

    @Test
    void launchFailure_otherThanCapacity_isIgnored_evenWhenStale() {
        HoldRequest image = request(Trigger.LAUNCH_UNSUCCESSFUL, new GroupLaunchFailed("web-spot", Cause.IMAGE), T0);

        Skip skip = planner.skip(image, T0.plusSeconds(86_400)).orElseThrow();

        assertEquals(Outcome.IGNORED, skip.outcome());
        assertEquals("the launch failed for another reason than capacity (image); nothing to hold", skip.reason());
    }

    @Test
    void launchFailure_forCapacityOrSpotQuota_isActedOn() {
        for (Cause cause : List.of(Cause.CAPACITY, Cause.SPOT_QUOTA)) {
            assertEquals(Optional.empty(), planner.skip(request(Trigger.LAUNCH_UNSUCCESSFUL, new GroupLaunchFailed("web-spot", cause), T0), T0),
                    cause.name());
        }
    }

    @Test
    void fleetError_ofConfiguration_isIgnored_andAllLaunchSpecsBlocked_isActedOn() {
        HoldRequest invalid = request(Trigger.FLEET_ERROR,
                new FleetLaunchFailed("sfr-38725d30-25f1-4f30-83ce-2907c56dba17", "spotFleetRequestConfigurationInvalid", Cause.CONFIGURATION), T0);
        HoldRequest blocked = request(Trigger.FLEET_ERROR,
                new FleetLaunchFailed("sfr-38725d30-25f1-4f30-83ce-2907c56dba17", "allLaunchSpecsTemporarilyBlacklisted",
                        Cause.ALL_LAUNCH_SPECS_BLOCKED), T0);

        Skip skip = planner.skip(invalid, T0).orElseThrow();

        assertEquals(Outcome.IGNORED, skip.outcome());
        assertEquals("fleet error spotFleetRequestConfigurationInvalid is a configuration error, not lost Spot capacity", skip.reason());
        assertEquals(Optional.empty(), planner.skip(blocked, T0));
    }

    @Test
    void failedLaunchOfTheOnDemandLeverItself_isIgnored_butNotOfAMixedLeverOrAnotherGroup() {
        Lever onDemand = HoldPlannerTest.lever(2, 0, 5);
        Lever mixed = new Lever("web", "web-od", LeverKind.MIXED_GROUP, 2, 0, 20, 0, 5, null, null, null, null, null, List.of());

        Skip skip = planner.skipLaunchOf(onDemand, "web-od").orElseThrow();

        assertEquals(Outcome.IGNORED, skip.outcome());
        assertEquals("the On-Demand lever web-od itself failed to launch: On-Demand cannot hold it", skip.reason());
        assertEquals(Optional.empty(), planner.skipLaunchOf(onDemand, "web-spot"));
        assertEquals(Optional.empty(), planner.skipLaunchOf(mixed, "web-od"));
    }

    @Test
    void failedLaunch_countsWhatIsLaunchingAsMissing() {
        assertEquals(3, planner.missingAfterFailedLaunch(new SpotSide(5, 2, 3)));
        assertEquals(0, planner.missingAfterFailedLaunch(new SpotSide(2, 4, 0)));
    }

    @Test
    void lossKey_isTheInstanceIdsHash_andCountedOnceSeen() {
        String key = HoldPlanner.lossKey("i-1234567890abcdef0");
        Lever seen = new Lever("web", "web-od", LeverKind.ON_DEMAND_GROUP, 3, 0, 20, 1, 5, T0, null, null, null, null, List.of(key));

        assertTrue(key.matches("[0-9a-f]{8}"), key);
        assertEquals(key, HoldPlanner.lossKey("i-1234567890abcdef0"));
        assertTrue(planner.counted(seen, List.of(key)));
        assertFalse(planner.counted(seen, List.of(HoldPlanner.lossKey("i-0fedcba0987654321"))));
        assertFalse(planner.counted(HoldPlannerTest.lever(2, 0, 5), List.of(key)));
    }

    @Test
    void outcome_raisedOutranksHandedBack_whichOutranksRetiring() {
        assertEquals(Outcome.HOLDING, planner.outcome(List.of()));
        assertEquals(Outcome.HOLDING, planner.outcome(List.of(Action.HOLD, Action.HOLD)));
        assertEquals(Outcome.RETIRING, planner.outcome(List.of(Action.HOLD, Action.RETIRE)));
        assertEquals(Outcome.HANDED_BACK, planner.outcome(List.of(Action.RETIRE, Action.LOWER)));
        assertEquals(Outcome.HANDED_BACK, planner.outcome(List.of(Action.LOWER, Action.RETIRE)));
        assertEquals(Outcome.RAISED, planner.outcome(List.of(Action.LOWER, Action.RAISE, Action.LOWER, Action.RETIRE)));
    }

    @Test
    void retire_namesTheInstance_orHoldsWhenTheLeverHasNone() {
        Lever lever = new Lever("web", "web-od", LeverKind.ON_DEMAND_GROUP, 3, 0, 20, 1, 5, T0, null, T0.plusSeconds(60), null, null,
                List.of("aaaaaaaa"));
        HoldDecision step = new HoldDecision(Action.RETIRE, "stable", 3, 1, T0, null, T0.plusSeconds(60), null, null, List.of("aaaaaaaa"));
        Instant now = T0.plusSeconds(7200);

        HoldDecision retire = planner.retire(lever, step, "i-0aaaaaaaaaaaaaaaa", now);
        HoldDecision none = planner.retire(lever, step, null, now);

        assertEquals(Action.RETIRE, retire.action());
        assertEquals("i-0aaaaaaaaaaaaaaaa", retire.retiring());
        assertEquals(now, retire.retiringAt());
        assertEquals("stable", retire.reason());
        assertEquals(Action.HOLD, none.action());
        assertEquals("no On-Demand instance in service in web-od to retire", none.reason());
        assertNull(none.retiring());
        assertEquals(T0.plusSeconds(60), none.spotOkSince(), "the stable period goes on");
        assertEquals(List.of("aaaaaaaa"), none.seen());
    }

    @Test
    void retireFirst_theInstancesWithinWhatDeckhandHolds() {
        Lever lever = HoldPlannerTest.lever(6, 2, 5);
        Map<String, Integer> units = Map.of("i-small", 1, "i-exact", 2, "i-heavy", 4);

        assertEquals(List.of("i-small", "i-exact"), planner.retireFirst(lever, List.of("i-small", "i-exact", "i-heavy"), units::get));
        assertEquals(List.of(), planner.retireFirst(lever, List.of("i-heavy"), units::get));
    }

    @Test
    void shortage_isNotJudgedOnTheRunThatRaises() {
        Lever capped = new Lever("web", "web-od", LeverKind.ON_DEMAND_GROUP, 5, 0, 20, 5, 5, T0, null, null, null, null, List.of());
        SpotSide short6 = new SpotSide(10, 4, 0);
        Instant later = T0.plus(HoldPlannerTest.SETTINGS.window());
        HoldDecision raise = new HoldDecision(Action.RAISE, "r", 6, 6, later, null, null, null, null, List.of());
        HoldDecision hold = new HoldDecision(Action.HOLD, "h", 5, 5, T0, null, null, null, null, List.of());

        assertEquals(Shortage.SHORT, planner.shortage(hold, capped, short6, null, later));
        assertEquals(Shortage.NONE, planner.shortage(raise, capped, short6, null, later));
    }
}
