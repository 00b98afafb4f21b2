package dev.deckhand.ticket.planner;

/**
 * One short chat line: {@code text} is already Slack mrkdwn, every value escaped with {@link Markup#slack}.
 *
 * @param kind DEPLOYMENT_STARTED, DEPLOYMENT_SUCCEEDED, DEPLOYMENT_FAILED, ...
 */
public record ChatMessage(String kind, String text) {

    /** Slack's limit for a message's text is 40,000 characters; a chat line is meant to be short. */
    public static final int MAX_CHARS = 3_000;

    public ChatMessage {
        text = Markup.cap(text, MAX_CHARS);
    }
}
