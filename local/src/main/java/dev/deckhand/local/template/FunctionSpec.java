package dev.deckhand.local.template;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * One {@code AWS::Serverless::Function} of template.yaml, with Globals applied and its Environment
 * evaluated for the parameters in use.
 *
 * @param maximumRetryAttempts Lambda's asynchronous retries (EventInvokeConfig), default 2
 * @param failureQueue         the logical id of the SQS queue of its OnFailure destination, or null
 */
public record FunctionSpec(
        String logicalId,
        String handler,
        Path codeUri,
        String runtime,
        int memoryMiB,
        Duration timeout,
        Map<String, String> environment,
        int maximumRetryAttempts,
        String failureQueue) {
}
