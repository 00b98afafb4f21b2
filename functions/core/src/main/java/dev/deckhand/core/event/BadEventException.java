package dev.deckhand.core.event;

/**
 * An event Deckhand cannot act on: a missing or malformed field, or a kind this function does not
 * handle. The message names the field. Nothing has been changed when this is thrown.
 */
public final class BadEventException extends RuntimeException {

    public BadEventException(String message) {
        super(message);
    }
}
