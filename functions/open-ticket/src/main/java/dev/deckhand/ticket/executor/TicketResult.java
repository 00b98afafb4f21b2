package dev.deckhand.ticket.executor;

import dev.deckhand.ticket.sink.SinkResult;
import java.util.List;
import java.util.Map;

/**
 * What one event did; the handler writes it as the invocation's result.
 *
 * @param decision TICKETED, CHAT_ONLY, IGNORED (below the threshold, a state not ticketed), NOT_MANAGED, or DRY_RUN_TICKET
 * @param body     the ticket body as plain text (OpsCenter gets it as Markdown), for the replay and the log of a dry run
 */
public record TicketResult(String eventId, String kind, String decision, String reason, boolean dryRun, String fingerprint,
                           String title, Integer priority, List<String> deployedIn, List<SinkResult> sinks, SinkResult chat,
                           String body, Map<String, Integer> awsCalls, Integer httpRequests) {

    public TicketResult withCalls(Map<String, Integer> calls, int http) {
        return new TicketResult(eventId, kind, decision, reason, dryRun, fingerprint, title, priority, deployedIn, sinks, chat, body,
                calls, http);
    }
}
