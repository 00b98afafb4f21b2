package dev.deckhand.core.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * The EventBridge envelope every routed event shares; {@code detail} is left as JSON for the
 * function to bind to its own detail record with {@link EventParser#detail}.
 */
public record EventEnvelope(
        String id,
        String source,
        String detailType,
        String account,
        String region,
        Instant time,
        List<String> resources,
        JsonNode detail) {

    /** True when this is {@code source} / {@code detailType}. */
    public boolean is(String source, String detailType) {
        return this.source.equals(source) && this.detailType.equals(detailType);
    }
}
