package dev.deckhand.local.failures;

/**
 * Hands a parked event back to its function. {@link LambdaRedelivery} does it as EventBridge does
 * (an asynchronous Lambda Invoke); tests give their own.
 */
@FunctionalInterface
public interface Redelivery {

    /** Whether the function accepted the event, and if not, why. */
    record Result(boolean accepted, String detail) {
    }

    /** @param functionArn the function's unqualified ARN; @param event the exact event to deliver */
    Result deliver(String functionArn, byte[] event);
}
