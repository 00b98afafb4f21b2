package dev.deckhand.core.event;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The detail of an event Deckhand puts on its own bus ({@link InstanceRetirementRequested},
 * {@link CapacityShortage}): the publisher writes it with {@link #detailJson}, the receiver parses
 * and validates the same record.
 */
public interface DeckhandDetail {

    /** Its EventBridge {@code detail-type} (the source is always {@link EventTypes#SOURCE_DECKHAND}). */
    @JsonIgnore
    String detailType();

    /** The {@code Detail} string for EventBridge PutEvents. */
    default String detailJson(ObjectMapper mapper) {
        try {
            return mapper.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
