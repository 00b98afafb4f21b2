package dev.deckhand.core.event;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.util.NameTransformer;
import dev.deckhand.core.aws.AwsCallCounter;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.MDC;

/**
 * What every handler does around its own work, once: reset the call counter and the log context,
 * run the work, write its result as JSON with the AWS calls it took ({@code awsCalls}) and where its
 * time went ({@code timing}) after the result's own fields; a bad event is logged as refused and
 * rethrown (nothing was changed), any other failure is logged with the calls made and rethrown so
 * Lambda retries.
 *
 * <pre>{@code
 * EventInvocation.run(requestId, calls, log, "drain", mapper, output, () -> drainer.drain(request));
 * EventInvocation.runBatch(requestId, calls, log, "drain", mapper, output, () -> rechecks(records));
 * }</pre>
 */
public final class EventInvocation {

    private EventInvocation() {
    }

    /**
     * One event's work, answered with its {@link DeckhandResult}, then {@code awsCalls} (the calls by
     * operation) and {@code timing}.
     *
     * @param what names the work in the failure line ("drain failed; Lambda retries ...")
     */
    public static void run(String requestId, AwsCallCounter calls, Logger log, String what, ObjectMapper mapper,
                           OutputStream output, Supplier<? extends DeckhandResult> work) throws IOException {
        invoke(requestId, calls, log, what, mapper, output, work, true);
    }

    /**
     * A batch from a function's own SQS queue, answered as SQS reads it ({@code batchItemFailures}),
     * with {@code timing} only: each message's work reports itself in the log, not in the answer.
     */
    public static void runBatch(String requestId, AwsCallCounter calls, Logger log, String what, ObjectMapper mapper,
                                OutputStream output, Supplier<?> work) throws IOException {
        invoke(requestId, calls, log, what, mapper, output, work, false);
    }

    private static void invoke(String requestId, AwsCallCounter calls, Logger log, String what, ObjectMapper mapper,
                               OutputStream output, Supplier<?> work, boolean withCalls) throws IOException {
        calls.reset();
        MDC.clear();
        if (requestId != null) {
            MDC.put("requestId", requestId);
        }
        long started = System.nanoTime();
        try {
            Object result = work.get();
            write(result, started, calls, withCalls, mapper, output);
        } catch (BadEventException e) {
            log.atError().log("event refused, nothing changed: {}", e.getMessage());
            throw e;
        } catch (RuntimeException | JsonProcessingException e) {
            log.atError().setCause(e).addKeyValue("awsCalls", calls.byOperation())
                    .log("{} failed; Lambda retries the event, then sends it to the failure queue", what);
            throw e;
        } finally {
            MDC.clear();
        }
    }

    /**
     * The result's own fields, then {@code awsCalls} and {@code timing}, in one pass to the output
     * rather than through a tree that is then written again. The clock is read after the result's
     * fields are written, so {@code handlerMs} counts writing them. A result that is not a JSON
     * object (none of Deckhand's) is written as it is.
     */
    private static void write(Object result, long started, AwsCallCounter calls, boolean withCalls, ObjectMapper mapper,
                              OutputStream output) throws IOException {
        SerializerProvider provider = mapper.getSerializerProviderInstance();
        boolean map = result instanceof Map<?, ?>;
        JsonSerializer<Object> fields = result == null || map ? null
                : provider.findValueSerializer(result.getClass()).unwrappingSerializer(NameTransformer.NOP);
        if (!map && (fields == null || !fields.isUnwrappingSerializer())) {
            mapper.writeValue(output, result);
            return;
        }
        try (JsonGenerator json = mapper.createGenerator(output)) {
            json.writeStartObject();
            if (map) {
                for (Map.Entry<?, ?> entry : ((Map<?, ?>) result).entrySet()) {
                    json.writeObjectField(String.valueOf(entry.getKey()), entry.getValue());
                }
            } else {
                fields.serialize(result, json, provider);
            }
            if (withCalls) {
                json.writeObjectField("awsCalls", calls.byOperation());
            }
            // Where the handler's time went, visible in every result (and in `deckhand bench`): inside
            // AWS SDK calls (of which waiting on AWS, the rest the client's own work) and Deckhand's own.
            long total = System.nanoTime() - started;
            long inCalls = Math.min(total, calls.inCallsNanos());
            json.writeObjectFieldStart("timing");
            json.writeNumberField("handlerMs", round(total));
            json.writeNumberField("inAwsCallsMs", round(inCalls));
            json.writeNumberField("waitingOnAwsMs", round(calls.waitingNanos()));
            json.writeNumberField("sdkMs", round(inCalls - calls.waitingNanos()));
            json.writeNumberField("ownMs", round(total - inCalls));
            json.writeEndObject();
            json.writeEndObject();
        }
    }

    private static double round(long nanos) {
        return Math.round(nanos / 10_000.0) / 100.0;
    }
}
