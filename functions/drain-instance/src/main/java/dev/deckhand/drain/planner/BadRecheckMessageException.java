package dev.deckhand.drain.planner;

/**
 * A recheck queue message Deckhand cannot use (a field missing, malformed or out of range): the
 * handler reports the message failed and it ends in the failure queue; nothing is changed.
 */
public final class BadRecheckMessageException extends RuntimeException {

    public BadRecheckMessageException(String message) {
        super(message);
    }
}
