package dev.deckhand.ticket.sink;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.ticket.planner.ChatMessage;
import java.net.URI;
import java.util.Map;

/**
 * A Slack-compatible incoming webhook: {@code POST} {@code {"text": ...}} to the URL held in an
 * SSM SecureString (the URL is the credential). Mattermost, Rocket.Chat and others accept the same.
 */
public final class ChatWebhook {

    private final HttpSender http;
    private final ObjectMapper json;
    private final Secret url;

    public ChatWebhook(HttpSender http, ObjectMapper json, Secret url) {
        this.http = http;
        this.json = json;
        this.url = url;
        URI uri = URI.create(url.reveal());
        if (!dev.deckhand.ticket.TicketConfig.isAllowed(uri)) {
            throw new dev.deckhand.core.config.ConfigException("the chat webhook URL must be https (its SSM parameter holds something else)");
        }
    }

    public SinkResult post(ChatMessage message) {
        ObjectNode body = json.createObjectNode();
        body.put("text", message.text());
        http.send("chat", "POST", URI.create(url.reveal()), Map.of("Accept", "*/*"), body.toString());
        return new SinkResult("chat", "POSTED", null, null);
    }
}
