package dev.deckhand.drain.executor;

/** ECS answered the drain call with a failure for the instance. Propagates, so the event is retried. */
final class DrainFailedException extends RuntimeException {

    DrainFailedException(String message) {
        super(message);
    }
}
