package dev.deckhand.local.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.emulator.DeckhandHome;
import dev.deckhand.local.demo.DemoRotation;
import dev.deckhand.local.template.RuleSpec;
import dev.deckhand.local.template.SamTemplate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.event.ruler.Machine;

/**
 * Every rule in template.yaml, through AWS's own event-ruler: each sample in events/ reaches
 * exactly the rules listed here, every rule is reached by some sample, and near-misses (other
 * detail-types, other sources) reach none.
 */
@Tag("template")
class RoutingTest {

    /** events/ file -> the rules it must match, and no others. A new sample must be added here. */
    private static final Map<String, Set<String>> EXPECTED = Map.ofEntries(
            // EventBridge fans one event out to every rule it matches: drain-instance drains, hold-capacity holds.
            Map.entry("spot-interruption-warning.json", Set.of("DrainInstanceFunction.SpotInterruptionWarning",
                    "HoldCapacityFunction.SpotInterruptionWarning")),
            Map.entry("rebalance-recommendation.json", Set.of("DrainInstanceFunction.RebalanceRecommendation",
                    "HoldCapacityFunction.RebalanceRecommendation")),
            Map.entry("instance-state-stopping.json", Set.of("DrainInstanceFunction.InstanceStateChange")),
            // EC2 User Guide, "State change events for Amazon EC2 instances" (its example, state running).
            Map.entry("instance-state-running.json", Set.of("DrainInstanceFunction.InstanceStateChange")),
            Map.entry("instance-retirement-requested.json", Set.of("DrainInstanceFunction.RetirementRequested")),
            Map.entry("lifecycle-terminate.json", Set.of("DrainInstanceFunction.LifecycleAction")),
            Map.entry("lifecycle-launch.json", Set.of("DrainInstanceFunction.LifecycleAction")),
            // AWS Health User Guide, "Reference: AWS Health events Amazon EventBridge schema" (EC2 instance retirement sample).
            Map.entry("health-scheduled-retirement.json", Set.of("DrainInstanceFunction.HealthScheduledChange")),
            // EventBridge fans out: a completed deployment reaches rebalance-tasks and open-ticket's chat line.
            Map.entry("ecs-deployment-completed.json", Set.of("RebalanceTasksFunction.DeploymentOrNewCapacity", "OpenTicketFunction.Deployments")),
            Map.entry("ecs-deployment-in-progress.json", Set.of("OpenTicketFunction.Deployments")),
            Map.entry("ecs-deployment-failed.json", Set.of("OpenTicketFunction.Deployments")),
            Map.entry("ecs-service-placement-failure.json", Set.of("OpenTicketFunction.Deployments")),
            Map.entry("codedeploy-deployment-failure.json", Set.of("OpenTicketFunction.Deployments")),
            Map.entry("ecr-image-scan.json", Set.of("OpenTicketFunction.Findings")),
            Map.entry("inspector-finding.json", Set.of("OpenTicketFunction.Findings")),
            Map.entry("ecs-container-instance-new-capacity.json", Set.of("RebalanceTasksFunction.DeploymentOrNewCapacity")),
            Map.entry("scheduled-rebalance-sweep.json", Set.of("RebalanceTasksFunction.Sweep")),
            Map.entry("scheduled-ami-refresh.json", Set.of("RotateAmiFunction.Schedule")),
            Map.entry("scheduled-ami-reconcile.json", Set.of("RotateAmiFunction.Reconcile")),
            Map.entry("ami-refresh-requested.json", Set.of("RotateAmiFunction.RefreshRequested")),
            // hold-capacity's report on Deckhand's bus: a capped hold that did not bring the cluster back.
            Map.entry("capacity-shortage.json", Set.of("OpenTicketFunction.CapacityShortage")),
            Map.entry("parameter-store-change.json", Set.of("RotateAmiFunction.NewImage")),
            Map.entry("imagebuilder-image-available.json", Set.of("RotateAmiFunction.NewImage")),
            Map.entry("autoscaling-launch-unsuccessful.json", Set.of("HoldCapacityFunction.LaunchFailedForCapacity", "OpenTicketFunction.Launches", "RotateAmiFunction.CanaryLaunchFailed")),
            Map.entry("autoscaling-launch-unsuccessful-image.json", Set.of("OpenTicketFunction.Launches", "RotateAmiFunction.CanaryLaunchFailed")),
            Map.entry("autoscaling-launch-successful.json", Set.of("OpenTicketFunction.Launches")),
            Map.entry("spot-fleet-error.json", Set.of("HoldCapacityFunction.LaunchFailedForCapacity", "OpenTicketFunction.Launches")),
            Map.entry("spot-fleet-error-configuration.json", Set.of("OpenTicketFunction.Launches", "RotateAmiFunction.CanaryLaunchFailed")),
            Map.entry("ec2-fleet-error.json", Set.of("HoldCapacityFunction.LaunchFailedForCapacity", "OpenTicketFunction.Launches")),
            Map.entry("ec2-fleet-instance-launched.json", Set.of("OpenTicketFunction.Launches")),
            Map.entry("scheduled-hold-capacity.json", Set.of("HoldCapacityFunction.HandBack")));

    private static final Path HOME = DeckhandHome.find();
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Every optional rule enabled (the sweep's schedule is off by default), and the demo account's
     * RotateAmiParameterPath, as `deckhand replay` deploys it (the default path is AWS's public
     * parameters, whose changes never reach an account's bus).
     */
    private static final SamTemplate TEMPLATE = SamTemplate.load(HOME.resolve("template.yaml"),
            Map.of("RebalanceSweepSchedule", "rate(1 hour)", "RotateAmiParameterPath", DemoRotation.PARAMETER_PATH), "us-east-2");
    private static final RuleRouter ROUTER = new RuleRouter(TEMPLATE.rules());
    /** Deckhand's own bus: {@code <stack>-deckhand}, the local stack being {@code deckhand}. */
    private static final String DECKHAND_BUS = "deckhand-deckhand";

    static Stream<Path> samples() throws IOException {
        return list(HOME.resolve("events"));
    }

    static Stream<Path> nearMisses() throws IOException {
        return list(Path.of("src/test/resources/near-misses"));
    }

    private static Stream<Path> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList().stream();
        }
    }

    private static Set<String> names(List<RuleSpec> rules) {
        Set<String> names = new HashSet<>();
        rules.forEach(rule -> names.add(rule.name()));
        return names;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void sample_matchesExactlyItsRules(Path sample) throws IOException {
        String name = sample.getFileName().toString();
        assertTrue(EXPECTED.containsKey(name), name + " is not listed in RoutingTest.EXPECTED");

        Set<String> matched = names(ROUTER.route(busOf(sample), Files.readString(sample)));

        assertEquals(EXPECTED.get(name), matched, name);
    }

    /** The bus a sample is put on: Deckhand's own requests on Deckhand's bus, AWS services' events on the default one. */
    private static String busOf(Path sample) throws IOException {
        return "deckhand".equals(JSON.readTree(sample.toFile()).path("source").asText()) ? DECKHAND_BUS : RuleSpec.DEFAULT_BUS;
    }

    @Test
    void deckhandsOwnRules_areOnDeckhandsBus_andNoDeckhandEventOnTheDefaultBusReachesAnyRule() throws IOException {
        assertEquals(List.of(DECKHAND_BUS), TEMPLATE.buses());
        for (RuleSpec rule : TEMPLATE.rules()) {
            boolean takesDeckhand = rule.pattern() != null && JSON.readTree(rule.pattern()).path("source").toString().contains("\"deckhand\"");
            assertEquals(takesDeckhand, rule.bus().equals(DECKHAND_BUS), rule.name() + " is on " + rule.bus());
        }
        for (String sample : List.of("instance-retirement-requested.json", "ami-refresh-requested.json", "capacity-shortage.json")) {
            String forged = Files.readString(HOME.resolve("events").resolve(sample));
            assertEquals(Set.of(), names(ROUTER.route(forged)), sample + " put on the default bus by anyone");
            assertEquals(Set.of(), names(ROUTER.route(DECKHAND_BUS, Files.readString(HOME.resolve("events/spot-interruption-warning.json")))),
                    "AWS's events do not arrive on Deckhand's bus");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nearMisses")
    void nearMiss_matchesNoRule(Path nearMiss) throws IOException {
        assertEquals(Set.of(), names(ROUTER.route(Files.readString(nearMiss))), nearMiss.getFileName().toString());
        assertEquals(Set.of(), names(ROUTER.route(DECKHAND_BUS, Files.readString(nearMiss))), nearMiss.getFileName().toString() + " on Deckhand's bus");
    }

    @Test
    void everyPatternRule_isReachedBySomeSample() throws IOException {
        Set<String> reached = new HashSet<>();
        for (Path sample : samples().toList()) {
            reached.addAll(names(ROUTER.route(busOf(sample), Files.readString(sample))));
        }
        for (RuleSpec rule : TEMPLATE.rules()) {
            if (rule.pattern() != null) {
                assertTrue(reached.contains(rule.name()), rule.name() + " has no sample in events/");
            }
        }
    }

    /**
     * A rule of several event kinds takes one {@code $or} alternative per kind: each alternative, on
     * its own, must be reached by some sample, as each rule must, so that no kind is listed untested.
     */
    @Test
    void everyAlternativeOfAnOrPattern_isReachedBySomeSample() throws Exception {
        List<Path> samples = samples().toList();
        int alternatives = 0;
        for (RuleSpec rule : TEMPLATE.rules()) {
            JsonNode pattern = rule.pattern() == null ? null : JSON.readTree(rule.pattern());
            if (pattern == null || !pattern.has("$or")) {
                continue;
            }
            for (JsonNode alternative : pattern.get("$or")) {
                ObjectNode alone = ((ObjectNode) pattern.deepCopy()).without("$or");
                alone.setAll((ObjectNode) alternative);
                Machine machine = Machine.builder().build();
                machine.addRule(rule.name(), alone.toString());
                boolean reached = false;
                for (Path sample : samples) {
                    reached |= busOf(sample).equals(rule.bus()) && !machine.rulesForJSONEvent(Files.readString(sample)).isEmpty();
                }
                assertTrue(reached, rule.name() + "'s alternative " + alternative + " has no sample in events/");
                alternatives++;
            }
        }
        assertTrue(alternatives >= 10, "the template's $or rules have " + alternatives + " alternatives");
    }

    @Test
    void scheduleRuleWithAnInput_deliversThatInput_whichIsItsSampleAndRoutesToIt() throws IOException {
        RuleSpec reconcile = TEMPLATE.rules().stream().filter(r -> r.name().equals("RotateAmiFunction.Reconcile")).findFirst().orElseThrow();
        String fired = Files.readString(HOME.resolve("events/scheduled-ami-refresh.json"))
                .replace("RotateAmiFunctionSchedule", "RotateAmiFunctionReconcile");

        assertEquals(Set.of("RotateAmiFunction.Reconcile"), names(ROUTER.route(fired)));
        assertEquals("{\"deckhand\":\"reconcile\"}", reconcile.delivery(fired), "the target receives the rule's Input, not the event");
        assertEquals(JSON.readTree(reconcile.input()), JSON.readTree(Files.readString(HOME.resolve("events/scheduled-ami-reconcile.json"))));
    }

    /**
     * Parameter Store Change samples: Systems Manager User Guide, "Amazon EventBridge event examples for
     * Systems Manager" (Parameter Store events: Create, Update, Delete Parameter), with the demo's
     * parameter; the parameter's ARN in {@code resources} is as in the User Guide's "Native parameter
     * support for Amazon Machine Image IDs" example ({@code parameter/golden-ami} for {@code golden-ami}).
     * Only what rotate-ami may read reaches it: the ARN up to RotateAmiParameterPath's first {@code *}.
     */
    @Test
    void parameterChange_routesOnlyUnderRotateAmiParameterPath_withOrWithoutALeadingSlash() throws IOException {
        String change = Files.readString(HOME.resolve("events/parameter-store-change.json"));
        String unslashed = change.replace("\"/deckhand/demo/ecs-ami\"", "\"golden-ami\"").replace("parameter/deckhand/demo/ecs-ami", "parameter/golden-ami");
        SamTemplate goldenAmi = SamTemplate.load(HOME.resolve("template.yaml"), Map.of("RotateAmiParameterPath", "/golden-ami*"), "us-east-2");
        SamTemplate defaults = SamTemplate.load(HOME.resolve("template.yaml"), Map.of(), "us-east-2");

        assertEquals(Set.of("RotateAmiFunction.NewImage"), names(new RuleRouter(goldenAmi.rules()).route(unslashed)));
        assertEquals(Set.of(), names(new RuleRouter(goldenAmi.rules()).route(change)), "outside /golden-ami*");
        assertEquals(Set.of(), names(new RuleRouter(defaults.rules()).route(change)),
                "the default path is AWS's public parameters: no change of the account's own parameters reaches rotate-ami");
        assertEquals(Set.of("RotateAmiFunction.NewImage"), names(new RuleRouter(defaults.rules()).route(
                change.replace("parameter/deckhand/demo/ecs-ami", "parameter/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"))),
                "the prefix is the path up to its first *");
    }

    /**
     * The Image Builder sample: EC2 Image Builder User Guide, "Amazon EventBridge integration in Image
     * Builder" (EC2 Image Builder Image State Change), with the demo's image; only AVAILABLE routes.
     */
    @Test
    void imageStateChange_routesOnlyAvailable() throws IOException {
        String available = Files.readString(HOME.resolve("events/imagebuilder-image-available.json"));

        assertEquals(Set.of("RotateAmiFunction.NewImage"), names(ROUTER.route(available)));
        for (String status : List.of("BUILDING", "TESTING", "DISTRIBUTING", "INTEGRATING", "CANCELLED", "FAILED", "DEPRECATED")) {
            assertEquals(Set.of(), names(ROUTER.route(available.replace("\"status\": \"AVAILABLE\"", "\"status\": \"" + status + "\""))), status);
        }
    }

    @Test
    void everyListedSample_exists() {
        EXPECTED.keySet().forEach(name -> assertTrue(Files.isRegularFile(HOME.resolve("events").resolve(name)), name));
    }
}
