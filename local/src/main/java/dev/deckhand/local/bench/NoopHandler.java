package dev.deckhand.local.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The baseline of a cold start: a handler that loads nothing. Its time to the runtime's first poll
 * is the JVM and the Lambda runtime client alone; a function's extra time is its own init.
 */
public final class NoopHandler implements RequestStreamHandler {

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        input.readAllBytes();
        output.write("{}".getBytes(StandardCharsets.UTF_8));
    }
}
