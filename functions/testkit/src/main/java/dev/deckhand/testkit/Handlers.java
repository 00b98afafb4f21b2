package dev.deckhand.testkit;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Invokes a function's handler as the Lambda runtime does (the event's bytes in, the result's bytes
 * out, no context), and reads the result.
 *
 * <pre>{@code
 * JsonNode result = Handlers.invoke(handler, event);
 * assertEquals("DRAIN", result.path("decision").asText());
 * }</pre>
 */
public final class Handlers {

    public static final ObjectMapper JSON = new ObjectMapper();

    private Handlers() {
    }

    public static JsonNode invoke(RequestStreamHandler handler, String event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
        return JSON.readTree(out.toByteArray());
    }
}
