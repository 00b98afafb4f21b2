package dev.deckhand.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.UUID;

/**
 * EventBridge events for tests, the envelope written once: the fields of the EventBridge User
 * Guide's "Event structure reference" (version, id, detail-type, source, account, time, region,
 * resources, detail), in that order, with Deckhand's test defaults (account {@value #ACCOUNT}, region
 * {@value NoAws#REGION}, time {@value #TIME}, no resources, an empty detail). Keep a text block only
 * where the raw shape is the point of a test (an AWS documentation sample, a malformed envelope).
 *
 * <pre>{@code
 * String event = Envelopes.event(EventTypes.SOURCE_EC2, EventTypes.SPOT_INTERRUPTION_WARNING)
 *         .resources("arn:aws:ec2:us-east-2:123456789012:instance/i-1234567890abcdef0")
 *         .detail("""
 *                 {"instance-id":"i-1234567890abcdef0","instance-action":"terminate"}""")
 *         .json();
 * }</pre>
 */
public final class Envelopes {

    /** The account every test event comes from (and every test ARN names). */
    public static final String ACCOUNT = "123456789012";
    /** The region every test event comes from: where the functions' test configurations act. */
    public static final String REGION = NoAws.REGION;
    /** The default event time, which the functions' test clocks are set near. */
    public static final String TIME = "2026-11-22T10:00:00Z";
    /** The default event id. */
    public static final String ID = "12345678-1234-1234-1234-123456789012";

    private Envelopes() {
    }

    /** An event of {@code source} / {@code detailType} with the defaults; change a field with the builder's methods. */
    public static Event event(String source, String detailType) {
        return new Event(source, detailType);
    }

    /** One event being built; {@link #json()} writes it. */
    public static final class Event {

        private final ObjectNode envelope = Handlers.JSON.createObjectNode();

        private Event(String source, String detailType) {
            envelope.put("version", "0").put("id", ID).put("detail-type", detailType).put("source", source)
                    .put("account", ACCOUNT).put("time", TIME).put("region", REGION);
            envelope.putArray("resources");
            envelope.putObject("detail");
        }

        public Event id(String id) {
            envelope.put("id", id);
            return this;
        }

        /** A random id: for tests that send several events that must each count as a new one. */
        public Event freshId() {
            return id(UUID.randomUUID().toString());
        }

        public Event time(String time) {
            envelope.put("time", time);
            return this;
        }

        public Event time(Instant time) {
            return time(time.toString());
        }

        public Event region(String region) {
            envelope.put("region", region);
            return this;
        }

        public Event account(String account) {
            envelope.put("account", account);
            return this;
        }

        /** The event's resources (ARNs), replacing any set before. */
        public Event resources(String... arns) {
            ArrayNode resources = envelope.putArray("resources");
            for (String arn : arns) {
                resources.add(arn);
            }
            return this;
        }

        /** The detail, given as JSON text (a text block reads like the AWS sample it follows). */
        public Event detail(String json) {
            try {
                return detail(Handlers.JSON.readTree(json));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException("the detail is not JSON: " + json, e);
            }
        }

        public Event detail(JsonNode detail) {
            envelope.set("detail", detail);
            return this;
        }

        /** The envelope as a tree, to change further (remove a field, set a wrong type). */
        public ObjectNode tree() {
            return envelope.deepCopy();
        }

        /** The event as Lambda receives it. */
        public String json() {
            try {
                return Handlers.JSON.writeValueAsString(envelope);
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String toString() {
            return json();
        }
    }
}
