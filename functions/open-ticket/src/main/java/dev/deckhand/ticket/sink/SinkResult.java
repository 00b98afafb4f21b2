package dev.deckhand.ticket.sink;

/**
 * What one sink did with one ticket or message.
 *
 * @param action CREATED, UPDATED, UNCHANGED (found, same content), CLOSED, COMMENTED, NOT_FOUND (nothing to close),
 *               POSTED (chat), or WOULD_* in a dry run
 * @param id     the sink's id (OpsItem id, issue number, Jira key), when known
 */
public record SinkResult(String sink, String action, String id, String url) {
}
