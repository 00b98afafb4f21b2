package dev.deckhand.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Pins emulator/python/deckhand_emulator/events_fixes.py: an event a rule delivers to an SQS queue,
 * on the default bus or on a bus of the account's own, carries the event structure's top-level fields,
 * {@code account} among them (EventBridge User Guide, "Amazon EventBridge event structure",
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html); and an event
 * reaches only the rules of the bus it was put on (EventBridge User Guide, "Event buses",
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-bus.html).
 */
@Tag("emulator")
class EventsFidelityTest extends EmptyAccountTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void ruleOnAnOwnBus_deliversTheEventWithItsAccount_andOnlyEventsPutOnThatBus() throws IOException {
        SqsClient sqs = aws.client(SqsClient.builder(), REGION);
        EventBridgeClient events = aws.client(EventBridgeClient.builder(), REGION);
        events.createEventBus(r -> r.name("deckhand-deckhand"));
        String url = sqs.createQueue(r -> r.queueName("requests")).queueUrl();
        String arn = sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNamesWithStrings("QueueArn")).attributesAsStrings().get("QueueArn");
        events.putRule(r -> r.name("requests").eventBusName("deckhand-deckhand").eventPattern("{\"source\":[\"deckhand\"]}"));
        events.putTargets(r -> r.rule("requests").eventBusName("deckhand-deckhand").targets(t -> t.id("queue").arn(arn)));

        events.putEvents(r -> r.entries(e -> e.source("deckhand").detailType("on the default bus").detail("{}")));
        events.putEvents(r -> r.entries(e -> e.source("deckhand").detailType("on Deckhand's bus").detail("{}").eventBusName("deckhand-deckhand")));

        List<Message> delivered = sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10)).messages();
        assertEquals(1, delivered.size(), delivered.toString());
        JsonNode event = JSON.readTree(delivered.get(0).body());
        assertEquals("on Deckhand's bus", event.path("detail-type").asText());
        assertEquals("123456789012", event.path("account").asText(), event.toString());
        assertEquals(REGION, event.path("region").asText());
    }
}
