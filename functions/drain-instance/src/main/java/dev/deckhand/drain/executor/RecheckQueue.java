package dev.deckhand.drain.executor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deckhand.drain.planner.RecheckMessage;
import java.time.Duration;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The wait between checks of a lifecycle hook: the next check is a message to the recheck queue,
 * delayed by SQS, which invokes this function again. No Lambda waits in between. A check that
 * failed is delivered again sooner than the queue's visibility timeout: {@link #retryAfter} sets
 * the received message's visibility (sqs:ChangeMessageVisibility), and the handler reports it in
 * {@code batchItemFailures}, so SQS counts the receive and its redrive policy still applies.
 * The same queue carries the other {@link RecheckMessage}s: the hops of a drain that waits for an AWS
 * Health scheduled change, the retirement requests that wait for the disruption budget, and the bound
 * of a drain for a rebalance recommendation.
 */
public final class RecheckQueue {

    private final SqsClient sqs;
    private final String queueUrl;
    private final ObjectMapper mapper;

    public RecheckQueue(SqsClient sqs, String queueUrl, ObjectMapper mapper) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.mapper = mapper;
    }

    /** A hook's next check, a scheduled drain's next hop, a deferred retirement or a rebalance drain's bound, after {@code delay}. */
    public void send(RecheckMessage message, Duration delay) {
        String body;
        try {
            body = mapper.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(body).delaySeconds((int) Math.min(900, delay.toSeconds())));
    }

    /** The received message {@code receiptHandle} becomes visible again after {@code delay}, instead of the visibility timeout. */
    public void retryAfter(String receiptHandle, Duration delay) {
        sqs.changeMessageVisibility(r -> r.queueUrl(queueUrl).receiptHandle(receiptHandle)
                .visibilityTimeout((int) Math.min(900, delay.toSeconds())));
    }
}
