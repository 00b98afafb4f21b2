package dev.deckhand.drain.handler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.emulator.MovableClock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Plays Lambda's SQS event source mapping for the tests: moves time to the next message due (a
 * delayed message, or one in flight whose visibility timeout ends; the emulator releases it and
 * moves its clock, and this clock advances as much), delivers batches as Lambda does
 * ({@code Records} with ApproximateReceiveCount), deletes what succeeded, and leaves what the
 * handler reported in {@code batchItemFailures} (or all of a batch that failed whole) in flight,
 * so SQS delivers it again when its visibility timeout ends: 360 s after the receive, or whatever
 * the handler set with ChangeMessageVisibility.
 */
final class RecheckPoller {

    static final Duration VISIBILITY_TIMEOUT = Duration.ofSeconds(360);
    private final TestAccount account;
    private final SqsClient sqs;
    private final MovableClock clock;
    int deliveries;

    RecheckPoller(TestAccount account, MovableClock clock) {
        this.account = account;
        this.sqs = account.aws.client(SqsClient.builder(), TestAccount.REGION);
        this.clock = clock;
    }

    /** Delivers until the queue is empty or {@code maxDeliveries} batches were delivered. */
    void drainQueue(DrainInstanceHandler handler, int maxDeliveries) {
        while (deliveries < maxDeliveries) {
            List<Message> batch = sqs.receiveMessage(r -> r.queueUrl(account.queueUrl).maxNumberOfMessages(10)
                    .visibilityTimeout((int) VISIBILITY_TIMEOUT.toSeconds())
                    .attributeNamesWithStrings("ApproximateReceiveCount")
                    .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
            if (batch.isEmpty()) {
                JsonNode released = account.aws.control("sqs/release-delayed",
                        Map.of("region", TestAccount.REGION, "queue", "DrainRecheckQueue", "inFlight", true));
                if (released.path("released").asInt() == 0) {
                    return;
                }
                clock.advance(Duration.ofSeconds(released.path("seconds").asLong()));
                continue;
            }
            deliveries++;
            Set<String> failed = new HashSet<>();
            try {
                JsonNode answer = TestAccount.invoke(handler, records(batch));
                answer.path("batchItemFailures").forEach(f -> failed.add(f.path("itemIdentifier").asText()));
            } catch (Exception e) {
                batch.forEach(m -> failed.add(m.messageId()));
            }
            for (Message message : batch) {
                if (!failed.contains(message.messageId())) {
                    sqs.deleteMessage(r -> r.queueUrl(account.queueUrl).receiptHandle(message.receiptHandle()));
                }
            }
        }
    }

    private static String records(List<Message> batch) {
        ObjectNode root = TestAccount.JSON.createObjectNode();
        ArrayNode records = root.putArray("Records");
        for (Message message : batch) {
            ObjectNode record = records.addObject();
            record.put("messageId", message.messageId());
            record.put("receiptHandle", message.receiptHandle());
            record.put("body", message.body());
            String receives = message.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
            if (receives == null) {
                throw new IllegalStateException("SQS did not answer ApproximateReceiveCount: " + message.attributesAsStrings());
            }
            record.putObject("attributes").put("ApproximateReceiveCount", receives);
            record.put("eventSource", "aws:sqs");
            record.put("eventSourceARN", "arn:aws:sqs:us-east-2:123456789012:DrainRecheckQueue");
            record.put("awsRegion", "us-east-2");
        }
        return root.toString();
    }
}
