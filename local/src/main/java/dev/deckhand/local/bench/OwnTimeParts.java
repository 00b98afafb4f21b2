package dev.deckhand.local.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a function's own time went, from the JFR recording of its warm invocations ({@code deckhand
 * bench --jfr}): the Java samples taken inside {@code EventInvocation} outside an AWS call's window
 * (which opens at Deckhand's {@code AwsCallCounter.beforeExecution} and closes with the answer parsed),
 * split by whose code was running. Counts of samples, not milliseconds: their shares are the measure.
 *
 * @param sdkSetup         the SDK's work on a call before Deckhand's interceptor sees it (the client
 *                         method, the execution context, the service's own interceptors); counted as own time
 * @param authAndIdentity  of those, the service's auth-scheme interceptor (auth options and the credentials)
 */
record OwnTimeParts(int own, int sdkSetup, int authAndIdentity, int jackson, int logging, int rest) {

    /** Frames that only run inside a call's window. */
    private static final List<String> IN_CALL = List.of("dev.deckhand.core.aws.AwsCallCounter.",
            ".finalizeSdkHttpFullRequest", "software.amazon.awssdk.core.internal.http.pipeline.",
            "software.amazon.awssdk.core.internal.http.AmazonSyncHttpClient.", ".ExecutionInterceptorChain.modifyRequest");

    static OwnTimeParts of(Path recording) throws IOException {
        Counter counter = new Counter();
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            if (event.getEventType().getName().equals("jdk.ExecutionSample") && event.getStackTrace() != null) {
                counter.add(event.getStackTrace().getFrames().stream().map(OwnTimeParts::name).toList());
            }
        }
        return counter.parts();
    }

    /** Sorts samples, each a stack of {@code class.method} names, innermost first. */
    static final class Counter {
        private int own;
        private int sdkSetup;
        private int authAndIdentity;
        private int jackson;
        private int logging;
        private int rest;

        void add(List<String> stack) {
            if (stack.stream().noneMatch(frame -> frame.startsWith("dev.deckhand.core.event.EventInvocation.invoke"))
                    || stack.stream().anyMatch(frame -> IN_CALL.stream().anyMatch(frame::contains))) {
                return;
            }
            own++;
            if (stack.stream().anyMatch(frame -> frame.startsWith("software.amazon.awssdk."))) {
                sdkSetup++;
                if (stack.stream().anyMatch(frame -> frame.contains("AuthSchemeInterceptor.beforeExecution"))) {
                    authAndIdentity++;
                }
            } else if (stack.stream().anyMatch(frame -> frame.startsWith("com.fasterxml.jackson."))) {
                jackson++;
            } else if (stack.stream().anyMatch(frame -> frame.startsWith("dev.deckhand.core.log.") || frame.startsWith("org.slf4j."))) {
                logging++;
            } else {
                rest++;
            }
        }

        OwnTimeParts parts() {
            return new OwnTimeParts(own, sdkSetup, authAndIdentity, jackson, logging, rest);
        }
    }

    /** The row of the bench's table: the own samples, then each part with its share of them. */
    String[] row(String function) {
        return new String[] {function, Integer.toString(own), share(sdkSetup), share(authAndIdentity), share(jackson), share(logging),
                share(rest)};
    }

    private String share(int part) {
        return own == 0 ? "0" : String.format("%d (%.0f%%)", part, 100.0 * part / own);
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }
}
