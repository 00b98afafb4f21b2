package dev.deckhand.ticket.planner;

/**
 * Why an event makes no ticket: {@code decision} is IGNORED, NOT_MANAGED or KEPT_OPEN, {@code reason}
 * the result's reason; {@code fingerprint} names the ticket kept open, else null.
 */
public record Skip(Decision decision, String reason, String fingerprint) {

    static Skip ignored(String reason) {
        return new Skip(Decision.IGNORED, reason, null);
    }

    static Skip notManaged(String reason) {
        return new Skip(Decision.NOT_MANAGED, reason, null);
    }
}
