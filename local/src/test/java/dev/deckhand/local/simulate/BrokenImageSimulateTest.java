package dev.deckhand.local.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deckhand.emulator.AccountSeeder;
import dev.deckhand.emulator.DeckhandHome;
import dev.deckhand.local.simulate.Deliverer.Delivery;
import dev.deckhand.local.simulate.RunResult.LaunchActivity;
import dev.deckhand.local.simulate.RunResult.TemplateState;
import dev.deckhand.local.simulate.RunResult.TicketState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A small local/scenarios/broken-image.yaml, with Deckhand: a rotation publishes an image that is then
 * deregistered; the canary's replacement cannot launch (Auto Scaling's launch fails as "Troubleshoot
 * Amazon EC2 Auto Scaling: AMI issues" documents, and its EC2 Instance Launch Unsuccessful event is
 * routed by template.yaml's rules); open-ticket opens a ticket with the evidence and rotate-ami rolls
 * back at once, long before the canary deadline; the group launches the old image again.
 */
@Tag("emulator")
class BrokenImageSimulateTest {

    private static final String SMALL = """
            name: small-broken-image
            description: a rotation to an image deregistered after its release
            duration: 8m
            seed: 11
            parameters:
              RotateAmiParameterPath: /golden/*
              RotateReconcileSchedule: rate(5 minutes)
            clusters:
              - name: orders
                zones: [a, b]
                onDemand: 3
                launchTemplate: {parameter: /golden/ecs-ami}
                services:
                  - {name: api, desired: 4, minimumHealthyPercent: 50}
            timeline:
              - at: 30s
                amiRelease: {parameter: /golden/ecs-ami, image: ecs-golden-broken, request: false}
              - at: 1m
                imageDeregistered: {image: ecs-golden-broken}
            """;

    @Test
    void brokenImage_launchFails_ticketWithEvidence_rollbackAtOnce_defaultVersionRestored() {
        Scenario scenario = ScenarioParser.parse("small-broken-image.yaml", SMALL);
        SimulateOptions options = SimulateOptions.parse(List.of("small-broken-image.yaml", "--only", "with", "--quiet"));

        RunResult with = new SimulateCommand(DeckhandHome.find()).simulate(scenario, options, null).get(0);

        // The rotation started on the parameter's change, with one canary.
        assertEquals(Duration.ofSeconds(30), with.rotationStartedAt());
        assertEquals(Duration.ofSeconds(30), with.canaryStartedAt());
        assertEquals(1, with.rotatedImages().size());
        String broken = with.rotatedImages().iterator().next();
        assertTrue(with.deliveries().stream().anyMatch(d -> "RotateAmiFunction.NewImage".equals(d.rule())),
                "the Parameter Store Change reaches rotate-ami through template.yaml's rule");

        // The canary's replacement fails to launch, as AWS reports it, when the reconcile run terminates the canary.
        List<LaunchActivity> launches = with.aftermath().launches();
        LaunchActivity failed = launches.get(0);
        assertTrue(failed.failed(), launches.toString());
        assertEquals("orders-asg", failed.group());
        assertEquals("The AMI ID " + broken + " does not exist. Launching EC2 instance failed.", failed.statusMessage());
        assertEquals(Duration.ofMinutes(5), failed.at(), "the reconcile schedule of 5 minutes terminated the drained canary");

        // rotate-ami rolls back on that event, at once: not at the canary deadline (30 minutes after the canary).
        Delivery rollback = with.deliveries().stream().filter(d -> "RotateAmiFunction.CanaryLaunchFailed".equals(d.rule())).findFirst()
                .orElseThrow();
        assertEquals("ROLLED_BACK", rollback.result().path("decision").asText(), rollback.result().toString());
        assertEquals(failed.at(), with.rolledBackAt());
        assertEquals(Duration.ofMinutes(30), with.aftermath().canaryDeadline());
        assertTrue(with.rolledBackAt().compareTo(with.canaryStartedAt().plus(with.aftermath().canaryDeadline())) < 0);

        // open-ticket opened one ticket with the failure's evidence; it closed itself when the group launched again.
        Delivery ticketed = with.deliveries().stream().filter(d -> "OpenTicketFunction.Launches".equals(d.rule())).findFirst()
                .orElseThrow();
        assertEquals("TICKETED", ticketed.result().path("decision").asText(), ticketed.result().toString());
        assertEquals(1, with.aftermath().tickets().size(), with.aftermath().tickets().toString());
        TicketState ticket = with.aftermath().tickets().get(0);
        assertTrue(ticket.title().contains("orders-asg"), ticket.title());
        // OpsCenter's description is Markdown, escaped: read it as the text it shows.
        String evidence = String.join("\n", ticket.description()).replace("\\", "").replace("**", "").replace("`", "");
        for (String line : List.of("orders-asg", "Cluster: orders", failed.statusMessage(), "Canary: orders: " + broken)) {
            assertTrue(evidence.contains(line), () -> "'" + line + "' in the ticket:\n" + evidence);
        }
        assertTrue(evidence.toLowerCase(java.util.Locale.ROOT).contains("recent activity"), evidence);
        assertEquals("Resolved", ticket.status(), "closed by the group's next successful launch");
        LaunchActivity relaunched = launches.get(launches.size() - 1);
        assertFalse(relaunched.failed(), launches.toString());
        assertEquals(failed.at().plus(SimulationRun.LAUNCH_RETRY), relaunched.at());

        // What stands at the end: the template's default is the old version and image, nothing runs the broken image.
        TemplateState template = with.aftermath().templates().get(0);
        assertEquals(new TemplateState("orders", 1, AccountSeeder.AMI, 2), template);
        assertEquals(0, with.runningOnRotatedImages());
        assertEquals(Map.of(AccountSeeder.AMI, 3), with.aftermath().runningByImage());

        // The services kept serving: nothing was killed, and the canary's tasks moved before it went.
        assertEquals(0, with.tasksKilledWhileServing());
        assertTrue(with.tasksMovedGracefully() > 0);
        assertTrue(with.services().get("orders/api").lowest() >= 2, with.services().toString());
        assertEquals(0, with.failureQueueRecords());
        assertEquals(List.of(), with.deliveries().stream().filter(d -> d.rule() != null && d.error()).map(Delivery::rule).toList());

        String story = String.join("\n", new Summary(scenario, List.of(with)).rotationStory(with));
        int terminated = story.indexOf("terminated [");
        int launchFailed = story.indexOf("launch FAILED: " + failed.statusMessage());
        int rolledBack = story.indexOf("ROLLED_BACK");
        assertTrue(0 <= terminated && terminated < launchFailed && launchFailed < rolledBack, "in the order it happened:\n" + story);
        assertNotNull(with.aftermath().canaryDeadline());
    }
}
