package dev.deckhand.ticket.sink;

/**
 * A sink that stayed down (5xx, timeouts, a Retry-After longer than allowed) or refused the
 * request (4xx): the invocation fails, Lambda retries it, and the failure queue keeps what is left.
 * Retries are safe: every sink finds the ticket it made before creating one. The message never
 * holds a secret ({@link Secret#redact}), nor do its causes' (an {@code IOException} may name the
 * URL it failed on, and Lambda logs the whole trace).
 */
public final class SinkUnavailableException extends RuntimeException {

    private final int status;

    public SinkUnavailableException(String message, int status, Throwable cause) {
        super(Secret.redact(message), Redacted.of(cause));
        this.status = status;
    }

    /** The last HTTP status, or 0 when no answer came. */
    public int status() {
        return status;
    }
}
