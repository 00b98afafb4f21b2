package dev.deckhand.core.aws;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts the AWS calls a function makes per invocation, by operation, and the HTTP attempts they
 * took (retries included). Every result Deckhand returns carries the count, so the cost of an event
 * is visible in the log, in {@code deckhand replay} and in {@code deckhand bench}.
 *
 * <p>A call is timed from the first interceptor that sees it to its answer parsed. The SDK's work
 * before that (the client method, the execution context, the credentials its own interceptors
 * resolve) falls in the handler's own time: timing from the client method would take a
 * {@code java.lang.reflect.Proxy} per client, whose classes cost tens of milliseconds to generate at
 * every cold start.
 */
public final class AwsCallCounter implements ExecutionInterceptor {

    private static final ExecutionAttribute<Long> STARTED_AT = new ExecutionAttribute<>("DeckhandStartedAt");
    private static final ExecutionAttribute<Long> SENT_AT = new ExecutionAttribute<>("DeckhandSentAt");

    private final List<String> calls = new ArrayList<>();
    private int attempts;
    private long waitingNanos;
    private long inCallsNanos;

    @Override
    public synchronized void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        calls.add(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME).toLowerCase(Locale.ROOT) + ":"
                + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
        attributes.putAttribute(STARTED_AT, System.nanoTime());
    }

    @Override
    public synchronized void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        ended(attributes);
    }

    @Override
    public synchronized void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        ended(attributes);
    }

    private void ended(ExecutionAttributes attributes) {
        Long started = attributes.getAttribute(STARTED_AT);
        if (started != null) {
            inCallsNanos += System.nanoTime() - started;
        }
    }

    @Override
    public synchronized void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        attempts++;
        attributes.putAttribute(SENT_AT, System.nanoTime());
    }

    @Override
    public synchronized void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        Long sent = attributes.getAttribute(SENT_AT);
        if (sent != null) {
            waitingNanos += System.nanoTime() - sent;
        }
    }

    /** Time spent waiting on AWS (request sent to response headers read, every attempt) since the last reset. */
    public synchronized long waitingNanos() {
        return waitingNanos;
    }

    /**
     * Time inside AWS SDK calls (the client's own work, marshalling, signing and parsing, plus the
     * waiting) since the last reset.
     */
    public synchronized long inCallsNanos() {
        return inCallsNanos;
    }

    /** Adds waiting time for a call made without an SDK client (its whole call, as far as it is timed). */
    public synchronized void waited(long nanos) {
        waitingNanos += nanos;
        inCallsNanos += nanos;
    }

    /** A call made without an SDK client (drain-instance's SSM SendCommand), IAM-style: {@code ssm:SendCommand}. */
    public synchronized void record(String call) {
        calls.add(call);
        attempts++;
    }

    /** Forgets the calls so far; a handler calls this at the start of each invocation. */
    public synchronized void reset() {
        calls.clear();
        attempts = 0;
        waitingNanos = 0;
        inCallsNanos = 0;
    }

    /** The calls in the order they were made, IAM-style: {@code ecs:ListContainerInstances}. */
    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    public synchronized int attempts() {
        return attempts;
    }

    /** Calls by operation, in first-call order: {@code {"ecs:ListContainerInstances": 2, ...}}. */
    public synchronized Map<String, Integer> byOperation() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String call : calls) {
            counts.merge(call, 1, Integer::sum);
        }
        return counts;
    }
}
