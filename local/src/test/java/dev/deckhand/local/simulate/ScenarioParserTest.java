package dev.deckhand.local.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deckhand.emulator.DeckhandHome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ScenarioParserTest {

    private static final String GOOD = """
            name: small
            duration: 5m
            clusters:
              - name: web
                zones: [a, b]
                spot: 3
                onDemand: 1
                services:
                  - {name: api, desired: 4, minimumHealthyPercent: 50}
            timeline:
              - at: 1m
                spotStorm: {count: 2, within: 20s}
            """;

    @Test
    void parse_readsEveryField_withDefaults() {
        Scenario scenario = ScenarioParser.parse("small.yaml", GOOD);

        assertEquals("us-east-2", scenario.region());
        assertEquals(Duration.ofSeconds(10), scenario.tick());
        assertEquals(Duration.ofMinutes(5), scenario.duration());
        Scenario.ClusterSpec web = scenario.clusters().get(0);
        assertEquals(4, web.instances());
        assertEquals(2048, web.cpu());
        assertEquals(new Scenario.ServiceSpec("api", 4, 256, 512, 50, 200, 30, null), web.services().get(0));
        assertEquals(new Scenario.SpotStorm(Duration.ofMinutes(1), 2, Duration.ofSeconds(20), java.util.List.of(), false),
                scenario.timeline().get(0));
    }

    @Test
    void parse_expandsCopies_andEntriesNameThemByTheirScenarioName() {
        Scenario scenario = ScenarioParser.parse("copies.yaml", GOOD.replace("  - name: web\n", "  - name: web\n    copies: 3\n")
                .replace("{count: 2, within: 20s}", "{count: 7, within: 20s, clusters: [web]}"));

        assertEquals(java.util.List.of("web-01", "web-02", "web-03"), scenario.clusters().get(0).names());
        assertEquals(12, scenario.instanceCount());
        assertEquals(java.util.List.of("web-01", "web-02", "web-03"), ((Scenario.SpotStorm) scenario.timeline().get(0)).clusters());
    }

    @Test
    void parse_readsAGroupsLaunchTemplate_anImageRelease_itsDeregistration_andTemplateParameters() {
        Scenario scenario = ScenarioParser.parse("golden.yaml", GOOD.replace("    onDemand: 1\n", "    onDemand: 1\n"
                + "    launchTemplate: {parameter: /golden/ecs-ami}\n").replace("name: small\n", "name: small\n"
                + "parameters: {RotateAmiParameterPath: /golden/*, RotateMaxDraining: 1}\n")
                + "  - at: 2m\n    amiRelease: {parameter: /golden/ecs-ami, image: ecs-golden-2026.12.1, request: false}\n"
                + "  - at: 3m\n    imageDeregistered: {image: ecs-golden-2026.12.1}\n");

        assertEquals("/golden/ecs-ami", scenario.clusters().get(0).amiParameter());
        assertEquals(java.util.Map.of("RotateAmiParameterPath", "/golden/*", "RotateMaxDraining", "1"), scenario.parameters());
        assertEquals(new Scenario.AmiRelease(Duration.ofMinutes(2), "/golden/ecs-ami", null, "ecs-golden-2026.12.1", false),
                scenario.timeline().get(1));
        assertEquals(new Scenario.ImageDeregistered(Duration.ofMinutes(3), "ecs-golden-2026.12.1"), scenario.timeline().get(2));
    }

    @Test
    void shippedScenarios_allParse() throws Exception {
        try (Stream<Path> files = Files.list(DeckhandHome.find().resolve("local/scenarios"))) {
            long parsed = files.filter(f -> f.toString().endsWith(".yaml")).peek(ScenarioParser::parse).count();
            assertTrue(parsed >= 4, "storm, deploy-in-storm, fleet-1000, broken-image");
        }
        Scenario fleet = ScenarioParser.parse(DeckhandHome.find().resolve("local/scenarios/fleet-1000.yaml"));
        assertTrue(fleet.clusterCount() >= 30 && fleet.instanceCount() >= 1000);
    }

    static Stream<Arguments> badFiles() {
        return Stream.of(
                Arguments.of("name: [unclosed", "not valid YAML"),
                Arguments.of("- just\n- a list", "the file: a mapping"),
                Arguments.of(GOOD.replace("name: small\n", ""), "name: required, missing"),
                Arguments.of(GOOD.replace("duration: 5m", "duration: five minutes"), "duration: a duration such as 90s, 2m or 1h30m, got \"five minutes\""),
                Arguments.of(GOOD.replace("duration: 5m", "duration: 9h"), "duration: a duration from one tick to 6h"),
                Arguments.of(GOOD.replace("name: small", "name: small\ntick: 5m"), "tick: a duration from 1s to 60s"),
                Arguments.of(GOOD.replace("name: small", "name: small\nregion: mars"), "region: an AWS region"),
                Arguments.of(GOOD.replace("name: small", "name: small\nclustrs: []"), "clustrs: unknown key"),
                Arguments.of(GOOD.replace("desired: 4", "desired: six"), "clusters[0].services[0].desired: a whole number from 0 to 10000, got \"six\""),
                Arguments.of(GOOD.replace("desired: 4", "desired: -1"), "clusters[0].services[0].desired: a whole number"),
                Arguments.of(GOOD.replace("spot: 3", "spot: 3.5"), "clusters[0].spot: a whole number"),
                Arguments.of(GOOD.replace("spot: 3\n    onDemand: 1", "spot: 0"), "clusters[0]: at least one instance"),
                Arguments.of(GOOD.replace("zones: [a, b]", "zones: [a, a]"), "clusters[0].zones: one or more different zone letters"),
                Arguments.of(GOOD.replace("zones: [a, b]", "zones: [us-east-2a]"), "clusters[0].zones[0]: an Availability Zone letter"),
                Arguments.of(GOOD.replace("name: web", "name: \"web<script>\""), "clusters[0].name: a name of letters, digits"),
                Arguments.of(GOOD.replace("{name: api, desired: 4, minimumHealthyPercent: 50}", "{name: api, desired: 4, cpu: 9000}"),
                        "clusters[0].services[0]: a task that fits an instance"),
                Arguments.of(GOOD.replace("minimumHealthyPercent: 50", "minimumHealthyPercent: 150"), "minimumHealthyPercent: a whole number from 0 to 100"),
                Arguments.of(GOOD.replace("minimumHealthyPercent: 50", "stopTimeout: 10m"), "stopTimeout: from 2s to 120s"),
                Arguments.of(GOOD.replace("{count: 2, within: 20s}", "{count: 4, within: 20s}"), "spotStorm.count: at most the 3 Spot instances"),
                Arguments.of(GOOD.replace("{count: 2, within: 20s}", "{count: 2}"), "timeline[0].spotStorm.within: required, missing"),
                Arguments.of(GOOD.replace("{count: 2, within: 20s}", "{count: 2, within: 20s, clusters: [db]}"), "spotStorm.clusters[0]: a cluster of the scenario, got db"),
                Arguments.of(GOOD.replace("at: 1m", "at: 6m"), "timeline[0].at: a time before the scenario's duration"),
                Arguments.of(GOOD.replace("spotStorm:", "spotstorm:"), "timeline[0]: `at` and exactly one of"),
                Arguments.of(GOOD + "  - at: 2m\n    deploy: {service: web}\n", "timeline[1].deploy.service: a service of the scenario, got web"),
                Arguments.of(GOOD + "  - at: 2m\n    amiRelease: {parameter: /aws/service/ecs/x, imageId: ami-0123456789abcdef0}\n",
                        "amiRelease.parameter: a parameter of your own"),
                Arguments.of(GOOD + "  - at: 2m\n    amiRelease: {parameter: /golden/ami, imageId: latest}\n", "amiRelease.imageId: an AMI id"),
                Arguments.of(GOOD + "  - at: 2m\n    amiRelease: {parameter: /golden/ami, imageId: ami-0123456789abcdef0, image: x-1}\n",
                        "amiRelease: exactly one of imageId (an AMI id) and image"),
                Arguments.of(GOOD + "  - at: 2m\n    amiRelease: {parameter: /golden/ami, image: \"a\"}\n", "amiRelease.image: an AMI name"),
                Arguments.of(GOOD + "  - at: 2m\n    imageDeregistered: {image: golden-1}\n",
                        "timeline: an imageDeregistered after the amiRelease that publishes its image, got golden-1"),
                Arguments.of(GOOD + "  - at: 2m\n    amiRelease: {parameter: /golden/ami, image: golden-1}\n  - at: 1m\n    imageDeregistered: {image: golden-1}\n",
                        "timeline: an imageDeregistered after the amiRelease"),
                Arguments.of(GOOD.replace("    onDemand: 1\n", "    onDemand: 1\n    launchTemplate: {parameter: /aws/service/ecs/x}\n"),
                        "clusters[0].launchTemplate.parameter: a parameter of your own"),
                Arguments.of(GOOD.replace("    onDemand: 1\n", "    launchTemplate: {parameter: /golden/ami}\n"),
                        "clusters[0].onDemand: at least one instance for the Auto Scaling group of its launchTemplate"),
                Arguments.of(GOOD.replace("name: small\n", "name: small\nparameters: {Rotate-Path: x}\n"), "parameters: template.yaml parameter names"),
                Arguments.of(GOOD.replace("  - name: web\n", "  - name: web\n    copies: 2000\n"), "clusters[0].copies: a whole number from 1 to 500"),
                Arguments.of(GOOD + "  - name: web\n    spot: 1\n", "timeline[1]: `at` and exactly one of"),
                Arguments.of(GOOD.replace("clusters:\n", "clusters:\n  - name: web\n    spot: 1\n"), "clusters[1].name: a cluster name used once, got web"));
    }

    @ParameterizedTest
    @MethodSource("badFiles")
    void parse_badFile_failsNamingTheField(String text, String expected) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> ScenarioParser.parse("bad.yaml", text));
        assertTrue(error.getMessage().startsWith("bad.yaml: "), error.getMessage());
        assertTrue(error.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + error.getMessage());
    }

    @Test
    void parse_missingFile_saysSo() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> ScenarioParser.parse(Path.of("no/such.yaml")));
        assertEquals("no such scenario file: no/such.yaml", error.getMessage());
    }
}
