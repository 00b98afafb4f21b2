package dev.deckhand.local.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deckhand.emulator.DeckhandHome;
import dev.deckhand.local.faults.FaultRates;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A small storm end to end, both runs: with Deckhand every interrupted instance is drained and its
 * tasks move before the reclaim; without, the reclaim kills them.
 */
@Tag("emulator")
class SimulateTest {

    private static final String SMALL = """
            name: small-storm
            description: one cluster, two of its three Spot instances interrupted
            duration: 4m
            seed: 5
            clusters:
              - name: web
                zones: [a, b]
                spot: 3
                onDemand: 2
                replacement: 1m
                services:
                  - {name: api, desired: 6, minimumHealthyPercent: 50}
            timeline:
              - at: 20s
                spotStorm: {count: 2, within: 10s}
              - at: 3m
                amiRelease: {parameter: /golden/ecs-ami, imageId: ami-0fedcba9876543210}
            """;

    @Test
    void storm_withDeckhand_killsNoTask_withoutDeckhand_killsThem() {
        Scenario scenario = ScenarioParser.parse("small-storm.yaml", SMALL);
        SimulateOptions options = SimulateOptions.parse(List.of("small-storm.yaml", "--quiet"));
        List<RunResult> runs = new SimulateCommand(DeckhandHome.find()).simulate(scenario, options, null);

        RunResult with = runs.get(0);
        RunResult without = runs.get(1);
        assertTrue(with.deckhand());
        assertEquals(0, with.tasksKilledWhileServing(), "no task dies with its instance, nor mid-stop, when Deckhand drains it");
        assertEquals(0, with.instancesLeftDraining());
        assertTrue(with.tasksMovedGracefully() > 0);
        assertEquals(2, with.drains().size());
        assertTrue(with.drains().stream().allMatch(d -> d.drainedAt() != null && d.drainedAt().equals(d.signalAt())),
                "each instance drained by the warning's own invocation");
        assertEquals(0, with.failureQueueRecords());
        assertEquals(2, with.instancesReclaimed());
        assertEquals(List.of(), with.deliveries().stream().filter(d -> d.rule() != null && d.error()).map(d -> d.rule() + " " + d.subject()).toList(),
                "every routed delivery succeeded");
        // A chat-only deployment line (open-ticket, no webhook configured) makes no call; a drain always does.
        assertTrue(with.deliveries().stream().filter(d -> d.rule() != null && d.rule().startsWith("DrainInstanceFunction."))
                .allMatch(d -> d.awsCalls() > 0));
        assertTrue(with.deliveries().stream().anyMatch(d -> "RotateAmiFunction.RefreshRequested".equals(d.rule())),
                "the AMI release reaches rotate-ami through template.yaml's rule");

        assertFalse(without.deckhand());
        assertTrue(without.tasksKilled() > 0, "without Deckhand the reclaim kills the tasks");
        assertEquals(0, without.tasksMovedGracefully());
        assertTrue(without.deliveries().isEmpty());
        assertEquals(2, without.instancesReclaimed());
        assertTrue(without.services().get("web/api").dip() > 0);

        Summary summary = new Summary(scenario, runs);
        String html = new HtmlReport(scenario, runs, summary).html();
        assertTrue(html.contains("<svg") && html.contains("tasks killed while still serving"));
        assertFalse(html.contains("<script src") || html.contains("https://") || html.contains("<link"), "opens offline");
        assertTrue(summary.text().contains("instances left DRAINING at the end"));
    }

    @Test
    void options_defaultReport_andFaults() {
        SimulateOptions options = SimulateOptions.parse(List.of("local/scenarios/storm.yaml", "--faults", "throttle=0.1"));
        assertEquals(Path.of("target", "simulate", "storm.html"), options.report());
        assertEquals(FaultRates.parse("throttle=0.1"), options.faults());
        assertEquals(Map.of(), options.parameters());
    }
}
