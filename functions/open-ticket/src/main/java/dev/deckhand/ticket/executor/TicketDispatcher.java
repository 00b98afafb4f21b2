package dev.deckhand.ticket.executor;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deckhand.core.log.Metrics;
import dev.deckhand.ticket.TicketConfig;
import dev.deckhand.ticket.planner.ChatMessage;
import dev.deckhand.ticket.planner.Ticket;
import dev.deckhand.ticket.sink.ChatWebhook;
import dev.deckhand.ticket.sink.GitHubIssues;
import dev.deckhand.ticket.sink.HttpSender;
import dev.deckhand.ticket.sink.JiraIssues;
import dev.deckhand.ticket.sink.OpsCenter;
import dev.deckhand.ticket.sink.Secret;
import dev.deckhand.ticket.sink.SecretParameters;
import dev.deckhand.ticket.sink.SinkResult;
import dev.deckhand.ticket.sink.TicketSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Sends a ticket to every configured sink, then a chat message, in that order. A sink that fails
 * does not stop the others nor the chat line; the invocation fails afterwards ({@link #failure}),
 * and the retry finds the tickets already made. In a dry run every sink is only searched
 * ({@link TicketSink#preview}) and nothing is posted.
 */
public final class TicketDispatcher {

    private static final Logger log = LoggerFactory.getLogger(TicketDispatcher.class);

    private final List<TicketSink> sinks;
    private final ChatWebhook chat;
    private final boolean dryRun;
    private final Metrics metrics;
    private final List<RuntimeException> failures = new ArrayList<>();

    TicketDispatcher(List<TicketSink> sinks, ChatWebhook chat, boolean dryRun, Metrics metrics) {
        this.sinks = List.copyOf(sinks);
        this.chat = chat;
        this.dryRun = dryRun;
        this.metrics = metrics;
    }

    /** The configured sinks and chat webhook, their secrets read from SSM here, once per container. */
    public static TicketDispatcher of(TicketConfig config, SsmClient ssm, HttpSender http, ObjectMapper mapper, Metrics metrics) {
        Map<String, Secret> secrets = SecretParameters.read(ssm, config.secretParameters());
        List<TicketSink> sinks = new ArrayList<>();
        for (TicketConfig.SinkKind kind : config.sinks()) {
            sinks.add(switch (kind) {
                case OPSCENTER -> new OpsCenter(ssm, mapper);
                case GITHUB -> new GitHubIssues(http, mapper, config.github().repository(), config.github().apiUrl(),
                        secrets.get(config.github().tokenParameter()));
                case JIRA -> new JiraIssues(http, mapper, config.jira().url(), config.jira().project(), config.jira().issueType(),
                        config.jira().email(), secrets.get(config.jira().tokenParameter()));
            });
        }
        ChatWebhook chat = config.chatWebhookParameter() == null ? null
                : new ChatWebhook(http, mapper, secrets.get(config.chatWebhookParameter()), config::sinkUrlAllowed);
        return new TicketDispatcher(sinks, chat, config.dryRun(), metrics);
    }

    /**
     * Every sink gets the ticket, whatever another did: a sink that fails is reported FAILED and
     * the others go on. The caller throws {@link #failure} after the chat line, so Lambda retries
     * the event, and the retry finds the tickets made and redoes only what is left.
     */
    List<SinkResult> ticket(Ticket ticket) {
        List<SinkResult> results = new ArrayList<>();
        for (TicketSink sink : sinks) {
            SinkResult result;
            try {
                result = dryRun ? sink.preview(ticket) : sink.publish(ticket);
            } catch (RuntimeException e) {
                // Any failure of one sink (an HTTP sink down, an AWS error) must not keep the ticket from the others.
                failures.add(e);
                result = new SinkResult(sink.name(), "FAILED", null, null);
                log.atError().addKeyValue("sink", sink.name()).addKeyValue("fingerprint", ticket.fingerprint())
                        .log("{} ticket {} failed: {}", sink.name(), ticket.fingerprint(), Secret.redact(e.getMessage()));
            }
            results.add(result);
            log.atInfo().addKeyValue("sink", sink.name()).addKeyValue("action", result.action()).addKeyValue("ticketId", result.id())
                    .addKeyValue("fingerprint", ticket.fingerprint()).log("{} ticket {}: {}", sink.name(), ticket.fingerprint(), result.action());
            metrics.count("Tickets", Map.of("Sink", sink.name(), "Action", result.action()));
        }
        return results;
    }

    /**
     * Closes every open ticket of {@code group} in every sink: one search per sink
     * ({@link TicketSink#openInGroup}), then a close of each ticket found ({@code closing} builds it
     * from its fingerprint), which keeps the ticket's evidence. Nothing open: one read per sink and
     * nothing else. A sink that fails does not stop the others ({@link #failure}).
     */
    List<SinkResult> closeGroup(String group, Function<String, Ticket> closing) {
        List<SinkResult> results = new ArrayList<>();
        for (TicketSink sink : sinks) {
            try {
                List<String> open = sink.openInGroup(group);
                if (open.isEmpty()) {
                    results.add(new SinkResult(sink.name(), "NOTHING_OPEN", null, null));
                    continue;
                }
                for (String fingerprint : open) {
                    Ticket ticket = closing.apply(fingerprint);
                    SinkResult result = dryRun ? sink.preview(ticket) : sink.publish(ticket);
                    results.add(result);
                    log.atInfo().addKeyValue("sink", sink.name()).addKeyValue("action", result.action()).addKeyValue("ticketId", result.id())
                            .addKeyValue("fingerprint", fingerprint).log("{} ticket {}: {}", sink.name(), fingerprint, result.action());
                    metrics.count("Tickets", Map.of("Sink", sink.name(), "Action", result.action()));
                }
            } catch (RuntimeException e) {
                // As for a ticket: one sink failing must not keep the others from closing theirs.
                failures.add(e);
                results.add(new SinkResult(sink.name(), "FAILED", null, null));
                log.atError().addKeyValue("sink", sink.name()).addKeyValue("group", group)
                        .log("{} closing group {} failed: {}", sink.name(), group, Secret.redact(e.getMessage()));
            }
        }
        return results;
    }

    /**
     * Whether a chat line about {@code results}' ticket is news: no sink had the ticket already
     * (a redelivery, or Lambda's retry after a sink failed, finds it and posts nothing again).
     */
    static boolean newTicket(List<SinkResult> results) {
        boolean existed = results.stream().anyMatch(r -> List.of("UNCHANGED", "UPDATED", "REOPENED", "KEPT_CLOSED", "CLOSED", "COMMENTED")
                .contains(r.action()));
        // When every sink failed the line waits for the retry: it would point at no ticket, and the retry posts it.
        boolean allFailed = !results.isEmpty() && results.stream().allMatch(r -> "FAILED".equals(r.action()));
        return !existed && !allFailed;
    }

    /** {@link #chat}, its failure kept for {@link #failure} with the sinks' (the tickets are made already). */
    SinkResult chatAfterTicket(ChatMessage message) {
        try {
            return chat(message);
        } catch (RuntimeException e) {
            failures.add(e);
            return new SinkResult("chat", "FAILED", null, null);
        }
    }

    /**
     * The failures of this invocation's sinks, as one exception to throw (the first, with the others
     * suppressed), or null. Cleared by the call.
     */
    RuntimeException failure() {
        if (failures.isEmpty()) {
            return null;
        }
        RuntimeException first = failures.get(0);
        failures.subList(1, failures.size()).forEach(first::addSuppressed);
        failures.clear();
        return first;
    }

    /** Posts {@code message}, or says why not; null when no chat is configured. */
    SinkResult chat(ChatMessage message) {
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
