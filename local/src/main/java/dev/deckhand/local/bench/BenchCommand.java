package dev.deckhand.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.core.config.RebalancePolicy;
import dev.deckhand.drain.planner.DrainPlanner;
import dev.deckhand.drain.planner.RunningTask;
import dev.deckhand.emulator.AccountSeeder;
import dev.deckhand.emulator.LocalAws;
import dev.deckhand.local.demo.DemoAccount;
import dev.deckhand.local.demo.OpenTicketDemo;
import dev.deckhand.local.faults.FaultProxy;
import dev.deckhand.local.faults.FaultRates;
import dev.deckhand.local.lambda.Invocation;
import dev.deckhand.local.lambda.LambdaProcess;
import dev.deckhand.local.routing.RuleRouter;
import dev.deckhand.local.scheduler.AwsReactions;
import dev.deckhand.local.scheduler.LocalScheduler;
import dev.deckhand.local.template.FunctionSpec;
import dev.deckhand.local.template.RuleSpec;
import dev.deckhand.local.template.SamTemplate;
import dev.deckhand.rebalance.planner.Budget;
import dev.deckhand.rebalance.planner.Plan;
import dev.deckhand.rebalance.planner.RebalancePlanner;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerInstanceStatus;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code deckhand bench}: how fast and how cheap each function is, measured the way Lambda runs
 * it (a new JVM through AWS's runtime interface client, against the emulator). Figures are medians
 * and percentiles of one run; the machine's own speed sets the absolute numbers, so compare rows
 * of the same run.
 */
public final class BenchCommand {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REGION = "us-east-2";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private final Path home;

    private LocalAws emulator;

    public BenchCommand(Path home) {
        this.home = home;
    }

    /** What AWS had done when it sent the event (an instance waiting on a lifecycle hook), before each invocation. */
    private Invocation invoke(LambdaProcess process, Sample sample) throws IOException {
        AwsReactions.before(JSON.readTree(sample.event()), emulator, REGION);
        return process.invoke(sample.event());
    }

    public static String usage() {
        return BenchOptions.USAGE;
    }

    public int run(List<String> args, PrintStream out) throws IOException {
        BenchOptions options = BenchOptions.parse(args);
        // The sweep's schedule is off by default; on here so its sample is measured too.
        SamTemplate template = SamTemplate.load(home.resolve("template.yaml"), Map.of("RebalanceSweepSchedule", "rate(1 hour)"), REGION);
        Map<String, List<Sample>> samples = samplesByFunction(template);
        StringBuilder report = new StringBuilder();
        report.append("# deckhand bench, ").append(Instant.now()).append("\n\n")
                .append(String.format("%d cold starts per function, %d warm invocations; %d cores, java %s; times in ms.%n",
                        options.runs(), options.warm(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version")));
        try (LocalAws emulator = LocalAws.start();
             FaultProxy proxy = new FaultProxy(emulator.endpoint(), FaultRates.NONE, 1)) {
            EcsClient ecs = emulator.client(EcsClient.builder(), REGION);
            Ec2Client ec2 = emulator.client(Ec2Client.builder(), REGION);
            DemoAccount.seed(new AccountSeeder(ecs, ec2, REGION));
            DemoAccount.seedHooks(emulator.client(AutoScalingClient.builder(), REGION));
            // open-ticket's samples name the demo's ECR repository, service and CodeDeploy application.
            OpenTicketDemo.seed(emulator, new AccountSeeder(ecs, ec2, REGION), emulator.client(EcrClient.builder(), REGION),
                    emulator.client(CodeDeployClient.builder(), REGION), REGION);
            SqsClient sqs = emulator.client(SqsClient.builder(), REGION);
            template.queues().forEach(queue -> sqs.createQueue(r -> r.queueName(queue)));
            EventBridgeClient bridge =
                    emulator.client(EventBridgeClient.builder(), REGION);
            template.buses().forEach(bus -> bridge.createEventBus(r -> r.name(bus)));
            new LocalScheduler(ecs, ec2, emulator, REGION, Instant.now()).settle(Duration.ofSeconds(10), 30);
            this.emulator = emulator;
            Map<String, String> environment = new LinkedHashMap<>(emulator.environment(REGION));
            environment.put("AWS_ENDPOINT_URL", proxy.endpoint().toString());

            progress(out, "baseline: JVM and runtime client with a no-op handler");
            Stats baseline = baseline(environment, options.runs());
            List<String[]> cold = new ArrayList<>();
            List<String[]> warm = new ArrayList<>();
            List<String[]> calls = new ArrayList<>();
            for (FunctionSpec function : template.functions()) {
                List<Sample> routed = samples.getOrDefault(function.logicalId(), List.of());
                if (routed.isEmpty()) {
                    continue;
                }
                progress(out, function.logicalId() + ": cold starts");
                cold.add(coldStarts(function, routed.get(0), environment, options.runs(), baseline, ecs));
                progress(out, function.logicalId() + ": warm invocations and calls per event");
                warm.add(warm(function, routed, recorded(function, environment, options.jfr()), options.warm(), proxy, ecs, calls));
            }
            report.append("\n## Cold start\n\n");
            table(report, new String[] {"function", "zip MB", "to first poll", "JVM + runtime client", "handler init", "first invocation"}, cold);
            report.append("\nJVM + runtime client: a no-op handler's time to its first poll, ").append(baseline.medianAndRange())
                    .append(". Handler init: the function's time to first poll less that. Median (range).\n");
            FunctionSpec drain = template.function("DrainInstanceFunction");
            Sample spot = samples.get(drain.logicalId()).stream().filter(sample -> sample.name().startsWith("spot-")).findFirst().orElseThrow();
            progress(out, "DrainInstanceFunction: cold-start options against the plain configuration");
            List<String[]> optionRows = new ColdStartOptions(home, options.runs(), process -> {
                Invocation invocation = invoke(process, spot);
                rearm(invocation, ecs);
                return invocation;
            }).measure(drain, environment);
            report.append("\n## Cold-start options, drain-instance (Spot warning)\n\n");
            table(report, new String[] {"option", "zip MB", "start to first poll (SnapStart: to snapshot)", "first invocation",
                    "cold start (start to first answer; SnapStart: after restore)", "vs plain"}, optionRows);
            report.append("\nEvery JVM runs with the managed runtime's own options (serial GC, C1 only, heap at 85% of memory)."
                    + " SnapStart's restore itself (the microVM snapshot) cannot be measured here; its row is what a restored"
                    + " container pays after it.\n");
            report.append("\n## Warm invocations\n\n");
            table(report, new String[] {"function", "invoke to answer p50", "p99", "in the handler p50",
                    "inside AWS SDK calls p50", "of which waiting on AWS p50", "Deckhand's own time p50 (apart from AWS calls)",
                    "own time p99", "peak memory MiB"}, warm);
            report.append("\nInvoke to answer: through the Runtime API, as Lambda's Duration counts it. In the handler: "
                    + "handleRequest from start to result. Inside AWS SDK calls: from the first interceptor that sees a call to its "
                    + "answer parsed (marshalling, signing, retries and parsing, and the waiting); the client's setup of each call "
                    + "before that (its execution context, the credentials it resolves) counts as own time. Waiting on AWS: from sending "
                    + "each request to reading its answer's headers, every attempt. Own time: the handler's time outside AWS calls. "
                    + "All as the function measures them itself (`timing` in each result).\n");
            if (options.jfr() != null) {
                report.append("\nRecorded with JFR (Java stacks sampled every millisecond) in ").append(options.jfr())
                        .append(": these warm figures include the recording's cost.\n");
                ownTimeParts(report, warm, options.jfr());
            }
            report.append("\n## AWS calls per event\n\n");
            table(report, new String[] {"event", "function", "calls", "by operation"}, calls);
            if (options.sweep()) {
                progress(out, "rebalance-tasks: seeding 1,000 instances and 20,000 tasks, then one sweep (dry run)");
                RebalanceSweepBench.Measured sweep = RebalanceSweepBench.run(emulator, REGION, 1_000, 200, 100);
                report.append("\n## rebalance-tasks sweep measured on the emulator\n\n");
                table(report, new String[] {"instances", "tasks", "AWS calls", "by operation", "would stop (default budget)", "run ms (emulator)"},
                        List.<String[]>of(new String[] {Integer.toString(sweep.instances()), Integer.toString(sweep.tasks()),
                                Integer.toString(sweep.calls().values().stream().mapToInt(Integer::intValue).sum()), sweep.calls().toString(),
                                Integer.toString(sweep.wouldStop()), Long.toString(sweep.run().toMillis())}));
                report.append("\nSeeding took ").append(sweep.seeding().toSeconds()).append(" s. Run time is dominated by the emulator; the planner's own time is below.\n");
            }
        }
        progress(out, "planners");
        report.append("\n## Planners\n\n");
        table(report, new String[] {"planner", "input", "median", "p99"}, planners());
        report.append("\n## rebalance-tasks at scale\n\n");
        table(report, new String[] {"what", "count"}, rebalanceAtScale());
        Path file = options.out() != null ? options.out()
                : home.resolve(".deckhand/bench/bench-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".md");
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, report.toString());
        out.println(report);
        out.println("written to " + file);
        return 0;
    }

    private static void progress(PrintStream out, String step) {
        System.err.println("bench: " + step);
    }

    record Sample(String name, byte[] event) {
    }

    private Map<String, List<Sample>> samplesByFunction(SamTemplate template) throws IOException {
        RuleRouter router = new RuleRouter(template.rules());
        Map<String, List<Sample>> byFunction = new LinkedHashMap<>();
        List<Path> files;
        try (Stream<Path> list = Files.list(home.resolve("events"))) {
            files = list.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        for (Path file : files) {
            byte[] event = Files.readAllBytes(file);
            for (RuleSpec rule : router.route(new String(event, StandardCharsets.UTF_8))) {
                byFunction.computeIfAbsent(rule.functionLogicalId(), k -> new ArrayList<>())
                        .add(new Sample(file.getFileName().toString(), withTimeNow(event)));
            }
        }
        return byFunction;
    }

    /** Samples carry a fixed time; a Spot warning two years old would be past its deadline. */
    private static byte[] withTimeNow(byte[] event) throws IOException {
        JsonNode node = JSON.readTree(event);
        if (node.has("time")) {
            ((ObjectNode) node).put("time", Instant.now().toString());
        }
        return JSON.writeValueAsBytes(node);
    }

    private Stats baseline(Map<String, String> environment, int runs) throws IOException {
        Path zip = Files.createTempFile("deckhand-noop-", ".zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip));
             InputStream clazz = NoopHandler.class.getResourceAsStream("NoopHandler.class")) {
            out.putNextEntry(new ZipEntry(NoopHandler.class.getName().replace('.', '/') + ".class"));
            out.write(clazz.readAllBytes());
            out.closeEntry();
        }
        FunctionSpec noop = new FunctionSpec("Baseline", NoopHandler.class.getName() + "::handleRequest", zip, "java21", 512,
                Duration.ofSeconds(30), Map.of(), 0, null);
        List<Double> ready = new ArrayList<>();
        try {
            for (int i = 0; i < runs; i++) {
                try (LambdaProcess process = LambdaProcess.start(noop, environment)) {
                    ready.add(millis(Duration.between(process.startedAt(), process.readyAt(READY_TIMEOUT))));
                    process.invoke("{}".getBytes(StandardCharsets.UTF_8));
                }
            }
        } finally {
            Files.deleteIfExists(zip);
        }
        return Stats.of(ready);
    }

    private String[] coldStarts(FunctionSpec function, Sample sample, Map<String, String> environment, int runs, Stats baseline,
                                EcsClient ecs) throws IOException {
        List<Double> ready = new ArrayList<>();
        List<Double> init = new ArrayList<>();
        List<Double> first = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            try (LambdaProcess process = LambdaProcess.start(function, environment)) {
                double toPoll = millis(Duration.between(process.startedAt(), process.readyAt(READY_TIMEOUT)));
                ready.add(toPoll);
                init.add(Math.max(0, toPoll - baseline.median()));
                Invocation invocation = invoke(process, sample);
                first.add(millis(invocation.duration()));
                rearm(invocation, ecs);
            }
        }
        return new String[] {function.logicalId(), String.format("%.1f", Files.size(function.codeUri()) / 1_000_000.0),
                Stats.of(ready).medianAndRange(), baseline.medianAndRange(), Stats.of(init).medianAndRange(),
                Stats.of(first).medianAndRange()};
    }

    /**
     * The environment of a function's warm invocations: with {@code --jfr}, its JVM records itself
     * (JFR's profile settings, method sampling at its maximum, every millisecond) into
     * {@code <dir>/<function>.jfr}, on top of any JAVA_TOOL_OPTIONS the function sets.
     */
    static Map<String, String> recorded(FunctionSpec function, Map<String, String> environment, Path jfr) throws IOException {
        if (jfr == null) {
            return environment;
        }
        Files.createDirectories(jfr);
        String own = function.environment().getOrDefault("JAVA_TOOL_OPTIONS", "");
        Map<String, String> recorded = new LinkedHashMap<>(environment);
        recorded.put("JAVA_TOOL_OPTIONS", (own + " -XX:StartFlightRecording:settings=profile,method-profiling=max,filename="
                + jfr.toAbsolutePath().resolve(function.logicalId() + ".jfr")).trim());
        return recorded;
    }

    /** Where each function's own time went, from its recording ({@link OwnTimeParts}). */
    private static void ownTimeParts(StringBuilder report, List<String[]> warm, Path jfr) throws IOException {
        List<String[]> rows = new ArrayList<>();
        for (String[] measured : warm) {
            rows.add(OwnTimeParts.of(jfr.resolve(measured[0] + ".jfr")).row(measured[0]));
        }
        report.append("\n### Own time by part (JFR samples)\n\n");
        table(report, new String[] {"function", "own-time samples", "the SDK's setup of calls, before Deckhand's interceptor",
                "of which auth scheme and credentials", "Jackson", "logging", "the rest (Deckhand's code, the JDK)"}, rows);
        report.append("\nSamples inside EventInvocation outside an AWS call's window, sorted by the first of these their stack holds:"
                + " an SDK frame, a Jackson frame, a logging frame. Shares of the function's own samples.\n");
    }

    private String[] warm(FunctionSpec function, List<Sample> samples, Map<String, String> environment, int count, FaultProxy proxy,
                          EcsClient ecs, List<String[]> calls) throws IOException {
        List<Double> total = new ArrayList<>();
        List<Double> own = new ArrayList<>();
        List<Double> handler = new ArrayList<>();
        List<Double> inCalls = new ArrayList<>();
        List<Double> waiting = new ArrayList<>();
        try (LambdaProcess process = LambdaProcess.start(function, environment)) {
            process.readyAt(READY_TIMEOUT);
            for (Sample sample : samples) {
                Map<String, Integer> before = proxy.executed();
                Invocation invocation = invoke(process, sample);
                Map<String, Integer> delta = delta(before, proxy.executed());
                calls.add(new String[] {sample.name(), function.logicalId(),
                        Integer.toString(delta.values().stream().mapToInt(Integer::intValue).sum()), delta.toString()});
                rearm(invocation, ecs);
            }
            for (int i = 0; i < count; i++) {
                Sample sample = samples.get(i % samples.size());
                AwsReactions.before(JSON.readTree(sample.event()), emulator, REGION);
                Invocation invocation = process.invoke(sample.event());
                JsonNode timing = JSON.readTree(invocation.body()).path("timing");
                total.add(millis(invocation.duration()));
                own.add(timing.path("ownMs").asDouble());
                handler.add(timing.path("handlerMs").asDouble());
                inCalls.add(timing.path("inAwsCallsMs").asDouble());
                waiting.add(timing.path("waitingOnAwsMs").asDouble());
                rearm(invocation, ecs);
            }
            Stats all = Stats.of(total);
            Stats mine = Stats.of(own);
            Stats inHandler = Stats.of(handler);
            long peak = process.peakMemoryKiB();
            return new String[] {function.logicalId(), fmt(all.median()), fmt(all.percentile(99)), fmt(inHandler.median()),
                    fmt(Stats.of(inCalls).median()), fmt(Stats.of(waiting).median()),
                    fmt(mine.median()), fmt(mine.percentile(99)), peak < 0 ? "?" : String.format("%.0f", peak / 1024.0)};
        }
    }

    /** Puts back what an invocation changed, so the next one does the same work: a drained instance is ACTIVE again. */
    private static void rearm(Invocation invocation, EcsClient ecs) throws IOException {
        if (invocation.error()) {
            throw new IllegalStateException("the function failed during the benchmark: " + invocation.body());
        }
        JsonNode answer = JSON.readTree(invocation.body());
        JsonNode result = answer.has("drain") ? answer.get("drain") : answer; // a lifecycle hook's drain
        if (result.path("changed").asBoolean() && result.hasNonNull("cluster") && result.hasNonNull("containerInstanceArn")) {
            ecs.updateContainerInstancesState(r -> r.cluster(result.get("cluster").asText())
                    .containerInstances(result.get("containerInstanceArn").asText()).status(ContainerInstanceStatus.ACTIVE));
        }
    }

    private static Map<String, Integer> delta(Map<String, Integer> before, Map<String, Integer> after) {
        Map<String, Integer> delta = new LinkedHashMap<>();
        after.forEach((operation, count) -> {
            int difference = count - before.getOrDefault(operation, 0);
            if (difference > 0) {
                delta.put(operation, difference);
            }
        });
        return delta;
    }

    /** Each planner on a large input: 10 warm-up runs, then 30 measured. */
    private static List<String[]> planners() {
        List<String[]> rows = new ArrayList<>();
        Random random = new Random(11);
        List<RunningTask> tasks = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            tasks.add(new RunningTask("arn:aws:ecs:us-east-2:123456789012:task/demo/" + i,
                    random.nextInt(10) == 0 ? "family:job" : "service:svc-" + random.nextInt(200),
                    Duration.ofSeconds(5 + random.nextInt(180))));
        }
        DrainPlanner drain = new DrainPlanner(RebalancePolicy.DRAIN);
        Instant now = Instant.now();
        rows.add(measure("drain-instance notSaved", "20,000 tasks on the draining instance",
                () -> drain.notSaved(tasks, now.plusSeconds(90), now)));
        RebalanceScale scale = RebalanceScale.skewed(1_000, 200, 20_000, new Random(13));
        RebalancePlanner rebalance = new RebalancePlanner();
        Budget budget = new Budget(100, 100_000, Duration.ZERO);
        rows.add(measure("rebalance-tasks plan, no budget", "1,000 instances, 200 services, 20,000 tasks",
                () -> rebalance.plan(scale.nodes(), scale.services(), budget, now)));
        Budget defaults = new Budget(2, 10, Duration.ofMinutes(30));
        rows.add(measure("rebalance-tasks plan, default budget", "1,000 instances, 200 services, 20,000 tasks",
                () -> rebalance.plan(scale.nodes(), scale.services(), defaults, now)));
        return rows;
    }

    /**
     * rebalance-tasks on 1,000 instances and 20,000 tasks: how many tasks it stops against a forced
     * redeployment of the same services (which replaces every task), and the AWS calls of a sweep of
     * that cluster, counted from the pages and batches ClusterTasksReader uses (100 per list page, 100 per
     * DescribeContainerInstances/DescribeTasks, 10 per DescribeServices).
     */
    static List<String[]> rebalanceAtScale() {
        RebalanceScale scale = RebalanceScale.skewed(1_000, 200, 20_000, new Random(13));
        Instant now = Instant.now();
        Plan unlimited = new RebalancePlanner().plan(scale.nodes(), scale.services(), new Budget(100, 100_000, Duration.ZERO), now);
        Plan defaults = new RebalancePlanner().plan(scale.nodes(), scale.services(), new Budget(2, 10, Duration.ofMinutes(30)), now);
        int services = scale.services().size();
        // ListContainerInstances and DescribeContainerInstances: 10 pages of 100; ListServices: 2 pages;
        // DescribeServices: by 10; ListTasks and DescribeTasks: 200 pages of 100; DescribeTaskDefinition: one per service, cold.
        int reads = 10 + 10 + 2 + services / 10 + 200 + 200 + services;
        int movedServices = (int) defaults.stops().stream().map(Plan.TaskStop::service).distinct().count();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"tasks to stop to even out every service (no budget)", Integer.toString(unlimited.stops().size())});
        rows.add(new String[] {"tasks a forced redeployment of the same 200 services replaces", "20000"});
        rows.add(new String[] {"tasks stopped in one run with the default budget (2 per service, 10 per cluster)",
                Integer.toString(defaults.stops().size())});
        rows.add(new String[] {"AWS read calls of one sweep of this cluster, cold (warm: less the " + services + " task definitions)",
                Integer.toString(reads)});
        rows.add(new String[] {"AWS write calls of that run (StopTask, TagResource)", Integer.toString(defaults.stops().size() + movedServices)});
        return rows;
    }

    static String[] measure(String name, String input, Supplier<?> work) {
        Map<Integer, Object> sink = new HashMap<>();
        for (int i = 0; i < 10; i++) {
            sink.put(i, work.get());
        }
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            long start = System.nanoTime();
            sink.put(i, work.get());
            times.add((System.nanoTime() - start) / 1e6);
        }
        Stats stats = Stats.of(times);
        return new String[] {name, input, String.format("%.2f", stats.median()), String.format("%.2f", stats.percentile(99))};
    }

    private static double millis(Duration duration) {
        return duration.toNanos() / 1e6;
    }

    private static String fmt(double millis) {
        return millis < 10 ? String.format("%.1f", millis) : String.format("%.0f", millis);
    }

    private static void table(StringBuilder report, String[] header, List<String[]> rows) {
        report.append("| ").append(String.join(" | ", header)).append(" |\n|");
        report.append("---|".repeat(header.length)).append('\n');
        for (String[] row : rows) {
            report.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
    }
}
