package dev.deckhand.local.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deckhand.emulator.DeckhandHome;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

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
