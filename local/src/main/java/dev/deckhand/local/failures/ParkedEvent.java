package dev.deckhand.local.failures;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.deckhand.core.event.EventParser;
import dev.deckhand.drain.planner.RecheckMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * One message of a failure queue, read into what a person needs to decide on it: which function
 * it was for, why it failed, when, and which event it carries (source, detail-type and id only:
 * never the whole event, which may hold what a log must not).
 *
 * <p>Two kinds are re-deliverable:
 * <ul>
 * <li>a Lambda destination record (a function's OnFailure queue): a JSON document with
 *     {@code requestContext} ({@code functionArn}, {@code condition}, {@code approximateInvokeCount}),
 *     {@code responsePayload} ({@code errorType}, {@code errorMessage}) and the original event as
 *     {@code requestPayload} ("Capturing records of Lambda asynchronous invocations",
 *     https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html);</li>
 * <li>an EventBridge dead-letter message (the rules' queue): the event itself as the body, and the
 *     message attributes {@code ERROR_CODE}, {@code ERROR_MESSAGE}, {@code EXHAUSTED_RETRY_CONDITION},
 *     {@code RETRY_ATTEMPTS}, {@code RULE_ARN}, {@code TARGET_ARN} ("Using dead-letter queues to
 *     process undelivered events in EventBridge",
 *     https://docs.aws.amazon.com/eventbridge/latest/userguide/rule-dlq.html).</li>
 * </ul>
 * A drain-instance recheck message its queue gave up on after the last receive (a hook check, a
 * scheduled drain's hop, a watch, a deferred retirement; its redrive policy moves it to the function's
 * failure queue) goes back to the recheck queue as it is. Anything else (an event of a function that
 * is not the stack's, a body that is not JSON) is shown with the reason and never re-delivered.
 *
 * <pre>{@code
 * ParkedEvent parked = ParkedEvent.read("DrainInstanceFailureQueue", message, name -> stackFunctions.contains(name));
 * if (parked.redeliverable()) lambda.invoke(parked.functionArn(), parked.payload());
 * }</pre>
 *
 * @param function    the function's ARN as the record names it, or null
 * @param why         the failure as AWS recorded it, URLs redacted and shortened
 * @param when        when the record was written (ISO-8601), or null
 * @param skipReason  why it is not re-delivered, or null when it may be
 * @param payload     the exact event to re-deliver, or null
 */
public record ParkedEvent(String queue, String messageId, String receiptHandle, Kind kind, String function,
                          String why, String when, String source, String detailType, String eventId,
                          String skipReason, byte[] payload) {

    /** What a failure queue message is. */
    public enum Kind {
        /** A function's OnFailure destination record: the function failed after Lambda's retries. */
        FUNCTION_FAILURE,
        /** An EventBridge rule's dead-letter message: EventBridge could not deliver the event. */
        RULE_DEAD_LETTER,
        /** A drain-instance recheck message its recheck queue gave up on: it goes back to that queue. */
        RECHECK,
        /** Neither of these, or not a Deckhand event. */
        OTHER,
        /** A body that cannot be read. */
        MALFORMED
    }

    /** Numbers kept as written (7.50 stays 7.50): a re-delivered event is the event that failed, byte for byte where JSON allows. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();
    /** drain-instance's own reader of its recheck messages. */
    private static final ObjectMapper RECHECK_READER = new EventParser().mapper();
    private static final Pattern URL = Pattern.compile("\\b[a-zA-Z][a-zA-Z0-9+.-]*://\\S+");
    private static final Pattern FUNCTION_ARN = Pattern.compile("arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\\d{12}):function:([A-Za-z0-9_-]+)(:[^:]+)?");
    private static final int MAX_WHY = 240;

    public boolean redeliverable() {
        return skipReason == null;
    }

    /** The function's unqualified ARN, the one a re-delivery invokes (its current code). */
    public String unqualifiedFunctionArn() {
        Matcher matcher = function == null ? null : FUNCTION_ARN.matcher(function);
        return matcher != null && matcher.matches() ? function.substring(0, matcher.end(3)) : function;
    }

    /** The function's name from its ARN, or null. */
    public static String functionName(String arn) {
        Matcher matcher = arn == null ? null : FUNCTION_ARN.matcher(arn);
        return matcher != null && matcher.matches() ? matcher.group(3) : null;
    }

    /** The account and region of a function ARN ({@code region:account}), or null. */
    static String functionPlace(String arn) {
        Matcher matcher = arn == null ? null : FUNCTION_ARN.matcher(arn);
        return matcher != null && matcher.matches() ? matcher.group(1) + ":" + matcher.group(2) : null;
    }

    /**
     * @param stackFunction whether a function ARN is one of the stack's functions: only their events
     *                      are re-delivered
     */
    public static ParkedEvent read(String queue, Message message, Predicate<String> stackFunction) {
        String body = message.body() == null ? "" : message.body();
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            return malformed(queue, message, "the body is not JSON");
        }
        if (root == null || !root.isObject()) {
            return malformed(queue, message, "the body is not a JSON object");
        }
        Map<String, MessageAttributeValue> attributes = message.messageAttributes();
        String sent = message.attributes().get(MessageSystemAttributeName.SENT_TIMESTAMP);
        String sentAt = sent == null ? null : sentTime(sent);
        if (attributes.containsKey("TARGET_ARN") || attributes.containsKey("RULE_ARN")) {
            String target = text(attributes.get("TARGET_ARN"));
            StringBuilder why = new StringBuilder();
            append(why, text(attributes.get("ERROR_CODE")));
            append(why, text(attributes.get("ERROR_MESSAGE")));
            String exhausted = text(attributes.get("EXHAUSTED_RETRY_CONDITION"));
            String retries = text(attributes.get("RETRY_ATTEMPTS"));
            if (exhausted != null) {
                append(why, "(" + exhausted + (retries == null ? "" : " after " + retries + " retries") + ")");
            }
            String rule = text(attributes.get("RULE_ARN"));
            if (rule != null) {
                append(why, "rule " + rule.substring(rule.lastIndexOf('/') + 1));
            }
            return event(queue, message, Kind.RULE_DEAD_LETTER, target, why.toString(), sentAt, root,
                    body.getBytes(StandardCharsets.UTF_8), stackFunction);
        }
        if (root.has("requestContext") || root.has("requestPayload")) {
            JsonNode context = root.path("requestContext");
            String functionArn = context.path("functionArn").asText(null);
            StringBuilder why = new StringBuilder();
            append(why, context.path("condition").asText(null));
            if (context.has("approximateInvokeCount")) {
                append(why, "after " + context.path("approximateInvokeCount").asText() + " invocations:");
            }
            JsonNode response = root.path("responsePayload");
            if (response.isObject()) {
                append(why, response.path("errorType").asText(null));
                append(why, response.path("errorMessage").asText(null));
            } else if (response.isTextual()) {
                append(why, response.asText());
            }
            String when = root.path("timestamp").asText(sentAt);
            JsonNode request = root.path("requestPayload");
            if (!request.isObject()) {
                return malformed(queue, message, "the destination record has no requestPayload object");
            }
            byte[] payload;
            try {
                payload = JSON.writeValueAsBytes(request);
            } catch (IOException e) {
                return malformed(queue, message, "its requestPayload cannot be written back: " + e.getMessage());
            }
            return event(queue, message, Kind.FUNCTION_FAILURE, functionArn, why.toString(), when, request, payload, stackFunction);
        }
        RecheckMessage recheck = recheckMessage(root);
        if (recheck != null) {
            return new ParkedEvent(queue, message.messageId(), message.receiptHandle(), Kind.RECHECK, null,
                    "drain-instance's recheck queue gave up on this " + recheck.getClass().getSimpleName() + " after its last receive",
                    sentAt, null, null, recheck.eventId(), null, body.getBytes(StandardCharsets.UTF_8));
        }
        return new ParkedEvent(queue, message.messageId(), message.receiptHandle(), Kind.OTHER, null, null, sentAt,
                null, null, null,
                "neither a Lambda destination record, an EventBridge dead-letter message nor a drain-instance recheck message", null);
    }

    /** The body as drain-instance reads a recheck message, or null when it is none. */
    private static RecheckMessage recheckMessage(JsonNode body) {
        try {
            return RECHECK_READER.treeToValue(body, RecheckMessage.typeOf(body));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static ParkedEvent event(String queue, Message message, Kind kind, String functionArn, String why,
                                     String when, JsonNode event, byte[] payload, Predicate<String> stackFunction) {
        String source = event.path("source").isTextual() ? event.path("source").asText() : null;
        String detailType = event.path("detail-type").isTextual() ? event.path("detail-type").asText() : null;
        String id = event.path("id").isTextual() ? event.path("id").asText() : null;
        String shortWhy = shorten(why);
        String skip = null;
        if (functionArn == null || functionName(functionArn) == null) {
            return new ParkedEvent(queue, message.messageId(), message.receiptHandle(), Kind.MALFORMED, functionArn, shortWhy,
                    when, source, detailType, id, "it names no Lambda function ARN", null);
        }
        if (source == null && event.path("deckhand").isTextual()) {
            // template.yaml's reconcile rule sends a constant Input, not an event; it runs again on its schedule.
            skip = "a schedule's constant input (deckhand: " + shorten(event.path("deckhand").asText())
                    + "), not an event: the next run of the schedule does its work";
        } else if (source == null || detailType == null || id == null) {
            skip = "its payload is not an EventBridge event (no source, detail-type or id)";
        } else if (!stackFunction.test(functionArn)) {
            skip = "function " + functionName(functionArn) + " is not one of the stack's functions";
        }
        return new ParkedEvent(queue, message.messageId(), message.receiptHandle(), skip == null ? kind : Kind.OTHER,
                functionArn, shortWhy, when, source, detailType, id, skip, skip == null ? payload : null);
    }

    private static ParkedEvent malformed(String queue, Message message, String reason) {
        return new ParkedEvent(queue, message.messageId(), message.receiptHandle(), Kind.MALFORMED, null, null, null,
                null, null, null, reason, null);
    }

    private static String sentTime(String epochMillis) {
        try {
            return Instant.ofEpochMilli(Long.parseLong(epochMillis)).toString();
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String text(MessageAttributeValue value) {
        return value == null ? null : value.stringValue();
    }

    private static void append(StringBuilder to, String part) {
        if (part != null && !part.isBlank()) {
            if (!to.isEmpty()) {
                to.append(' ');
            }
            to.append(part.strip());
        }
    }

    /** One line: URLs (a webhook's path is its credential) replaced, newlines folded, length capped. */
    static String shorten(String why) {
        if (why == null || why.isBlank()) {
            return "(no error recorded)";
        }
        String line = URL.matcher(why).replaceAll("<url>").replaceAll("\\s+", " ").strip();
        return line.length() <= MAX_WHY ? line : line.substring(0, MAX_WHY) + "...";
    }
}
