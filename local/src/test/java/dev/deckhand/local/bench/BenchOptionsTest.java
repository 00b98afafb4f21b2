package dev.deckhand.local.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deckhand.local.template.FunctionSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code deckhand bench}'s flags, and what {@code --jfr} asks of a function's JVM. */
class BenchOptionsTest {

    @TempDir
    Path dir;

    @Test
    void parse_jfrNamesTheFolder_andIsOffByDefault() {
        assertEquals(Path.of("/tmp/profiles"), BenchOptions.parse(List.of("--no-sweep", "--jfr", "/tmp/profiles")).jfr());
        assertNull(BenchOptions.parse(List.of("--runs", "1")).jfr());
    }

    @Test
    void parse_jfrWithoutAFolder_orWithWhiteSpaceInIt_isRefused() {
        assertEquals("--jfr needs a folder", assertThrows(IllegalArgumentException.class,
                () -> BenchOptions.parse(List.of("--jfr"))).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(List.of("--jfr", "/tmp/my profiles")))
                .getMessage().startsWith("--jfr's folder may not hold white space"));
    }

    /** Checked against the JDK by `deckhand bench --jfr` itself; here without a JVM, as the fast tier runs it. */
    @Test
    void recorded_addsARecordingToTheFunctionsOwnOptions() throws Exception {
        FunctionSpec function = new FunctionSpec("DrainInstanceFunction", "h::handleRequest", Path.of("f.zip"), "java21", 512,
                Duration.ofSeconds(60), Map.of("JAVA_TOOL_OPTIONS", "-Xss1m"), 2, null);

        Map<String, String> environment = BenchCommand.recorded(function, Map.of("AWS_REGION", "eu-west-1"), dir);

        assertEquals("-Xss1m -XX:StartFlightRecording:settings=profile,method-profiling=max,filename="
                + dir.toAbsolutePath().resolve("DrainInstanceFunction.jfr"), environment.get("JAVA_TOOL_OPTIONS"));
        assertEquals("eu-west-1", environment.get("AWS_REGION"));
        assertTrue(Files.isDirectory(dir));
    }

    @Test
    void recorded_withoutJfr_isTheEnvironmentAsItIs() throws Exception {
        FunctionSpec function = new FunctionSpec("DrainInstanceFunction", "h::handleRequest", Path.of("f.zip"), "java21", 512,
                Duration.ofSeconds(60), Map.of(), 2, null);
        Map<String, String> environment = Map.of("AWS_REGION", "eu-west-1");

        assertEquals(environment, BenchCommand.recorded(function, environment, null));
    }
}
