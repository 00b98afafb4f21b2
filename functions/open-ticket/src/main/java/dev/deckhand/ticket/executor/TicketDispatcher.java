package dev.deckhand.ticket.executor;

import dev.deckhand.core.log.Metrics;
import dev.deckhand.ticket.planner.ChatMessage;
import dev.deckhand.ticket.planner.Ticket;
import dev.deckhand.ticket.sink.ChatWebhook;
import dev.deckhand.ticket.sink.SinkResult;
import dev.deckhand.ticket.sink.TicketSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a ticket to every configured sink, then a chat message, in that order: a sink that fails
 * fails the invocation before the chat line goes out, and the retry finds the tickets already
 * made. In a dry run every sink is only searched ({@link TicketSink#preview}) and nothing is posted.
 */
public final class TicketDispatcher {

    private static final Logger log = LoggerFactory.getLogger(TicketDispatcher.class);

    private final List<TicketSink> sinks;
    private final ChatWebhook chat;
    private final boolean dryRun;
    private final Metrics metrics;

    public TicketDispatcher(List<TicketSink> sinks, ChatWebhook chat, boolean dryRun, Metrics metrics) {
        this.sinks = List.copyOf(sinks);
        this.chat = chat;
        this.dryRun = dryRun;
        this.metrics = metrics;
    }

    public List<SinkResult> ticket(Ticket ticket) {
        List<SinkResult> results = new ArrayList<>();
        for (TicketSink sink : sinks) {
            SinkResult result = dryRun ? sink.preview(ticket) : sink.publish(ticket);
            results.add(result);
            log.atInfo().addKeyValue("sink", sink.name()).addKeyValue("action", result.action()).addKeyValue("ticketId", result.id())
                    .addKeyValue("fingerprint", ticket.fingerprint()).log("{} ticket {}: {}", sink.name(), ticket.fingerprint(), result.action());
            metrics.count("Tickets", Map.of("Sink", sink.name(), "Action", result.action()));
        }
        return results;
    }

    /** Posts {@code message}, or says why not; null when no chat is configured. */
    public SinkResult chat(ChatMessage message) {
        if (chat == null) {
            log.atDebug().log("no chat webhook configured (DECKHAND_CHAT_WEBHOOK_PARAMETER); {} not posted", message.kind());
            return new SinkResult("chat", "NOT_CONFIGURED", null, null);
        }
        if (dryRun) {
            return new SinkResult("chat", "WOULD_POST", null, null);
        }
        SinkResult result = chat.post(message);
        metrics.count("ChatMessages", Map.of("Kind", message.kind()));
        return result;
    }
}
