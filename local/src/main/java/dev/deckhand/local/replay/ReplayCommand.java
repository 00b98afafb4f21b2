package dev.deckhand.local.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.emulator.AccountSeeder;
import dev.deckhand.emulator.LocalAws;
import dev.deckhand.local.demo.DemoAccount;
import dev.deckhand.local.demo.DemoRotation;
import dev.deckhand.local.demo.OpenTicketDemo;
import dev.deckhand.local.faults.FaultProxy;
import dev.deckhand.local.faults.FaultRates;
import dev.deckhand.local.lambda.Invocation;
import dev.deckhand.local.lambda.LambdaProcess;
import dev.deckhand.local.lambda.QueueSource;
import dev.deckhand.local.routing.RuleRouter;
import dev.deckhand.local.scheduler.AwsReactions;
import dev.deckhand.local.scheduler.LocalScheduler;
import dev.deckhand.local.scheduler.SchedulerEvent;
import dev.deckhand.local.template.FunctionSpec;
import dev.deckhand.local.template.RuleSpec;
import dev.deckhand.local.template.SamTemplate;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * {@code deckhand replay}: routes one event by template.yaml's rules and invokes each routed
 * function as Lambda would (its Handler and Environment from the template, in a new JVM through
 * AWS's runtime interface client), then shows what happened: the rule, the function's log, its
 * result, and the container instances that changed. A failed invocation is retried as Lambda
 * retries asynchronous invocations, then its record goes to the function's failure queue.
 */
public final class ReplayCommand {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The local scheduler's step in simulated time. */
    private static final Duration TICK = Duration.ofSeconds(10);
    /** A replay stops delivering queue messages after this many, whatever the function does. */
    private static final int MAX_QUEUE_DELIVERIES = 500;

    /** One delivery from a queue to a function (a lifecycle hook's next check), at simulated time. */
    public record Recheck(long secondsAfterEvent, String queue, Invocation invocation) {
    }
    private static final Set<String> PASS_THROUGH = Set.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
            "AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "HOME");

    /**
     * Lambda keeps a function's container warm between events, and so do the tests' replays (system
     * property {@code deckhand.replay.warm}, set for local's tests): a function JVM is kept, by function
     * and environment, for the next replay in this JVM, and so is the fault proxy (started over for each
     * replay) whose endpoint is in that environment. The command line starts each function cold.
     */
    private static final boolean WARM = Boolean.getBoolean("deckhand.replay.warm");
    /** Warm function JVMs kept at most; the oldest is closed. */
    private static final int MAX_WARM = 8;
    private static final Map<String, LambdaProcess> WARM_FUNCTIONS = new LinkedHashMap<>();
    private static FaultProxy warmProxy;
    private static boolean closingAtExit;

    /** One event of {@code --history}, replayed before the event itself: its time and each routed function's answer. */
    public record HistoryStep(Instant time, String detailType, String rule, Invocation invocation) {
    }

    /** What one replay did; {@link #exitCode()} is what the command exits with. */
    public record Outcome(JsonNode event, List<RuleSpec> rules, Map<String, List<Invocation>> attempts,
                          Map<String, String> failureQueueRecords, Map<String, InstanceRow> before,
                          Map<String, InstanceRow> after, Duration coldStart, List<SchedulerEvent> timeline,
                          Map<FaultProxy.Fault, Integer> faultsInjected, Map<String, Integer> callsReachingAws,
                          Map<String, Integer> answersLost, List<Recheck> rechecks, List<HistoryStep> history) {

        public boolean routed() {
            return !rules.isEmpty();
        }

        public boolean succeeded() {
            return attempts.values().stream().allMatch(list -> !list.isEmpty() && !list.get(list.size() - 1).error())
                    && history.stream().noneMatch(step -> step.invocation().error());
        }

        public int exitCode() {
            return !routed() ? 2 : succeeded() ? 0 : 1;
        }
    }

    private final Path home;

    public ReplayCommand(Path home) {
        this.home = home;
    }

    public int run(ReplayOptions options, PrintStream out) throws IOException {
        return run(options, out, System.err);
    }

    /** @param notes where the caller's account is shown before anything runs (stderr: stdout may be --json) */
    public int run(ReplayOptions options, PrintStream out, PrintStream notes) throws IOException {
        Outcome outcome = replay(options, notes);
        if (options.json()) {
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(toJson(outcome)));
        } else {
            new ReplayPrinter(out).print(outcome, options);
        }
        return outcome.exitCode();
    }

    public Outcome replay(ReplayOptions options) throws IOException {
        return replay(options, System.err);
    }

    public Outcome replay(ReplayOptions options, PrintStream notes) throws IOException {
        if (!Files.isRegularFile(options.event())) {
            throw new IllegalArgumentException("no such event file: " + options.event());
        }
        ObjectNode event;
        try {
            JsonNode parsed = JSON.readTree(Files.readAllBytes(options.event()));
            if (!(parsed instanceof ObjectNode object)) {
                throw new IllegalArgumentException(options.event() + " is not a JSON object");
            }
            event = object;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(options.event() + " is not valid JSON: " + e.getOriginalMessage());
        }
        String region = event.path("region").asText("us-east-1");
        if (options.endpoint() != null) {
            // Not the replay's own emulator: whose account this is comes first, before anything runs.
            Map<String, String> environment = awsEnvironment(options, null, region);
            CallerAccount caller;
            try (StsClient sts = client(StsClient.builder(), environment, region)) {
                caller = CallerAccount.of(sts, region);
            }
            notes.println(caller.describe(options.dryRun()));
            String refusal = caller.refusal(event);
            if (refusal != null) {
                throw new IllegalArgumentException(refusal);
            }
        }
        Map<String, String> parameters = new LinkedHashMap<>(options.parameters());
        if (options.endpoint() == null) {
            // The demo account's deployment: rotate-ami reads, and hears the changes of, the demo's parameters.
            parameters.putIfAbsent("RotateAmiParameterPath", DemoRotation.PARAMETER_PATH);
        }
        SamTemplate template = SamTemplate.load(home.resolve("template.yaml"), parameters, region);
        if (!options.bus().equals(RuleSpec.DEFAULT_BUS) && !template.buses().contains(options.bus())) {
            throw new IllegalArgumentException("--bus " + options.bus() + " is no bus of template.yaml (default, "
                    + String.join(", ", template.buses()) + ")");
        }
        List<RuleSpec> rules = new RuleRouter(template.rules()).route(options.bus(), JSON.writeValueAsString(event));
        if (rules.isEmpty()) {
            return new Outcome(event, rules, Map.of(), Map.of(), Map.of(), Map.of(), null, List.of(), Map.of(), Map.of(), Map.of(), List.of(), List.of());
        }
        if (!event.has("time") && rules.stream().allMatch(rule -> rule.input() != null)) {
            // A rule's constant input carries no time: the replay times it from now. Its target still receives the input as is (RuleSpec.delivery).
            event.put("time", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        }

        // One emulator per JVM, emptied before each replay: a replay sees a new account without
        // paying for a new moto_server (seconds), so replaying many events in one run stays fast.
        LocalAws emulator = options.endpoint() == null ? LocalAws.shared() : null;
        if (emulator != null) {
            emulator.reset();
        }
        FaultProxy proxy = emulator == null ? null
                : WARM ? warmProxy(emulator).reset(options.faults(), options.faultSeed())
                : new FaultProxy(emulator.endpoint(), options.faults(), options.faultSeed());
        try {
            Map<String, String> awsEnvironment = awsEnvironment(options, emulator, region);
            Map<String, String> functionEnvironment = new LinkedHashMap<>(awsEnvironment);
            if (proxy != null) {
                functionEnvironment.put("AWS_ENDPOINT_URL", proxy.endpoint().toString());
            }
            EcsClient ecs = client(EcsClient.builder(), awsEnvironment, region);
            Ec2Client ec2 = client(Ec2Client.builder(), awsEnvironment, region);
            SqsClient sqs = emulator == null ? null : client(SqsClient.builder(), awsEnvironment, region);
            LocalScheduler scheduler = null;
            if (emulator != null) {
                DemoAccount.seed(new AccountSeeder(ecs, ec2, region));
                DemoAccount.seedHooks(client(AutoScalingClient.builder(), awsEnvironment, region));
                if (rules.stream().anyMatch(rule -> rule.functionLogicalId().equals("OpenTicketFunction"))) {
                    OpenTicketDemo.seed(emulator, new AccountSeeder(ecs, ec2, region),
                            client(EcrClient.builder(), awsEnvironment, region),
                            client(CodeDeployClient.builder(), awsEnvironment, region), region);
                }
                template.queues().forEach(queue -> sqs.createQueue(r -> r.queueName(queue)));
                EventBridgeClient events = client(EventBridgeClient.builder(), awsEnvironment, region);
                template.buses().forEach(bus -> events.createEventBus(r -> r.name(bus)));
                scheduler = new LocalScheduler(ecs, ec2, emulator, region, Instant.now().minus(Duration.ofMinutes(5)));
                scheduler.settle(TICK, 30);
                AwsReactions.before(event, emulator, region);
            }
            FleetView fleet = new FleetView(ecs, ec2);
            Map<String, InstanceRow> before = null;
            List<HistoryStep> history = new ArrayList<>();
            Map<String, List<Invocation>> attempts = new LinkedHashMap<>();
            Map<String, String> failures = new LinkedHashMap<>();
            Map<String, LambdaProcess> processes = new LinkedHashMap<>();
            List<Recheck> rechecks = new ArrayList<>();
            Duration coldStart = null;
            try {
                if (!options.history().isEmpty()) {
                    // As if the event had just arrived: its history moves with it.
                    Duration shift = options.keepTime() || !event.has("time") ? Duration.ZERO
                            : Duration.between(Instant.parse(event.path("time").asText()), Instant.now().truncatedTo(ChronoUnit.SECONDS));
                    history.addAll(replayHistory(options.history(), shift, template, processes, functionEnvironment));
                }
                before = fleet.read();
                for (RuleSpec rule : rules) {
                    FunctionSpec function = template.function(rule.functionLogicalId());
                    LambdaProcess process = processes.get(function.logicalId());
                    if (process == null) {
                        process = takeWarm(function, functionEnvironment);
                    }
                    if (process == null) {
                        process = LambdaProcess.start(function, functionEnvironment);
                        Instant ready = process.readyAt(Duration.ofSeconds(60));
                        if (coldStart == null) {
                            coldStart = Duration.between(process.startedAt(), ready);
                        }
                    }
                    processes.put(function.logicalId(), process);
                    // As if the event had just arrived: its deadline (a Spot warning's two minutes) starts now.
                    if (!options.keepTime() && event.has("time")) {
                        event.put("time", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
                    }
                    byte[] payload = rule.delivery(JSON.writeValueAsString(event)).getBytes(StandardCharsets.UTF_8);
                    // EventBridge delivers at least once: each delivery is its own asynchronous invoke, retried on error.
                    for (int delivery = 1; delivery <= options.deliveries(); delivery++) {
                        List<Invocation> tries = new ArrayList<>();
                        for (int attempt = 0; attempt <= function.maximumRetryAttempts(); attempt++) {
                            Invocation invocation = process.invoke(payload);
                            tries.add(invocation);
                            if (!invocation.error()) {
                                break;
                            }
                        }
                        attempts.put(delivery == 1 ? rule.name() : rule.name() + " (delivery " + delivery + ")", tries);
                        Invocation last = tries.get(tries.size() - 1);
                        if (last.error() && function.failureQueue() != null) {
                            String record = failureRecord(function, event, last, tries.size(), region);
                            if (sqs != null) {
                                String url = sqs.getQueueUrl(r -> r.queueName(function.failureQueue())).queueUrl();
                                sqs.sendMessage(r -> r.queueUrl(url).messageBody(record));
                            }
                            failures.put(function.failureQueue(), record);
                        }
                    }
                }
                List<SchedulerEvent> timeline = new ArrayList<>();
                if (scheduler != null) {
                    Instant eventTime = Instant.parse(event.path("time").asText(Instant.now().toString()));
                    LocalScheduler after = new LocalScheduler(ecs, ec2, emulator, region, eventTime);
                    after.finishAt(DemoAccount.STANDALONE_GROUP, eventTime.plus(DemoAccount.STANDALONE_RUNS_FOR));
                    Instant last = AwsReactions.schedule(event, after);
                    HookWatch hooks = new HookWatch(emulator, region);
                    hooks.observe(after);
                    timeline.addAll(after.flush());
                    deliverQueues(template, processes, sqs, emulator, region, after, hooks, timeline, rechecks, eventTime);
                    Instant end = last == null || last.isBefore(after.now()) ? after.now() : last;
                    timeline.addAll(after.runUntil(end.plus(Duration.ofSeconds(30)), TICK));
                }
                return new Outcome(event, rules, attempts, failures, before, fleet.read(), coldStart, timeline,
                        proxy == null ? Map.of() : proxy.injected(), proxy == null ? Map.of() : proxy.executed(),
                        proxy == null ? Map.of() : proxy.answersLost(), rechecks, history);
            } finally {
                processes.forEach((logicalId, process) -> keepWarmOrClose(template.function(logicalId), functionEnvironment, process));
            }
        } finally {
            if (proxy != null && !WARM) {
                proxy.close();
            }
        }
    }

    /** Invokes each event of the history files, oldest first, by its routed functions, on the same emulator. */
    private static List<HistoryStep> replayHistory(List<Path> files, Duration shift, SamTemplate template,
                                                   Map<String, LambdaProcess> processes, Map<String, String> environment) throws IOException {
        List<ObjectNode> events = new ArrayList<>();
        for (Path file : files) {
            JsonNode parsed = JSON.readTree(Files.readAllBytes(file));
            for (JsonNode item : parsed.isArray() ? parsed : JSON.createArrayNode().add(parsed)) {
                if (!(item instanceof ObjectNode object) || !object.has("time")) {
                    throw new IllegalArgumentException(file + ": every history event must be a JSON object with a time");
                }
                events.add(object);
            }
        }
        events.sort(Comparator.comparing(e -> Instant.parse(e.path("time").asText())));
        List<HistoryStep> steps = new ArrayList<>();
        for (ObjectNode past : events) {
            Instant time = Instant.parse(past.path("time").asText()).plus(shift);
            past.put("time", time.toString());
            for (RuleSpec rule : new RuleRouter(template.rules()).route(JSON.writeValueAsString(past))) {
                FunctionSpec function = template.function(rule.functionLogicalId());
                LambdaProcess process = processes.get(function.logicalId());
                if (process == null) {
                    process = takeWarm(function, environment);
                }
                if (process == null) {
                    process = LambdaProcess.start(function, environment);
                    process.readyAt(Duration.ofSeconds(60));
                }
                processes.put(function.logicalId(), process);
                steps.add(new HistoryStep(time, past.path("detail-type").asText(), rule.name(), process.invoke(JSON.writeValueAsBytes(past))));
            }
        }
        return steps;
    }

    /**
     * Plays each routed function's SQS event sources until their queues are empty: visible
     * messages are delivered at once; otherwise the emulator releases the earliest delayed ones and
     * the local scheduler runs through the skipped time.
     */
    private static void deliverQueues(SamTemplate template, Map<String, LambdaProcess> processes, SqsClient sqs, LocalAws emulator,
                                      String region, LocalScheduler after, HookWatch hooks, List<SchedulerEvent> timeline,
                                      List<Recheck> rechecks, Instant eventTime) {
        Map<QueueSource, LambdaProcess> sources = new LinkedHashMap<>();
        processes.forEach((logicalId, process) -> template.queueSources(logicalId).forEach((queue, batchSize) ->
                sources.put(new QueueSource(sqs, queue, region, batchSize), process)));
        Duration skipped = Duration.ZERO;
        int deliveries = 0;
        while (!sources.isEmpty() && deliveries < MAX_QUEUE_DELIVERIES) {
            boolean delivered = false;
            for (Map.Entry<QueueSource, LambdaProcess> entry : sources.entrySet()) {
                List<Message> batch = entry.getKey().receive();
                if (batch.isEmpty()) {
                    continue;
                }
                Invocation invocation = entry.getValue().invoke(entry.getKey().event(batch, skipped));
                skipped = Duration.ZERO;
                entry.getKey().settle(batch, invocation);
                rechecks.add(new Recheck(Duration.between(eventTime, after.now()).toSeconds(), entry.getKey().queueName(), invocation));
                hooks.observe(after);
                timeline.addAll(after.flush());
                delivered = true;
                deliveries++;
            }
            if (delivered) {
                continue;
            }
            long seconds = -1;
            for (QueueSource source : sources.keySet()) {
                JsonNode released = emulator.control("sqs/release-delayed", Map.of("region", region, "queue", source.queueName()));
                if (released.path("released").asInt() > 0) {
                    seconds = Math.max(seconds, released.path("seconds").asLong());
                }
            }
            if (seconds < 0) {
                return;
            }
            Duration wait = Duration.ofSeconds(seconds);
            timeline.addAll(after.runUntil(after.now().plus(wait), Duration.ofSeconds(Math.max(1, Math.min(TICK.toSeconds(), seconds)))));
            skipped = skipped.plus(wait);
        }
    }

    /** The function as deployed (its handler, code and environment, which the replay's parameters set) and the AWS environment. */
    private static String warmKey(FunctionSpec function, Map<String, String> environment) {
        return function.logicalId() + "\n" + function.handler() + "\n" + function.codeUri() + "\n" + function.memoryMiB() + "\n"
                + new TreeMap<>(function.environment()) + "\n" + new TreeMap<>(environment);
    }

    /** A warm JVM of this function with this environment, or null (none, or the command line's cold start). */
    private static synchronized LambdaProcess takeWarm(FunctionSpec function, Map<String, String> environment) {
        if (!WARM) {
            return null;
        }
        LambdaProcess process = WARM_FUNCTIONS.remove(warmKey(function, environment));
        if (process != null && !process.isAlive()) {
            process.close();
            return null;
        }
        return process;
    }

    private static synchronized void keepWarmOrClose(FunctionSpec function, Map<String, String> environment, LambdaProcess process) {
        if (!WARM || !process.isAlive()) {
            process.close();
            return;
        }
        LambdaProcess replaced = WARM_FUNCTIONS.put(warmKey(function, environment), process);
        if (replaced != null && replaced != process) {
            replaced.close();
        }
        while (WARM_FUNCTIONS.size() > MAX_WARM) {
            Iterator<LambdaProcess> oldest = WARM_FUNCTIONS.values().iterator();
            oldest.next().close();
            oldest.remove();
        }
        closeAtExit();
    }

    private static synchronized FaultProxy warmProxy(LocalAws emulator) {
        if (warmProxy == null) {
            warmProxy = new FaultProxy(emulator.endpoint(), FaultRates.NONE, 0);
            closeAtExit();
        }
        return warmProxy;
    }

    private static void closeAtExit() {
        if (closingAtExit) {
            return;
        }
        closingAtExit = true;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            synchronized (ReplayCommand.class) {
                WARM_FUNCTIONS.values().forEach(LambdaProcess::close);
                WARM_FUNCTIONS.clear();
                if (warmProxy != null) {
                    warmProxy.close();
                }
            }
        }, "replay-warm-functions"));
    }

    private static Map<String, String> awsEnvironment(ReplayOptions options, LocalAws emulator, String region) {
        Map<String, String> env = new LinkedHashMap<>();
        if (emulator != null) {
            env.putAll(emulator.environment(region));
            return env;
        }
        env.put("AWS_REGION", region);
        for (String key : PASS_THROUGH) {
            String value = System.getenv(key);
            if (value != null) {
                env.put(key, value);
            }
        }
        if (!options.endpoint().equals("aws")) {
            URI.create(options.endpoint());
            env.put("AWS_ENDPOINT_URL", options.endpoint());
            env.putIfAbsent("AWS_ACCESS_KEY_ID", LocalAws.ACCESS_KEY);
            env.putIfAbsent("AWS_SECRET_ACCESS_KEY", LocalAws.SECRET_KEY);
        }
        return env;
    }

    private static <B extends AwsClientBuilder<B, C>
            & AwsSyncClientBuilder<B, C>, C> C client(
            B builder, Map<String, String> env, String region) {
        builder.region(Region.of(region)).httpClientBuilder(UrlConnectionHttpClient.builder());
        if (env.containsKey("AWS_ENDPOINT_URL")) {
            builder.endpointOverride(URI.create(env.get("AWS_ENDPOINT_URL")));
        }
        if (env.containsKey("AWS_ACCESS_KEY_ID") && env.containsKey("AWS_SECRET_ACCESS_KEY") && !env.containsKey("AWS_SESSION_TOKEN")) {
            builder.credentialsProvider(StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY"))));
        }
        return builder.build();
    }

    /** The record Lambda sends to an OnFailure destination when an asynchronous invocation's retries are exhausted. */
    public static String failureRecord(FunctionSpec function, JsonNode event, Invocation last, int attempts, String region)
            throws IOException {
        ObjectNode record = JSON.createObjectNode();
        record.put("version", "1.0");
        record.put("timestamp", Instant.now().toString());
        ObjectNode context = record.putObject("requestContext");
        context.put("requestId", UUID.randomUUID().toString());
        context.put("functionArn", "arn:aws:lambda:" + region + ":" + SamTemplate.ACCOUNT_ID + ":function:" + function.logicalId() + ":$LATEST");
        context.put("condition", "RetriesExhausted");
        context.put("approximateInvokeCount", attempts);
        record.set("requestPayload", event);
        ObjectNode response = record.putObject("responseContext");
        response.put("statusCode", 200);
        response.put("executedVersion", "$LATEST");
        response.put("functionError", "Unhandled");
        record.set("responsePayload", parseOrText(last.body()));
        return JSON.writeValueAsString(record);
    }

    static JsonNode parseOrText(String body) {
        try {
            return JSON.readTree(body.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(body);
        }
    }

    private static ObjectNode toJson(Outcome outcome) {
        ObjectNode root = JSON.createObjectNode();
        root.set("event", outcome.event());
        ArrayNode rules = root.putArray("rules");
        outcome.rules().forEach(rule -> rules.addObject().put("rule", rule.name()).put("function", rule.functionLogicalId()));
        if (outcome.coldStart() != null) {
            root.put("coldStartMs", outcome.coldStart().toMillis());
        }
        ObjectNode invocations = root.putObject("invocations");
        outcome.attempts().forEach((rule, list) -> {
            ArrayNode tries = invocations.putArray(rule);
            for (Invocation invocation : list) {
                ObjectNode item = tries.addObject();
                item.put("error", invocation.error());
                if (invocation.errorType() != null) {
                    item.put("errorType", invocation.errorType());
                }
                item.put("durationMs", invocation.duration().toMillis());
                item.set("result", parseOrText(invocation.body()));
                ArrayNode logs = item.putArray("logs");
                invocation.logLines().forEach(line -> logs.add(parseOrText(line)));
            }
        });
        ArrayNode rechecks = root.putArray("queueDeliveries");
        for (Recheck recheck : outcome.rechecks()) {
            ObjectNode item = rechecks.addObject();
            item.put("secondsAfterEvent", recheck.secondsAfterEvent());
            item.put("queue", recheck.queue());
            item.put("error", recheck.invocation().error());
            item.set("result", parseOrText(recheck.invocation().body()));
            ArrayNode logs = item.putArray("logs");
            recheck.invocation().logLines().forEach(line -> logs.add(parseOrText(line)));
        }
        ObjectNode failed = root.putObject("failureQueues");
        outcome.failureQueueRecords().forEach((queue, record) -> failed.set(queue, parseOrText(record)));
        ArrayNode timeline = root.putArray("afterTheEvent");
        for (SchedulerEvent step : outcome.timeline()) {
            ObjectNode item = timeline.addObject();
            item.put("secondsAfterEvent", Duration.between(Instant.parse(outcome.event().path("time").asText()), step.at()).toSeconds());
            item.put("kind", step.kind().name());
            item.put("cluster", step.cluster());
            item.put("service", step.service());
            item.put("instance", step.ec2InstanceId());
            item.put("task", step.taskArn());
            item.put("detail", step.detail());
        }
        root.set("instancesBefore", JSON.valueToTree(outcome.before().values()));
        root.set("instancesAfter", JSON.valueToTree(outcome.after().values()));
        root.set("faultsInjected", JSON.valueToTree(outcome.faultsInjected()));
        root.set("callsReachingAws", JSON.valueToTree(outcome.callsReachingAws()));
        root.set("answersLost", JSON.valueToTree(outcome.answersLost()));
        ArrayNode history = root.putArray("history");
        for (HistoryStep step : outcome.history()) {
            ObjectNode item = history.addObject();
            item.put("time", step.time().toString());
            item.put("rule", step.rule());
            item.put("error", step.invocation().error());
            item.set("result", parseOrText(step.invocation().body()));
        }
        root.put("exitCode", outcome.exitCode());
        return root;
    }
}
