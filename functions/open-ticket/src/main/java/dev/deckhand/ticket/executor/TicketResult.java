package dev.deckhand.ticket.executor;

import dev.deckhand.core.event.DeckhandResult;
import dev.deckhand.ticket.planner.Decision;
import dev.deckhand.ticket.planner.TicketKind;
import dev.deckhand.ticket.sink.SinkResult;
import java.util.List;

/**
 * What one event did; the handler writes it as the invocation's result.
 *
 * @param trigger  what the event is about
 * @param decision TICKETED, CHAT_ONLY, IGNORED (below the threshold, a state not ticketed), NOT_MANAGED,
 *                 DRY_RUN_TICKET, KEPT_OPEN, GONE, CLOSED or NOTHING_OPEN
 * @param body     the ticket body as plain text (OpsCenter gets it as Markdown), for the replay and the log of a dry run
 * @param httpRequests the HTTP requests the sinks made (retries included), set by the handler
 */
public record TicketResult(String eventId, TicketKind trigger, Decision decision, String reason, boolean dryRun, String fingerprint,
                           String title, Integer priority, List<String> deployedIn, List<SinkResult> sinks, SinkResult chat,
                           String body, Integer httpRequests) implements DeckhandResult {

    /** Nothing sent to a sink: {@code fingerprint} names the ticket left as it is (KEPT_OPEN), else null. */
    static TicketResult skipped(String eventId, TicketKind kind, Decision decision, String reason, boolean dryRun, String fingerprint) {
        return new TicketResult(eventId, kind, decision, reason, dryRun, fingerprint, null, null, null, List.of(), null, null, null);
    }

    /** One chat line and no ticket. */
    static TicketResult chatOnly(String eventId, TicketKind kind, String reason, boolean dryRun, SinkResult chat) {
        return new TicketResult(eventId, kind, Decision.CHAT_ONLY, reason, dryRun, null, null, null, null, List.of(), chat, null, null);
    }

    /** A group of tickets closed, or found with nothing open. */
    static TicketResult closed(String eventId, TicketKind kind, Decision decision, String reason, boolean dryRun, List<SinkResult> sinks) {
        return new TicketResult(eventId, kind, decision, reason, dryRun, null, null, null, null, sinks, null, null, null);
    }

    /**
     * A ticket sent to the sinks (TICKETED; DRY_RUN_TICKET: only searched for), with the chat line that followed it.
     *
     * @param deployedIn the cluster/service pairs the ticket names
     * @param body       the ticket's body as plain text
     */
    static TicketResult ticketed(String eventId, TicketKind kind, Decision decision, String reason, boolean dryRun, String fingerprint,
                                 String title, int priority, List<String> deployedIn, List<SinkResult> sinks, SinkResult chat, String body) {
        return new TicketResult(eventId, kind, decision, reason, dryRun, fingerprint, title, priority, deployedIn, sinks, chat, body, null);
    }

    /** With the HTTP requests the sinks made in this invocation. */
    public TicketResult withHttpRequests(int requests) {
        return new TicketResult(eventId, trigger, decision, reason, dryRun, fingerprint, title, priority, deployedIn, sinks, chat, body,
                requests);
    }
}
