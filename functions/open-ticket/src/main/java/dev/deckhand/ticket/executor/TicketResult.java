package dev.deckhand.ticket.executor;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.deckhand.ticket.planner.Decision;
import dev.deckhand.ticket.planner.TicketKind;
import dev.deckhand.ticket.sink.SinkResult;
import java.util.List;
import java.util.Map;

/**
 * What one event did; the handler writes it as the invocation's result.
 *
 * @param kind     a {@link TicketKind}
 * @param decision a {@link Decision}: TICKETED, CHAT_ONLY, IGNORED (below the threshold, a state not ticketed), NOT_MANAGED,
 *                 DRY_RUN_TICKET, KEPT_OPEN, GONE, CLOSED or NOTHING_OPEN
 * @param body     the ticket body as plain text (OpsCenter gets it as Markdown), for the replay and the log of a dry run
 */
public record TicketResult(String eventId, @JsonProperty("trigger") String kind, String decision, String reason, boolean dryRun, String fingerprint,
                           String title, Integer priority, List<String> deployedIn, List<SinkResult> sinks, SinkResult chat,
                           String body, Map<String, Integer> awsCalls, Integer httpRequests) {

    /** Nothing sent to a sink: {@code fingerprint} names the ticket left as it is (KEPT_OPEN), else null. */
    static TicketResult skipped(String eventId, TicketKind kind, Decision decision, String reason, boolean dryRun, String fingerprint) {
        return new TicketResult(eventId, kind.name(), decision.name(), reason, dryRun, fingerprint, null, null, null, List.of(), null,
                null, null, null);
    }

    /** One chat line and no ticket. */
    static TicketResult chatOnly(String eventId, TicketKind kind, String reason, boolean dryRun, SinkResult chat) {
        return new TicketResult(eventId, kind.name(), Decision.CHAT_ONLY.name(), reason, dryRun, null, null, null, null, List.of(), chat,
                null, null, null);
    }

    /** A group of tickets closed, or found with nothing open. */
    static TicketResult closed(String eventId, TicketKind kind, Decision decision, String reason, boolean dryRun, List<SinkResult> sinks) {
        return new TicketResult(eventId, kind.name(), decision.name(), reason, dryRun, null, null, null, null, sinks, null, null, null,
                null);
    }

    public TicketResult withCalls(Map<String, Integer> calls, int http) {
        return new TicketResult(eventId, kind, decision, reason, dryRun, fingerprint, title, priority, deployedIn, sinks, chat, body,
                calls, http);
    }
}
