package dev.deckhand.drain.planner;

/**
 * One message of a batch from the recheck queue, as the handler parsed it.
 *
 * @param messageId     SQS's id, reported in {@code batchItemFailures} when the message failed
 * @param receiptHandle what changes the message's visibility (a failed hook check comes back sooner)
 * @param receives      SQS's ApproximateReceiveCount, this receive included
 * @param message       what the message carries
 */
public record Recheck(String messageId, String receiptHandle, int receives, RecheckMessage message) {
}
