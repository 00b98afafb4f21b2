package dev.deckhand.local.failures;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/**
 * Re-delivers an event as EventBridge delivered it: Lambda Invoke with InvocationType {@code Event}
 * (asynchronous), so the function's retries and OnFailure destination apply again. Lambda answers
 * 202 when it has queued the event
 * (https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html); anything else, or an error, is
 * "not accepted" and the caller keeps the message.
 */
final class LambdaRedelivery implements Redelivery {

    private final LambdaClient lambda;

    LambdaRedelivery(LambdaClient lambda) {
        this.lambda = lambda;
    }

    @Override
    public Result deliver(String functionArn, byte[] event) {
        try {
            InvokeResponse response = lambda.invoke(r -> r.functionName(functionArn)
                    .invocationType(InvocationType.EVENT)
                    .payload(SdkBytes.fromByteArray(event)));
            Integer status = response.statusCode();
            if (status != null && status == 202) {
                return new Result(true, "Lambda accepted it (202)");
            }
            return new Result(false, "Lambda answered " + status + " instead of 202");
        } catch (SdkException e) {
            // The one failure handled here: the message stays in its queue for another try.
            return new Result(false, ParkedEvent.shorten(e.getMessage()));
        }
    }
}
