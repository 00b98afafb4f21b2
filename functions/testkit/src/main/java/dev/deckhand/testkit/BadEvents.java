package dev.deckhand.testkit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.deckhand.core.event.BadEventException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Bad events, two corpora:
 *
 * <ul>
 * <li>a function's own, {@code src/test/resources/bad-events/*.json}: each file holds {@code event}
 * (an object, or a string for what is not JSON) and, in {@code expect}, a fragment of the refusal it
 * must produce; {@code padBytes} pads the detail past EventBridge's size limit. A file without
 * {@code expect} is the bad event itself, refused with any message that names a field. These are
 * the cases about the function's own details and routes.</li>
 * <li>the envelope's, {@code bad-envelopes.json} in this kit: what core's {@code EventParser} and
 * {@code EventRouter} refuse for every function alike (not JSON, a missing or malformed envelope
 * field, another region or account, a near-miss of a routed source or detail-type). Each case is
 * one change to a valid event of a source / detail-type pair the function routes ({@link
 * #envelopeCases}), so one expected text holds for every function.</li>
 * </ul>
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
    private static final String ENVELOPES = "/bad-envelopes.json";
    /** Latin letters and the Cyrillic letters drawn the same, for the homoglyph cases. */
    private static final Map<Character, Character> HOMOGLYPHS = Map.ofEntries(Map.entry('a', 'а'), Map.entry('c', 'с'),
            Map.entry('e', 'е'), Map.entry('o', 'о'), Map.entry('p', 'р'), Map.entry('x', 'х'), Map.entry('y', 'у'),
            Map.entry('A', 'А'), Map.entry('B', 'В'), Map.entry('C', 'С'), Map.entry('E', 'Е'), Map.entry('H', 'Н'),
            Map.entry('I', 'І'), Map.entry('K', 'К'), Map.entry('M', 'М'), Map.entry('O', 'О'), Map.entry('P', 'Р'),
            Map.entry('S', 'Ѕ'), Map.entry('T', 'Т'), Map.entry('X', 'Х'));

    /** One bad event: {@code name} says where it comes from. */
    public record Case(String name, String event, String expect) {

        /** Invokes {@code handler} with the event; it must refuse it, naming what {@code expect} says. */
        public BadEventException assertRefusedBy(RequestStreamHandler handler) {
            BadEventException refused = assertThrows(BadEventException.class, () -> Handlers.invoke(handler, event),
                    () -> name + ": not refused");
            if (expect != null) {
                assertTrue(refused.getMessage().contains(expect), () -> name + ": " + refused.getMessage());
            } else {
                assertTrue(refused.getMessage().contains("`") || refused.getMessage().contains("JSON")
                        || refused.getMessage().contains("256 KiB"), () -> name + " names no field: " + refused.getMessage());
            }
            assertTrue(refused.getMessage().length() < 400, () -> name + ": the message stays short: " + refused.getMessage());
            return refused;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private BadEvents() {
    }

    /** The function's own corpus, {@code src/test/resources/bad-events/}. */
    public static Stream<Case> cases() throws IOException {
        try (Stream<Path> files = Files.list(CORPUS)) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().map(BadEvents::read).toList().stream();
        }
    }

    /** The detail-types the function's own corpus has refused cases for: every type a function is routed should be here. */
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

    /**
     * The envelope corpus ({@code bad-envelopes.json}) made of a valid event of {@code source} /
     * {@code detailType}, a pair the function routes: each case removes fields ({@code remove}),
     * sets them ({@code set}; in strings, {@code ${source}} and {@code ${detail-type}} stand for the
     * pair, {@code ${source-homoglyph}}, {@code ${detail-type-homoglyph}} and
     * {@code ${detail-type-lowercase}} for its near-misses), replaces the whole event
     * ({@code event}, a string), cuts it ({@code truncateAt}) or pads its detail ({@code padBytes}).
     */
    public static Stream<Case> envelopeCases(String source, String detailType) {
        JsonNode corpus;
        try (InputStream in = BadEvents.class.getResourceAsStream(ENVELOPES)) {
            corpus = Handlers.JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> placeholders = Map.of(
                "${source}", source, "${source-homoglyph}", homoglyph(source),
                "${detail-type}", detailType, "${detail-type-lowercase}", detailType.toLowerCase(Locale.ROOT),
                "${detail-type-homoglyph}", homoglyph(detailType));
        return StreamSupport.stream(corpus.path("cases").spliterator(), false)
                .map(spec -> envelopeCase(spec, Envelopes.event(source, detailType).tree(), placeholders))
                .toList().stream();
    }

    private static Case envelopeCase(JsonNode spec, ObjectNode event, Map<String, String> placeholders) {
        String name = "bad-envelopes: " + spec.path("name").asText();
        String expect = spec.path("expect").asText();
        if (spec.path("event").isTextual()) {
            return new Case(name, spec.get("event").asText(), expect);
        }
        spec.path("remove").forEach(field -> event.remove(field.asText()));
        for (Iterator<Map.Entry<String, JsonNode>> set = spec.path("set").fields(); set.hasNext(); ) {
            Map.Entry<String, JsonNode> field = set.next();
            JsonNode value = field.getValue();
            event.set(field.getKey(), value.isTextual() ? new TextNode(fill(value.asText(), placeholders)) : value.deepCopy());
        }
        if (spec.has("padBytes") && event.path("detail") instanceof ObjectNode detail) {
            detail.put("padding", "x".repeat(spec.get("padBytes").asInt()));
        }
        String json = event.toString();
        if (spec.has("truncateAt")) {
            json = json.substring(0, Math.min(json.length(), spec.get("truncateAt").asInt()));
        }
        return new Case(name, json, expect);
    }

    private static String fill(String value, Map<String, String> placeholders) {
        String filled = value;
        for (Map.Entry<String, String> placeholder : placeholders.entrySet()) {
            filled = filled.replace(placeholder.getKey(), placeholder.getValue());
        }
        return filled;
    }

    /** {@code value} with its first letter that has a Cyrillic twin replaced by it: it reads the same and is not equal. */
    static String homoglyph(String value) {
        for (int i = 0; i < value.length(); i++) {
            Character twin = HOMOGLYPHS.get(value.charAt(i));
            if (twin != null) {
                return value.substring(0, i) + twin + value.substring(i + 1);
            }
        }
        throw new IllegalArgumentException("no letter of '" + value + "' has a homoglyph");
    }

    private static Case read(Path file) {
        String name = file.getFileName().toString();
        try {
            String text = Files.readString(file);
            JsonNode spec;
            try {
                spec = Handlers.JSON.readTree(text);
            } catch (IOException notJson) {
                return new Case(name, text, null);
            }
            if (spec == null || !spec.has("event") || !spec.has("expect")) {
                return new Case(name, text, null);
            }
            JsonNode event = spec.get("event");
            if (spec.has("padBytes") && event.path("detail") instanceof ObjectNode detail) {
                detail.put("padding", "x".repeat(spec.get("padBytes").asInt()));
            }
            return new Case(name, event.isTextual() ? event.asText() : Handlers.JSON.writeValueAsString(event), spec.get("expect").asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
