package dev.deckhand.local.template;

import static dev.deckhand.local.template.SamTransformOutput.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deckhand.emulator.DeckhandHome;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("template")
class SamTemplateTest {

    private static final Path TEMPLATE = DeckhandHome.find().resolve("template.yaml");

    @Test
    void functions_mergeGlobalsAndEvaluateParameters() {
        SamTemplate template = SamTemplate.load(TEMPLATE, Map.of("ManagedClusters", "web,batch", "DryRun", "true"), "us-east-2");

        FunctionSpec drain = template.function("DrainInstanceFunction");

        assertEquals("web,batch", drain.environment().get("DECKHAND_CLUSTERS"));
        assertEquals("true", drain.environment().get("DECKHAND_DRY_RUN"));
        assertEquals("java21", drain.runtime());
        assertEquals(2, drain.maximumRetryAttempts());
        assertEquals("DrainInstanceFailureQueue", drain.failureQueue());
    }

    @Test
    void defaults_manageEveryCluster_andChangeThings() {
        FunctionSpec drain = SamTemplate.load(TEMPLATE, Map.of(), "us-east-2").function("DrainInstanceFunction");

        assertEquals("", drain.environment().get("DECKHAND_CLUSTERS"));
        assertEquals("false", drain.environment().get("DECKHAND_DRY_RUN"));
    }

    @Test
    void parameterOverrides_areValidatedAgainstTheTemplate() {
        assertThrows(IllegalArgumentException.class, () -> SamTemplate.load(TEMPLATE, Map.of("DryRun", "maybe"), "us-east-2"));
        assertThrows(IllegalArgumentException.class, () -> SamTemplate.load(TEMPLATE, Map.of("NoSuchParameter", "x"), "us-east-2"));
    }

    /**
     * The local command runs each function as the SAM transform deploys it: its Handler, Runtime, memory,
     * timeout, environment variable names, asynchronous retries and failure queue (Globals merged)
     * are those of the AWS::Lambda::Function and AWS::Lambda::EventInvokeConfig SAM makes.
     */
    @Test
    void functions_areWhatTheSamTransformDeploys() {
        Map<String, Object> deployed = SamTransformOutput.resources();
        List<FunctionSpec> functions = SamTemplate.load(TEMPLATE, Map.of(), "us-east-2").functions();
        assertEquals(deployed.values().stream().filter(r -> "AWS::Lambda::Function".equals(map(r).get("Type"))).count(),
                functions.size(), "functions");
        for (FunctionSpec function : functions) {
            String id = function.logicalId();
            Map<String, Object> lambda = map(map(deployed.get(id)).get("Properties"));
            assertEquals(lambda.get("Handler"), function.handler(), id);
            assertEquals(lambda.get("Runtime"), function.runtime(), id);
            assertEquals(lambda.get("MemorySize"), function.memoryMiB(), id);
            assertEquals(((Number) lambda.get("Timeout")).longValue(), function.timeout().toSeconds(), id);
            assertEquals(new TreeSet<>(map(map(lambda.get("Environment")).get("Variables")).keySet()),
                    function.environment().keySet(), id);
            Map<String, Object> invokeConfig = deployed.values().stream().map(SamTransformOutput::map)
                    .filter(r -> "AWS::Lambda::EventInvokeConfig".equals(r.get("Type")))
                    .map(r -> map(r.get("Properties")))
                    .filter(p -> id.equals(SamTransformOutput.target(p.get("FunctionName"))))
                    .findFirst().orElseThrow(() -> new AssertionError(id + " has no EventInvokeConfig"));
            assertEquals(invokeConfig.get("MaximumRetryAttempts"), function.maximumRetryAttempts(), id);
            assertEquals(SamTransformOutput.target(map(map(invokeConfig.get("DestinationConfig")).get("OnFailure")).get("Destination")),
                    function.failureQueue(), id);
        }
    }

    /**
     * The queues that invoke a function are the SAM output's event source mappings: drain-instance's
     * recheck queue, ten messages at a time, to its published alias.
     */
    @Test
    void queueSources_areTheDeployedEventSourceMappings() {
        SamTemplate template = SamTemplate.load(TEMPLATE, Map.of(), "us-east-2");
        List<Map<String, Object>> mappings = SamTransformOutput.resources().values().stream().map(SamTransformOutput::map)
                .filter(r -> "AWS::Lambda::EventSourceMapping".equals(r.get("Type"))).map(r -> map(r.get("Properties"))).toList();

        assertEquals(1, mappings.size(), "event source mappings: " + mappings);
        assertEquals("DrainInstanceFunctionAliaslive", SamTransformOutput.target(mappings.get(0).get("FunctionName")));
        assertEquals(Map.of(SamTransformOutput.target(mappings.get(0).get("EventSourceArn")), mappings.get(0).get("BatchSize")),
                template.queueSources("DrainInstanceFunction"));
        assertEquals(Map.of("DrainRecheckQueue", 10), template.queueSources("DrainInstanceFunction"));
        assertEquals(Map.of(), template.queueSources("RotateAmiFunction"));
    }

    /** The Handler string of each function names a class that is in the zip its CodeUri points at. */
    @Test
    void everyHandler_isInItsZip() throws IOException {
        for (FunctionSpec function : SamTemplate.load(TEMPLATE, Map.of(), "us-east-2").functions()) {
            String entry = function.handler().substring(0, function.handler().indexOf("::")).replace('.', '/') + ".class";
            try (ZipFile zip = new ZipFile(function.codeUri().toFile())) {
                assertTrue(zip.getEntry(entry) != null, function.logicalId() + ": " + entry + " not in " + function.codeUri());
                assertTrue(zip.stream().anyMatch(e -> e.getName().startsWith("lib/")), "dependencies under lib/");
                assertFalse(zip.stream().anyMatch(e -> e.getName().contains("apache-client") || e.getName().contains("netty")),
                        function.logicalId() + " ships a heavy HTTP client");
            }
        }
    }
}
