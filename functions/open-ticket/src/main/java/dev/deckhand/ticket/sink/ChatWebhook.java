package dev.deckhand.ticket.sink;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.core.config.ConfigException;
import dev.deckhand.ticket.planner.ChatMessage;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A Slack-compatible incoming webhook: {@code POST} {@code {"text": ...}} to the URL held in an
 * SSM SecureString (the URL is the credential). Mattermost, Rocket.Chat and others accept the same.
 * The URL is read once, here; no message about it (a bad URL, a failed post) shows any of it.
 */
public final class ChatWebhook {

    private final HttpSender http;
    private final ObjectMapper json;
    private final URI uri;

    /** @param allowed whether a URL may be posted to ({@link dev.deckhand.ticket.TicketConfig#sinkUrlAllowed}) */
    public ChatWebhook(HttpSender http, ObjectMapper json, Secret url, Predicate<URI> allowed) {
        this.http = http;
        this.json = json;
        this.uri = parse(url, allowed);
    }

    public SinkResult post(ChatMessage message) {
        ObjectNode body = json.createObjectNode();
        body.put("text", message.text());
        // A webhook cannot be read back: a post that may have gone through (5xx, timeout) is not sent again.
        http.createUnchecked("chat", uri, Map.of("Accept", "*/*"), body.toString());
        return new SinkResult("chat", "POSTED", null, null);
    }

    /** The URL, or a message that says what is wrong with it without quoting it (and without a cause that would). */
    private static URI parse(Secret url, Predicate<URI> allowed) {
        URI uri;
        try {
            uri = new URI(url.reveal());
        } catch (URISyntaxException e) {
            throw new ConfigException("the chat webhook URL (DECKHAND_CHAT_WEBHOOK_PARAMETER's SSM parameter) is not a URL: "
                    + e.getReason() + " at character " + e.getIndex());
        }
        if (!allowed.test(uri)) {
            throw new ConfigException("the chat webhook URL must be https (its SSM parameter holds something else)");
        }
        return uri;
    }
}
