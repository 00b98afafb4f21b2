package dev.deckhand.drain.executor;

/** ECS answered the drain call with a failure for the instance. Propagates, so the event is retried. */
public final class DrainFailedException extends RuntimeException {

    public DrainFailedException(String message) {
        super(message);
    }
}
