package dev.deckhand.ticket.sink;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.core.config.ConfigException;
import dev.deckhand.ticket.planner.ChatMessage;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;

/**
 * A Slack-compatible incoming webhook: {@code POST} {@code {"text": ...}} to the URL held in an
 * SSM SecureString (the URL is the credential). Mattermost, Rocket.Chat and others accept the same.
 * The URL is read once, here; no message about it (a bad URL, a failed post) shows any of it.
 */
public final class ChatWebhook {

    private final HttpSender http;
    private final ObjectMapper json;
    private final URI uri;

    public ChatWebhook(HttpSender http, ObjectMapper json, Secret url) {
        this.http = http;
        this.json = json;
        this.uri = parse(url);
    }

    public SinkResult post(ChatMessage message) {
        ObjectNode body = json.createObjectNode();
        body.put("text", message.text());
        http.send("chat", "POST", uri, Map.of("Accept", "*/*"), body.toString());
        return new SinkResult("chat", "POSTED", null, null);
    }

    /** The URL, or a message that says what is wrong with it without quoting it (and without a cause that would). */
    private static URI parse(Secret url) {
        URI uri;
        try {
            uri = new URI(url.reveal());
        } catch (URISyntaxException e) {
            throw new ConfigException("the chat webhook URL (DECKHAND_CHAT_WEBHOOK_PARAMETER's SSM parameter) is not a URL: "
                    + e.getReason() + " at character " + e.getIndex());
        }
        if (!dev.deckhand.ticket.TicketConfig.isAllowed(uri)) {
            throw new ConfigException("the chat webhook URL must be https (its SSM parameter holds something else)");
        }
        return uri;
    }
}
