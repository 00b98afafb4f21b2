package dev.deckhand.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.core.aws.AwsCallCounter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** What {@link EventInvocation} writes around a function's result, without AWS: the head first, then awsCalls, then timing. */
class EventInvocationResultTest {

    private static final ObjectMapper JSON = EventParser.newMapper();
    private final AwsCallCounter calls = new AwsCallCounter();

    enum Trigger { SCHEDULE }

    enum Decision { RAISED }

    record Result(String eventId, Trigger trigger, Decision decision, String reason, boolean dryRun, List<String> levers)
            implements DeckhandResult {
    }

    @Test
    void run_writesTheHeadFirst_thenTheResultsOwnFields_thenAwsCallsAndTiming() throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();

        EventInvocation.run("req-1", calls, LoggerFactory.getLogger(EventInvocationResultTest.class), "test", JSON, output, () -> {
            calls.record("ecs:ListClusters");
            calls.record("autoscaling:SetDesiredCapacity");
            calls.record("ecs:ListClusters");
            return new Result("e-1", Trigger.SCHEDULE, Decision.RAISED, "one lever raised", false, List.of("asg-od"));
        });

        JsonNode answer = JSON.readTree(output.toByteArray());
        assertEquals(List.of("eventId", "trigger", "decision", "reason", "dryRun", "levers", "awsCalls", "timing"), names(answer));
        assertEquals("SCHEDULE", answer.path("trigger").asText());
        assertEquals("RAISED", answer.path("decision").asText());
        assertFalse(answer.path("dryRun").asBoolean());
        assertEquals(Map.of("ecs:ListClusters", 2, "autoscaling:SetDesiredCapacity", 1),
                JSON.convertValue(answer.path("awsCalls"), Map.class));
        assertTrue(answer.path("timing").has("handlerMs"), answer.toString());
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Detailed(String eventId, Trigger trigger, Decision decision, String reason, boolean dryRun, String absent,
                    List<Lever> levers, Map<String, Integer> byCluster) implements DeckhandResult {
    }

    record Lever(String id, Integer raisedBy, List<String> notes) {
    }

    @Test
    void run_writesTheResultsFieldsAsJacksonWritesTheResult_nullsLeftOutAndNestedValuesWhole() throws IOException {
        Detailed result = new Detailed("e-3", Trigger.SCHEDULE, Decision.RAISED, "two levers", false, null,
                List.of(new Lever("asg-od", 2, List.of("a", "b")), new Lever("fleet-1", null, List.of())),
                Map.of("blue", 1));
        ByteArrayOutputStream output = new ByteArrayOutputStream();

        EventInvocation.run("req-4", calls, LoggerFactory.getLogger(EventInvocationResultTest.class), "test", JSON, output,
                () -> result);

        ObjectNode answer = (ObjectNode) JSON.readTree(output.toByteArray());
        answer.remove(List.of("awsCalls", "timing"));
        assertEquals(JSON.valueToTree(result), answer);
    }

    @Test
    void run_resetsTheCounter_soAnInvocationCountsOnlyItsOwnCalls() throws IOException {
        calls.record("ecs:ListClusters");
        ByteArrayOutputStream output = new ByteArrayOutputStream();

        EventInvocation.run("req-2", calls, LoggerFactory.getLogger(EventInvocationResultTest.class), "test", JSON, output,
                () -> new Result("e-2", Trigger.SCHEDULE, Decision.RAISED, "nothing called", true, List.of()));

        JsonNode answer = JSON.readTree(output.toByteArray());
        assertTrue(answer.path("awsCalls").isObject() && answer.path("awsCalls").isEmpty(), answer.toString());
        assertTrue(answer.path("dryRun").asBoolean());
    }

    @Test
    void runBatch_answersAsSqsReadsIt_withTimingAndNoAwsCalls() throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();

        EventInvocation.runBatch("req-3", calls, LoggerFactory.getLogger(EventInvocationResultTest.class), "test", JSON, output,
                () -> {
                    calls.record("sqs:SendMessage");
                    return Map.of("batchItemFailures", List.of());
                });

        JsonNode answer = JSON.readTree(output.toByteArray());
        assertEquals(List.of("batchItemFailures", "timing"), names(answer));
    }

    @Test
    void runBatch_aResultThatIsNotAnObject_isWrittenAsItIs() throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();

        EventInvocation.runBatch("req-5", calls, LoggerFactory.getLogger(EventInvocationResultTest.class), "test", JSON, output,
                () -> List.of("a", "b"));

        assertEquals("[\"a\",\"b\"]", output.toString(StandardCharsets.UTF_8));
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
