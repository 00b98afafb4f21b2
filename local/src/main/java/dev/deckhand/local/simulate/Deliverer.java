package dev.deckhand.local.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.local.faults.FaultProxy;
import dev.deckhand.local.lambda.Invocation;
import dev.deckhand.local.lambda.LambdaProcess;
import dev.deckhand.local.replay.ReplayCommand;
import dev.deckhand.local.routing.RuleRouter;
import dev.deckhand.local.template.FunctionSpec;
import dev.deckhand.local.template.RuleSpec;
import dev.deckhand.local.template.SamTemplate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Delivers a simulation's events as EventBridge and Lambda would, the way {@code deckhand replay}
 * does: routed by template.yaml's rules with event-ruler, each routed function invoked through
 * AWS's runtime interface client with its Handler and Environment from the template. Unlike replay,
 * one warm process per function serves the whole run (as a warm Lambda container would); a failed
 * invocation is retried as Lambda retries an asynchronous one (after one minute, then two, in
 * simulated time) and, when its retries are exhausted, its record goes to the function's
 * OnFailure queue.
 */
final class Deliverer implements AutoCloseable {

    /** Lambda's waits before the first and the second retry of an asynchronous invocation. */
    static final List<Duration> RETRY_DELAYS = List.of(Duration.ofMinutes(1), Duration.ofMinutes(2));
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One invocation, or one event no rule routed ({@code rule} null).
     *
     * @param at        simulated time since the start
     * @param awsCalls  requests the function made (through the fault proxy) during the invocation
     * @param failed    true when this was the last attempt and its record went to the failure queue
     */
    record Delivery(Duration at, String detailType, String subject, String rule, String function, int attempt, boolean error,
                    String errorMessage, long millis, int awsCalls, JsonNode result, boolean failed) {
    }

    private record Retry(Duration due, ObjectNode event, RuleSpec rule, int attempt, String subject) {
    }

    private final SamTemplate template;
    private final RuleRouter router;
    private final Map<String, String> environment;
    private final FaultProxy proxy;
    private final SqsClient sqs;
    private final String region;
    private final Map<String, LambdaProcess> processes = new LinkedHashMap<>();
    private final Map<String, Duration> coldStarts = new LinkedHashMap<>();
    private final List<Retry> retries = new ArrayList<>();
    private final Map<String, List<String>> failureRecords = new LinkedHashMap<>();

    Deliverer(SamTemplate template, Map<String, String> environment, FaultProxy proxy, SqsClient sqs, String region) {
        this.template = template;
        this.router = new RuleRouter(template.rules());
        this.environment = environment;
        this.proxy = proxy;
        this.sqs = sqs;
        this.region = region;
    }

    /** Routes {@code event} and invokes every function it routes to; {@code subject} names what it is about (an instance, a service). */
    List<Delivery> deliver(ObjectNode event, Duration at, String subject) {
        return deliver(RuleSpec.DEFAULT_BUS, event, at, subject);
    }

    /** As {@link #deliver(ObjectNode, Duration, String)}, for an event put on {@code bus}: only that bus's rules take it. */
    List<Delivery> deliver(String bus, ObjectNode event, Duration at, String subject) {
        List<RuleSpec> rules;
        try {
            rules = router.route(bus, JSON.writeValueAsString(event));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String detailType = event.path("detail-type").asText();
        if (rules.isEmpty()) {
            String eventName = event.path("detail").path("eventName").asText("");
            return List.of(new Delivery(at, eventName.isEmpty() ? detailType : detailType + " " + eventName, subject, null, null, 0, false, null, 0, 0, null, false));
        }
        List<Delivery> deliveries = new ArrayList<>();
        for (RuleSpec rule : rules) {
            deliveries.add(invoke(event, rule, at, 0, subject));
        }
        return deliveries;
    }

    /** The retries due by {@code now}, invoked. */
    List<Delivery> retriesDue(Duration now) {
        List<Delivery> deliveries = new ArrayList<>();
        List<Retry> due = new ArrayList<>();
        for (Iterator<Retry> it = retries.iterator(); it.hasNext(); ) {
            Retry retry = it.next();
            if (retry.due().compareTo(now) <= 0) {
                due.add(retry);
                it.remove();
            }
        }
        for (Retry retry : due) {
            deliveries.add(invoke(retry.event(), retry.rule(), now, retry.attempt(), retry.subject()));
        }
        return deliveries;
    }

    boolean retriesPending() {
        return !retries.isEmpty();
    }

    Map<String, Duration> coldStarts() {
        return coldStarts;
    }

    /** Failure-queue records by queue, as Lambda's OnFailure destination writes them. */
    Map<String, List<String>> failureRecords() {
        return failureRecords;
    }

    private Delivery invoke(ObjectNode event, RuleSpec rule, Duration at, int attempt, String subject) {
        FunctionSpec function = template.function(rule.functionLogicalId());
        LambdaProcess process = processes.get(function.logicalId());
        if (process == null) {
            process = LambdaProcess.start(function, environment);
            processes.put(function.logicalId(), process);
            Instant ready = process.readyAt(Duration.ofSeconds(90));
            coldStarts.put(function.logicalId(), Duration.between(process.startedAt(), ready));
        }
        // The function's clock is the real one: the event has just arrived (a Spot warning's two minutes start now).
        ObjectNode sent = event.deepCopy();
        sent.put("time", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        int before = proxy.requests();
        Invocation invocation;
        try {
            // A rule with a constant Input delivers that input instead of the event (rotate-ami's reconcile schedule).
            invocation = process.invoke(rule.input() != null ? rule.input().getBytes(StandardCharsets.UTF_8)
                    : JSON.writeValueAsBytes(sent));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int calls = proxy.requests() - before;
        JsonNode result = parse(invocation.body());
        boolean failed = false;
        String message = null;
        if (invocation.error()) {
            message = result.path("errorMessage").asText(invocation.body());
            if (attempt < Math.min(function.maximumRetryAttempts(), RETRY_DELAYS.size())) {
                retries.add(new Retry(at.plus(RETRY_DELAYS.get(attempt)), event, rule, attempt + 1, subject));
            } else if (function.failureQueue() != null) {
                failed = true;
                sendFailureRecord(function, sent, invocation, attempt + 1);
            }
        }
        return new Delivery(at, event.path("detail-type").asText(), subject, rule.name(), function.logicalId(), attempt,
                invocation.error(), message, invocation.duration().toMillis(), calls, invocation.error() ? null : result, failed);
    }

    private void sendFailureRecord(FunctionSpec function, ObjectNode event, Invocation last, int attempts) {
        String body;
        try {
            body = ReplayCommand.failureRecord(function, event, last, attempts, region);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String url = sqs.getQueueUrl(r -> r.queueName(function.failureQueue())).queueUrl();
        sqs.sendMessage(r -> r.queueUrl(url).messageBody(body));
        failureRecords.computeIfAbsent(function.failureQueue(), q -> new ArrayList<>()).add(body);
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(body);
        }
    }

    @Override
    public void close() {
        for (LambdaProcess process : processes.values()) {
            process.close();
        }
    }
}
