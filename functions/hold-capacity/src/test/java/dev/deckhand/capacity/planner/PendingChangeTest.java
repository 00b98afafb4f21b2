package dev.deckhand.capacity.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.deckhand.capacity.planner.HoldDecision.Action;
import dev.deckhand.capacity.planner.HoldPlanner.Completion;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The change recorded on a lever before it is made, and what the planner says is left of it: pure, no emulator. */
class PendingChangeTest {

    static final Instant T0 = HoldPlannerTest.T0;
    final HoldPlanner planner = new HoldPlanner(HoldPlannerTest.SETTINGS);

    static Lever lever(LeverKind kind, int value, int added) {
        return new Lever("web", "web-od", kind, value, 0, 20, added, 5, T0, null, null, "i-0aaaaaaaaaaaaaaaa", T0, List.of());
    }

    static HoldDecision lower(int value, int added) {
        return new HoldDecision(Action.LOWER, "drained", value, added, T0, T0.plusSeconds(3600), null, "i-0aaaaaaaaaaaaaaaa", T0, List.of());
    }

    @Test
    void tag_readsBackAsWritten() {
        for (PendingChange change : List.of(new PendingChange(4, null, false, null), new PendingChange(3, "i-0aaaaaaaaaaaaaaaa", true, null),
                new PendingChange(2, "i-0aaaaaaaaaaaaaaaa", false, null), new PendingChange(3, "i-0aaaaaaaaaaaaaaaa", true, 7))) {
            assertEquals(Optional.of(change), PendingChange.parse(change.tag()), change.tag());
        }
        assertEquals("4", new PendingChange(4, null, false, null).tag());
        assertEquals("3 i-0aaaaaaaaaaaaaaaa decrement 7", new PendingChange(3, "i-0aaaaaaaaaaaaaaaa", true, 7).tag());
        assertEquals("2 i-0aaaaaaaaaaaaaaaa keep", new PendingChange(2, "i-0aaaaaaaaaaaaaaaa", false, null).tag());
    }

    @Test
    void parse_anUnreadableValue_isEmpty_andAnUnreadableDesiredIsLeftOut() {
        assertEquals(Optional.empty(), PendingChange.parse("three"));
        assertEquals(Optional.empty(), PendingChange.parse(""));
        assertNull(PendingChange.parse("3 i-0aaaaaaaaaaaaaaaa decrement x7").orElseThrow().desired());
        assertNull(PendingChange.parse("3 i-0aaaaaaaaaaaaaaaa").orElseThrow().instance(), "an instance without its mode is no step");
    }

    @Test
    void lowering_aGroup_decrements_aFleet_lowersFirst_aMixedGroup_recordsItsDesiredCapacity() {
        PendingChange group = planner.lowering(lever(LeverKind.ON_DEMAND_GROUP, 4, 2), lower(3, 1), 4);
        PendingChange fleet = planner.lowering(lever(LeverKind.EC2_FLEET, 4, 2), lower(3, 1), null);
        // An instance counting 2 units handed back as a 1-unit step: the decrement removes 2, the desired capacity is set back.
        PendingChange mixed = planner.lowering(lever(LeverKind.MIXED_GROUP, 4, 2), lower(3, 1), 10);

        assertEquals(new PendingChange(3, "i-0aaaaaaaaaaaaaaaa", true, null), group);
        assertEquals(new PendingChange(3, "i-0aaaaaaaaaaaaaaaa", false, null), fleet);
        assertEquals(new PendingChange(3, "i-0aaaaaaaaaaaaaaaa", true, 9), mixed);
    }

    @Test
    void completion_ofARaise_setsTheValueUnlessInPlace() {
        PendingChange raise = new PendingChange(4, null, false, null);

        assertEquals(new Completion(true, false, false), planner.completion(lever(LeverKind.ON_DEMAND_GROUP, 3, 1), raise, false, 3));
        assertEquals(new Completion(false, false, false), planner.completion(lever(LeverKind.ON_DEMAND_GROUP, 4, 1), raise, false, 4));
    }

    @Test
    void completion_ofAGroupStep_terminatesUnlessGone_andLeavesTheValueToTheDecrement() {
        PendingChange step = new PendingChange(3, "i-0aaaaaaaaaaaaaaaa", true, null);

        assertEquals(new Completion(false, true, false), planner.completion(lever(LeverKind.ON_DEMAND_GROUP, 4, 2), step, false, 4));
        assertEquals(new Completion(false, false, false), planner.completion(lever(LeverKind.ON_DEMAND_GROUP, 3, 1), step, true, 3));
    }

    @Test
    void completion_ofAFleetStep_lowersTheTargetThenTerminates() {
        PendingChange step = new PendingChange(3, "i-0aaaaaaaaaaaaaaaa", false, null);

        assertEquals(new Completion(true, true, false), planner.completion(lever(LeverKind.SPOT_FLEET, 4, 2), step, false, null));
        assertEquals(new Completion(false, false, false), planner.completion(lever(LeverKind.SPOT_FLEET, 3, 1), step, true, null));
    }

    @Test
    void completion_ofAMixedStep_setsTheBaseWhileItOrTheDesiredCapacityDiffers() {
        PendingChange step = new PendingChange(3, "i-0aaaaaaaaaaaaaaaa", true, 9);

        assertEquals(new Completion(false, true, true), planner.completion(lever(LeverKind.MIXED_GROUP, 4, 2), step, false, 10));
        assertEquals(new Completion(false, false, true), planner.completion(lever(LeverKind.MIXED_GROUP, 3, 1), step, true, 8));
        assertEquals(new Completion(false, false, false), planner.completion(lever(LeverKind.MIXED_GROUP, 3, 1), step, true, 9));
    }
}
