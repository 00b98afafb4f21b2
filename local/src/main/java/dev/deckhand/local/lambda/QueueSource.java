package dev.deckhand.local.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Plays Lambda's SQS event source mapping for one queue: receives a batch, hands it to the
 * function as an SQS event ({@code Records}), deletes what succeeded and lets SQS deliver again
 * what the function listed in {@code batchItemFailures} (or all of it when the invocation failed).
 *
 * <pre>{@code
 * QueueSource source = new QueueSource(sqs, "DrainRecheckQueue", "us-east-2", 10);
 * List<Message> batch = source.receive();
 * Invocation answer = process.invoke(source.event(batch, skipped));
 * source.settle(batch, answer);
 * }</pre>
 *
 * Time compression: a replay skips a delay queue's waits ({@code sqs/release-delayed}), but the
 * function's clock is the real one; so the ISO times in a message's fields named {@code ...At}
 * are moved back by the skipped time before delivery, as if that time had passed. This assumes
 * one chain of messages (each message sent by the invocation just before), which is what one
 * replayed event produces.
 */
public final class QueueSource {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The visibility timeout of template.yaml's queues is longer; a replay redelivers at once. */
    private static final int VISIBILITY_SECONDS = 30;

    private final SqsClient sqs;
    private final String queueName;
    private final String queueUrl;
    private final String region;
    private final int batchSize;

    public QueueSource(SqsClient sqs, String queueName, String region, int batchSize) {
        this.sqs = sqs;
        this.queueName = queueName;
        this.queueUrl = sqs.getQueueUrl(r -> r.queueName(queueName)).queueUrl();
        this.region = region;
        this.batchSize = batchSize;
    }

    public String queueName() {
        return queueName;
    }

    /** The visible messages, at most one batch; empty when none is visible. */
    public List<Message> receive() {
        return sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(Math.min(10, batchSize))
                .visibilityTimeout(VISIBILITY_SECONDS)
                .attributeNamesWithStrings("ApproximateReceiveCount")
                .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
    }

    /** The SQS event Lambda would invoke the function with, each body's {@code ...At} times moved back by {@code skipped}. */
    public byte[] event(List<Message> batch, Duration skipped) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode records = root.putArray("Records");
        for (Message message : batch) {
            ObjectNode record = records.addObject();
            record.put("messageId", message.messageId());
            record.put("receiptHandle", message.receiptHandle());
            record.put("body", shift(message.body(), skipped));
            ObjectNode attributes = record.putObject("attributes");
            attributes.put("ApproximateReceiveCount",
                    message.attributes().getOrDefault(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "1"));
            record.put("eventSource", "aws:sqs");
            record.put("eventSourceARN", "arn:aws:sqs:" + region + ":123456789012:" + queueName);
            record.put("awsRegion", region);
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes the messages the function handled; the others become visible again. */
    public Set<String> settle(List<Message> batch, Invocation answer) {
        Set<String> failed = new HashSet<>();
        if (answer.error()) {
            batch.forEach(m -> failed.add(m.messageId()));
        } else {
            try {
                JSON.readTree(answer.body()).path("batchItemFailures")
                        .forEach(f -> failed.add(f.path("itemIdentifier").asText()));
            } catch (IOException e) {
                batch.forEach(m -> failed.add(m.messageId())); // Lambda treats an unreadable answer as a failed batch
            }
        }
        for (Message message : batch) {
            if (failed.contains(message.messageId())) {
                sqs.changeMessageVisibility(r -> r.queueUrl(queueUrl).receiptHandle(message.receiptHandle()).visibilityTimeout(0));
            } else {
                sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
            }
        }
        return failed;
    }

    static String shift(String body, Duration skipped) {
        if (skipped.isZero()) {
            return body;
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            return body;
        }
        if (!(root instanceof ObjectNode object)) {
            return body;
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().endsWith("At") && field.getValue().isTextual()) {
                try {
                    field.setValue(JSON.getNodeFactory().textNode(Instant.parse(field.getValue().asText()).minus(skipped).toString()));
                } catch (DateTimeParseException e) {
                    // not a time: left as it is
                }
            }
        }
        return object.toString();
    }
}
