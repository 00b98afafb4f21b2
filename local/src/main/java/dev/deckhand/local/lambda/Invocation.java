package dev.deckhand.local.lambda;

import java.time.Duration;
import java.util.List;

/**
 * One invocation of a function process.
 *
 * @param error     true when the function failed (the body is Lambda's error document)
 * @param body      the function's response, or its error document
 * @param logLines  what the function wrote to standard output and error meanwhile
 * @param duration  from the event handed to the runtime to its answer
 */
public record Invocation(boolean error, String body, String errorType, List<String> logLines, Duration duration) {
}
