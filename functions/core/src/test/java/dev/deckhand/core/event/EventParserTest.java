package dev.deckhand.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.deckhand.core.config.ConfigException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventParserTest {

    private static final String VALID = """
            {"version":"0","id":"7bf73129-1428-4cd3-a780-95db273d1602","detail-type":"EC2 Spot Instance Interruption Warning",
             "source":"aws.ec2","account":"123456789012","time":"2026-11-22T10:00:00Z","region":"us-east-2",
             "resources":["arn:aws:ec2:us-east-2:123456789012:instance/i-1234567890abcdef0"],
             "detail":{"instance-id":"i-1234567890abcdef0","instance-action":"terminate"},"added-by-aws-later":{"x":1}}
            """;

    private final EventParser parser = new EventParser();

    @Test
    void parse_readsTheEnvelope_andIgnoresUnknownFields() {
        EventEnvelope event = parser.parse(VALID.getBytes(StandardCharsets.UTF_8));

        assertEquals("7bf73129-1428-4cd3-a780-95db273d1602", event.id());
        assertTrue(event.is("aws.ec2", "EC2 Spot Instance Interruption Warning"));
        assertEquals(Instant.parse("2026-11-22T10:00:00Z"), event.time());
        assertEquals("us-east-2", event.region());
        assertEquals(1, event.resources().size());
        assertEquals("i-1234567890abcdef0", event.detail().get("instance-id").asText());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "not json | {nope | not valid JSON",
            "array | [1,2] | not a JSON object",
            "no detail | {\"id\":\"1\",\"source\":\"aws.ec2\",\"detail-type\":\"x\",\"time\":\"2026-11-22T10:00:00Z\",\"region\":\"us-east-2\"} | `detail` is missing",
            "null detail | {\"id\":\"1\",\"source\":\"aws.ec2\",\"detail-type\":\"x\",\"time\":\"2026-11-22T10:00:00Z\",\"region\":\"us-east-2\",\"detail\":null} | `detail` is missing",
            "string detail | {\"id\":\"1\",\"source\":\"aws.ec2\",\"detail-type\":\"x\",\"time\":\"2026-11-22T10:00:00Z\",\"region\":\"us-east-2\",\"detail\":\"x\"} | `detail` must be an object",
            "no id | {\"source\":\"aws.ec2\",\"detail-type\":\"x\",\"time\":\"2026-11-22T10:00:00Z\",\"region\":\"us-east-2\",\"detail\":{}} | `id` is missing",
            "no source | {\"id\":\"1\",\"detail-type\":\"x\",\"time\":\"2026-11-22T10:00:00Z\",\"region\":\"us-east-2\",\"detail\":{}} | `source` is missing",
            "no detail-type | {\"id\":\"1\",\"source\":\"aws.ec2\",\"time\":\"2026-11-22T10:00:00Z\",\"region\":\"us-east-2\",\"detail\":{}} | `detail-type` is missing",
            "numeric source | {\"id\":\"1\",\"source\":7,\"detail-type\":\"x\",\"time\":\"2026-11-22T10:00:00Z\",\"region\":\"us-east-2\",\"detail\":{}} | `source` must be a non-empty string",
            "no region | {\"id\":\"1\",\"source\":\"aws.ec2\",\"detail-type\":\"x\",\"time\":\"2026-11-22T10:00:00Z\",\"detail\":{}} | `region` is missing",
            "bad time | {\"id\":\"1\",\"source\":\"aws.ec2\",\"detail-type\":\"x\",\"time\":\"yyyy-mm-ddThh:mm:ssZ\",\"region\":\"us-east-2\",\"detail\":{}} | `time` is not an ISO-8601",
            "resources not array | {\"id\":\"1\",\"source\":\"aws.ec2\",\"detail-type\":\"x\",\"time\":\"2026-11-22T10:00:00Z\",\"region\":\"us-east-2\",\"resources\":\"r\",\"detail\":{}} | `resources` must be an array",
    })
    void parse_rejectsMalformedEvents_namingTheField(String name, String json, String expected) {
        BadEventException error = assertThrows(BadEventException.class, () -> parser.parse(json.getBytes(StandardCharsets.UTF_8)));

        assertTrue(error.getMessage().contains(expected), error.getMessage());
    }

    @Test
    void parse_rejectsEventsLargerThanEventBridgeAllows() {
        byte[] huge = ("{\"detail\":{\"x\":\"" + "a".repeat(EventParser.MAX_EVENT_BYTES) + "\"}}").getBytes(StandardCharsets.UTF_8);

        BadEventException error = assertThrows(BadEventException.class, () -> parser.parse(new ByteArrayInputStream(huge)));

        assertTrue(error.getMessage().contains("256 KiB"));
    }

    record Detail(@JsonProperty("count") int count) {
    }

    @Test
    void detail_wrongType_namesThePath() {
        EventEnvelope event = parser.parse("""
                {"id":"1","source":"s","detail-type":"d","time":"2026-11-22T10:00:00Z","region":"us-east-2","detail":{"count":{"a":1}}}
                """.getBytes(StandardCharsets.UTF_8));

        BadEventException error = assertThrows(BadEventException.class, () -> parser.detail(event, Detail.class));

        assertTrue(error.getMessage().contains("count"), error.getMessage());
    }

    @Test
    void abbreviate_cutsLongValues() {
        assertEquals(120, EventParser.abbreviate("x".repeat(500)).length());
    }

    @Test
    void parse_refusesAnEventFromAnotherAccount_whenTheFunctionKnowsItsOwn() {
        EventParser home = new EventParser(EventParser.newMapper(), "999999999999");

        BadEventException error = assertThrows(BadEventException.class, () -> home.parse(VALID.getBytes(StandardCharsets.UTF_8)));

        assertTrue(error.getMessage().contains("`account` is 123456789012 but this function acts in account 999999999999"), error.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "other account | arn:aws:ec2:us-east-2:999999999999:instance/i-1234567890abcdef0 | names account 999999999999",
            "other region | arn:aws:ec2:eu-west-1:123456789012:instance/i-1234567890abcdef0 | names region eu-west-1",
    })
    void parse_refusesResourcesOfAnotherAccountOrRegion(String name, String arn, String expected) {
        String json = VALID.replace("arn:aws:ec2:us-east-2:123456789012:instance/i-1234567890abcdef0", arn);

        BadEventException error = assertThrows(BadEventException.class, () -> parser.parse(json.getBytes(StandardCharsets.UTF_8)));

        assertTrue(error.getMessage().contains("`resources[0]` " + expected), error.getMessage());
    }

    @Test
    void parse_acceptsGlobalArnsAndPlainNames_inResources() {
        String json = VALID.replace("\"arn:aws:ec2:us-east-2:123456789012:instance/i-1234567890abcdef0\"",
                "\"arn:aws:s3:::a-bucket\", \"i-1234567890abcdef0\"");

        assertEquals(2, parser.parse(json.getBytes(StandardCharsets.UTF_8)).resources().size());
    }

    @Test
    void newParser_refusesAnAccountIdThatIsNotTwelveDigits() {
        ConfigException error = assertThrows(ConfigException.class,
                () -> new EventParser(EventParser.newMapper(), "12345"));

        assertTrue(error.getMessage().contains("DECKHAND_ACCOUNT_ID"), error.getMessage());
    }
}
