package dev.deckhand.core.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class JsonTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void string_escapesQuotesControlCharactersAndLineSeparators() throws Exception {
        String hostile = "a\"b\\c\nd\u0000e\u2028f</script><img src=x>\uD800";
        StringBuilder out = new StringBuilder();

        Json.string(out, hostile);

        assertEquals(1, out.toString().lines().count());
        assertEquals(hostile.replace("\uD800", "\uFFFD"), mapper.readTree(out.toString()).asText().replace("\uD800", "\uFFFD"));
    }

    @Test
    void string_cutsHugeValues() {
        StringBuilder out = new StringBuilder();

        Json.string(out, "x".repeat(100_000));

        assertTrue(out.length() < Json.MAX_VALUE_CHARS + 20);
    }

    @Test
    void logger_writesOneJsonObjectPerLine_withKeyValues() throws Exception {
        JsonNode line = captureOne(() -> LoggerFactory.getLogger("dev.deckhand.test.Sample").atInfo()
                .addKeyValue("instanceId", "i-1234567890abcdef0").addKeyValue("count", 3).log("drained {}", "it"));

        assertEquals("INFO", line.get("level").asText());
        assertEquals("Sample", line.get("logger").asText());
        assertEquals("drained it", line.get("message").asText());
        assertEquals("i-1234567890abcdef0", line.get("instanceId").asText());
        assertEquals(3, line.get("count").asInt());
    }

    @Test
    void metrics_writeEmbeddedMetricFormat() throws Exception {
        Metrics metrics = new Metrics("drain-instance", Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC));

        JsonNode line = captureOne(() -> metrics.count("Decisions", Map.of("Decision", "DRAIN")));

        JsonNode directive = line.get("_aws").get("CloudWatchMetrics").get(0);
        assertEquals("Deckhand", directive.get("Namespace").asText());
        assertEquals("Function", directive.get("Dimensions").get(0).get(0).asText());
        assertEquals("Decisions", directive.get("Metrics").get(0).get("Name").asText());
        assertEquals("1", line.get("Decisions").asText());
        assertEquals("DRAIN", line.get("Decision").asText());
        assertEquals(Instant.parse("2026-11-22T10:00:00Z").toEpochMilli(), line.get("_aws").get("Timestamp").asLong());
    }

    private JsonNode captureOne(Runnable action) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setOut(original);
        }
        String text = buffer.toString(StandardCharsets.UTF_8).trim();
        assertEquals(1, text.lines().count(), text);
        return mapper.readTree(text);
    }
}
