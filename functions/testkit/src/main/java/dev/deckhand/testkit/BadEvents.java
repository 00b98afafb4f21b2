package dev.deckhand.testkit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.core.event.BadEventException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A function's corpus of bad events, {@code src/test/resources/bad-events/*.json}: each file holds
 * {@code event} (an object, or a string for what is not JSON) and, in {@code expect}, a fragment of
 * the refusal it must produce; {@code padBytes} pads the detail past EventBridge's size limit. A file
 * without {@code expect} is the bad event itself, refused with any message that names a field.
 *
 * <pre>{@code
 * static Stream<BadEvents.Case> badEvents() { return BadEvents.cases(); }
 *
 * @ParameterizedTest(name = "{0}") @MethodSource("badEvents")
 * void badEvent_isRefusedWithAClearError_andNoCall(BadEvents.Case bad) {
 *     bad.assertRefusedBy(handler());
 *     assertEquals(List.of(), calls.calls());
 * }
 * }</pre>
 */
public final class BadEvents {

    private static final Path CORPUS = Path.of("src/test/resources/bad-events");

    /** One file of the corpus. */
    public record Case(Path file, String event, String expect) {

        /** Invokes {@code handler} with the event; it must refuse it, naming what {@code expect} says. */
        public BadEventException assertRefusedBy(RequestStreamHandler handler) {
            BadEventException refused = assertThrows(BadEventException.class, () -> Handlers.invoke(handler, event),
                    () -> file.getFileName() + ": not refused");
            if (expect != null) {
                assertTrue(refused.getMessage().contains(expect), () -> file.getFileName() + ": " + refused.getMessage());
            } else {
                assertTrue(refused.getMessage().contains("`") || refused.getMessage().contains("JSON")
                        || refused.getMessage().contains("256 KiB"), () -> file.getFileName() + " names no field: " + refused.getMessage());
            }
            assertTrue(refused.getMessage().length() < 400, () -> file.getFileName() + ": the message stays short: " + refused.getMessage());
            return refused;
        }

        @Override
        public String toString() {
            return file.getFileName().toString();
        }
    }

    private BadEvents() {
    }

    public static Stream<Case> cases() throws IOException {
        try (Stream<Path> files = Files.list(CORPUS)) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().map(BadEvents::read).toList().stream();
        }
    }

    /** The detail-types the corpus has refused cases for: every type a function is routed should be here. */
    public static Set<String> detailTypes() throws IOException {
        Set<String> covered = new TreeSet<>();
        cases().forEach(bad -> {
            try {
                covered.add(Handlers.JSON.readTree(bad.event()).path("detail-type").asText());
            } catch (IOException notJson) {
                // The corpus holds unparsable events too.
            }
        });
        return covered;
    }

    private static Case read(Path file) {
        try {
            String text = Files.readString(file);
            JsonNode spec;
            try {
                spec = Handlers.JSON.readTree(text);
            } catch (IOException notJson) {
                return new Case(file, text, null);
            }
            if (spec == null || !spec.has("event") || !spec.has("expect")) {
                return new Case(file, text, null);
            }
            JsonNode event = spec.get("event");
            if (spec.has("padBytes") && event.path("detail") instanceof ObjectNode detail) {
                detail.put("padding", "x".repeat(spec.get("padBytes").asInt()));
            }
            return new Case(file, event.isTextual() ? event.asText() : Handlers.JSON.writeValueAsString(event), spec.get("expect").asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
