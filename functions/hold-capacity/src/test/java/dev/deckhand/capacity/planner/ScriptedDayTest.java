package dev.deckhand.capacity.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deckhand.capacity.planner.HoldDecision.Action;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * A scripted day of Spot losses and recoveries for one cluster (8 Spot instances, an On-Demand
 * group configured at 2, a cap of 5, the default settings, the schedule every 10 minutes, drains
 * taking 4 minutes), printed as the timeline of capacity changes with its figures (see the test's
 * output file, target/surefire-reports/...ScriptedDayTest-output.txt).
 */
class ScriptedDayTest {

    static final Instant DAY = Instant.parse("2026-11-22T00:00:00Z");

    static Instant at(String hhmm) {
        return DAY.plusSeconds(LocalTime.parse(hhmm).toSecondOfDay());
    }

    @Test
    void aDayOfSpotStorms() {
        HoldSettings settings = new HoldSettings(Duration.ofMinutes(10), Duration.ofMinutes(30), Duration.ofMinutes(30), Duration.ofMinutes(15));
        LeverSimulation sim = new LeverSimulation(settings, 2, 5, 20, 8, Duration.ofMinutes(4));
        for (Instant t = DAY; t.isBefore(DAY.plus(Duration.ofDays(1))); t = t.plus(Duration.ofMinutes(5))) {
            String hhmm = LocalTime.ofInstant(t, ZoneOffset.UTC).toString();
            switch (hhmm) {
                // 02:00 a storm takes 3 Spot instances (each announced by a rebalance recommendation, then its warning)
                case "02:00" -> sim.spotLost(t, 3, true);
                // Spot cannot replace them until 03:30 and 04:00
                case "03:30" -> sim.spotRecovered(1);
                case "04:00" -> sim.spotRecovered(2);
                // 09:00 two more, back at 09:30
                case "09:00" -> sim.spotLost(t, 2, false);
                case "09:30" -> sim.spotRecovered(2);
                // 14:00 the big one: 6 of 8 Spot instances, more than the cap of 5; back in two waves
                case "14:00" -> sim.spotLost(t, 6, true);
                case "16:30" -> sim.spotRecovered(3);
                case "17:00" -> sim.spotRecovered(3);
                // 20:00 a single interruption that Spot replaces within five minutes
                case "20:00" -> sim.spotLost(t, 1, false);
                case "20:05" -> sim.spotRecovered(1);
                default -> {
                }
            }
            String[] failing = {"02:05", "02:20", "02:40", "03:00", "03:20", "14:05", "14:30", "15:00", "15:30", "16:00"};
            for (String f : failing) {
                if (f.equals(hhmm)) {
                    sim.launchFailed(t);
                }
            }
            if (t.getEpochSecond() % 600 == 0) {
                sim.schedule(t);
            }
        }
        Instant end = DAY.plus(Duration.ofDays(1));
        StringBuilder out = new StringBuilder("scripted day: 8 Spot, On-Demand group at 2, cap 5, cooldown 30m, stable period 30m\n");
        int lastValue = 2;
        for (LeverSimulation.Step step : sim.steps) {
            Action action = step.decision().action();
            if (action != Action.HOLD || step.value() != lastValue) {
                out.append(String.format("  %s  %-28s %-6s desired %d (Deckhand +%d)  Spot %d/8  %s%n",
                        LocalTime.ofInstant(step.at(), ZoneOffset.UTC), step.signal(), action, step.value(), step.added(),
                        step.spotInService(), step.decision().reason()));
            }
            lastValue = step.value();
        }
        out.append(String.format("raises %d, retirements requested %d, hand-back steps %d, most held %d%n",
                sim.count(Action.RAISE), sim.count(Action.RETIRE), sim.count(Action.LOWER), sim.maxAdded()));
        out.append(String.format("On-Demand instance-hours added %.1f; Spot instance-hours lost and not covered %.1f%n",
                sim.addedInstanceHours(end), sim.uncoveredHours(end)));
        System.out.println(out);

        HoldPlannerTest.checkInvariants(sim, 2, 5);
        assertEquals(2, sim.lever.value(), "everything handed back by the end of the day");
        assertEquals(0, sim.lever.added());
        assertEquals(5, sim.maxAdded());
        assertEquals(sim.count(Action.RETIRE), sim.count(Action.LOWER), "each hand-back step drains first");
        // 3 + 2 + 5 (capped) + 1 = 11 instances handed back, one step each
        assertEquals(11, sim.count(Action.LOWER));
        assertTrue(sim.uncoveredHours(end) > 0, "the big storm lost more than the cap");
    }
}
