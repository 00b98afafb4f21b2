package dev.deckhand.local.failures;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * One failure queue, read without consuming it: messages are received with a visibility timeout
 * long enough to decide and re-deliver, and every message not deleted is made visible again at
 * once ({@link #release}), so a listing or a dry run leaves the queue as it found it.
 *
 * @param name a short name for the user (the stack output's key, or the queue's name)
 */
record FailureQueue(String name, String url) {

    /** Long enough to re-deliver every message read (a few seconds each at most); released before that anyway. */
    static int visibilitySeconds(int max) {
        return Math.min(43_200, 60 + 5 * max);
    }

    static FailureQueue ofUrl(String url) {
        return new FailureQueue(url.substring(url.lastIndexOf('/') + 1), url);
    }

    /** Up to {@code max} messages; stops at the first empty long poll (which asks every SQS server). */
    List<Message> receive(SqsClient sqs, int max) {
        List<Message> messages = new ArrayList<>();
        while (messages.size() < max) {
            int batch = Math.min(10, max - messages.size());
            ReceiveMessageResponse response = sqs.receiveMessage(r -> r.queueUrl(url)
                    .maxNumberOfMessages(batch)
                    .waitTimeSeconds(1)
                    .visibilityTimeout(visibilitySeconds(max))
                    .messageAttributeNames("All")
                    .messageSystemAttributeNames(MessageSystemAttributeName.SENT_TIMESTAMP));
            if (!response.hasMessages() || response.messages().isEmpty()) {
                break;
            }
            messages.addAll(response.messages());
        }
        return messages;
    }

    /** Visible again now: the message is back as it was. */
    void release(SqsClient sqs, String receiptHandle) {
        sqs.changeMessageVisibility(r -> r.queueUrl(url).receiptHandle(receiptHandle).visibilityTimeout(0));
    }

    void delete(SqsClient sqs, String receiptHandle) {
        sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(receiptHandle));
    }
}
