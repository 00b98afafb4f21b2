package dev.deckhand.local.rotation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.emulator.AccountSeeder;
import dev.deckhand.emulator.LocalAws;
import dev.deckhand.local.demo.DemoAccount;
import dev.deckhand.local.demo.DemoRotation;
import dev.deckhand.local.lambda.Invocation;
import dev.deckhand.local.lambda.LambdaProcess;
import dev.deckhand.local.routing.RuleRouter;
import dev.deckhand.local.scheduler.LocalScheduler;
import dev.deckhand.local.scheduler.SchedulerEvent;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * {@code deckhand rotation}: a full AMI rotation of the demo account, end to end. rotate-ami and
 * drain-instance run as Lambda runs them (their zips, Handler and Environment from template.yaml);
 * rotate-ami's first run is events/scheduled-ami-refresh.json, the next ones the reconcile schedule
 * (events/scheduled-ami-reconcile.json) every ten simulated minutes. Its retirement requests go to
 * the default bus of the emulator, are routed by template.yaml's own rules and delivered to
 * drain-instance; between runs the local scheduler moves tasks off draining instances, and Auto
 * Scaling and the fleets replace what rotate-ami terminates. Prints each run: templates, consumers,
 * retirements (the waves), terminations, the cluster's images, and the AWS calls of the run.
 */
public final class RotationCommand {

    public static final String USAGE = """
            usage: deckhand rotation [--max-draining N] [--max-draining-percent P] [--runs N]
              a full rotation of the demo account's cluster demo-fleet to the AMI its SSM parameter names
              --max-draining N          template parameter RotateMaxDraining (default 2)
              --max-draining-percent P  template parameter RotateMaxDrainingPercent (default 50: waves of 2 of 7)
              --runs N                  stop after N runs of rotate-ami (default 20)""";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REGION = "us-east-2";
    private static final Duration RECONCILE_EVERY = Duration.ofMinutes(10);

    private final Path home;

    public RotationCommand(Path home) {
        this.home = home;
    }

    public int run(List<String> args, PrintStream out) throws IOException {
        Map<String, String> parameters = new LinkedHashMap<>(Map.of("RotateMaxDraining", "2", "RotateMaxDrainingPercent", "50"));
        int maxRuns = 20;
        for (int i = 0; i < args.size(); i++) {
            String value = i + 1 < args.size() ? args.get(i + 1) : null;
            switch (args.get(i)) {
                case "--max-draining" -> parameters.put("RotateMaxDraining", number(args.get(i), value));
                case "--max-draining-percent" -> parameters.put("RotateMaxDrainingPercent", number(args.get(i), value));
                case "--runs" -> maxRuns = Integer.parseInt(number(args.get(i), value));
                default -> throw new IllegalArgumentException("unknown option " + args.get(i) + "\n" + USAGE);
            }
            i++;
        }
        SamTemplate template = SamTemplate.load(home.resolve("template.yaml"), parameters, REGION);
        RuleRouter router = new RuleRouter(template.rules());
        try (LocalAws emulator = LocalAws.start()) {
            Map<String, String> env = emulator.environment(REGION);
            EcsClient ecs = client(EcsClient.builder(), env);
            Ec2Client ec2 = client(Ec2Client.builder(), env);
            SqsClient sqs = client(SqsClient.builder(), env);
            AutoScalingClient autoscaling = client(AutoScalingClient.builder(), env);
            DemoAccount.seed(new AccountSeeder(ecs, ec2, REGION));
            DemoAccount.seedHooks(autoscaling);
            template.queues().forEach(queue -> sqs.createQueue(r -> r.queueName(queue)));
            String bus = busQueue(sqs, client(EventBridgeClient.builder(), env), template.buses().get(0));
            Instant start = Instant.parse("2026-11-22T10:00:00Z");
            LocalScheduler scheduler = new LocalScheduler(ecs, ec2, emulator, REGION, start);
            scheduler.settle(Duration.ofSeconds(10), 30);
            start = scheduler.now();
            String parameterImage = client(SsmClient.builder(), env)
                    .getParameter(r -> r.name(DemoRotation.PARAMETER)).parameter().value();
            out.println("deckhand rotation: demo-fleet (Auto Scaling group, EC2 Fleet, Spot Fleet) to " + parameterImage + " from "
                    + DemoRotation.PARAMETER + "; budget RotateMaxDraining=" + parameters.get("RotateMaxDraining")
                    + ", RotateMaxDrainingPercent=" + parameters.get("RotateMaxDrainingPercent"));
            out.println("before: " + images(ecs, ec2));
            try (LambdaProcess rotate = LambdaProcess.start(template.function("RotateAmiFunction"), env);
                 LambdaProcess drain = LambdaProcess.start(template.function("DrainInstanceFunction"), env)) {
                ObjectNode first = (ObjectNode) JSON.readTree(Files.readAllBytes(home.resolve("events/scheduled-ami-refresh.json")));
                ObjectNode next = (ObjectNode) JSON.readTree(Files.readAllBytes(home.resolve("events/scheduled-ami-reconcile.json")));
                Map<String, Integer> totalCalls = new TreeMap<>();
                for (int run = 1; run <= maxRuns; run++) {
                    ObjectNode event = (run == 1 ? first : next).deepCopy();
                    if (event.has("id")) {   // the reconcile schedule's sample is its rule's constant input: no id, no time
                        event.put("id", UUID.randomUUID().toString());
                        event.put("time", scheduler.now().toString());
                    }
                    String json = JSON.writeValueAsString(event);
                    List<RuleSpec> rules = router.route(json);
                    Invocation invocation = rotate.invoke((rules.isEmpty() ? json : rules.get(0).delivery(json))
                            .getBytes(StandardCharsets.UTF_8));
                    JsonNode result = JSON.readTree(invocation.body());
                    long minute = Duration.between(start, scheduler.now()).toMinutes();
                    out.printf("%nrun %d  t+%dm  %s (rule %s)  %s: %s%n", run, minute, result.path("trigger").asText(),
                            rules.isEmpty() ? "none" : rules.get(0).name(), result.path("decision").asText(invocation.error() ? "ERROR" : ""),
                            result.path("reason").asText(invocation.body()));
                    if (invocation.error()) {
                        invocation.logLines().forEach(line -> out.println("  | " + line));
                        return 1;
                    }
                    for (JsonNode t : result.path("templates")) {
                        if (!t.path("action").asText().equals("NOT_CHECKED") && !t.path("action").asText().equals("CURRENT")) {
                            out.printf("  template %s (%s): %s, default version %d, %s -> %s%n", t.path("templateName").asText(),
                                    t.path("templateId").asText(), t.path("action").asText(), t.path("defaultVersion").asLong(),
                                    t.path("previousImage").asText(), t.path("image").asText());
                        }
                    }
                    result.path("consumersMoved").forEach(c -> out.println("  moved " + c.asText()));
                    boolean idle = true;
                    for (JsonNode c : result.path("clusters")) {
                        if (c.path("retired").isEmpty() && c.path("terminated").isEmpty() && c.path("waiting").isMissingNode()) {
                            continue;
                        }
                        idle &= c.path("retired").isEmpty() && c.path("terminated").isEmpty();
                        out.printf("  %s: retired %s  terminated %s  draining %d of %d allowed%s%s%n", c.path("cluster").asText(),
                                c.path("retired"), c.path("terminated"), c.path("draining").asInt(), c.path("allowedDraining").asInt(),
                                c.has("canary") ? "  canary " + c.path("canary").asText() : "",
                                c.has("waiting") ? "  (" + c.path("waiting").asText() + ")" : "");
                    }
                    int runCalls = 0;
                    for (var it = result.path("awsCalls").fields(); it.hasNext(); ) {
                        var entry = it.next();
                        runCalls += entry.getValue().asInt();
                        totalCalls.merge(entry.getKey(), entry.getValue().asInt(), Integer::sum);
                    }
                    out.println("  AWS calls: " + runCalls + " " + result.path("awsCalls"));
                    for (Message message : sqs.receiveMessage(r -> r.queueUrl(bus).maxNumberOfMessages(10)).messages()) {
                        List<RuleSpec> to = router.route(template.buses().get(0), message.body());
                        Invocation drained = drain.invoke(message.body().getBytes(StandardCharsets.UTF_8));
                        JsonNode answer = JSON.readTree(drained.body());
                        out.printf("  -> %s: %s %s%n", to.isEmpty() ? "(no rule)" : to.get(0).name(), answer.path("decision").asText("ERROR"),
                                JSON.readTree(message.body()).path("detail").path("instance-id").asText());
                        sqs.deleteMessage(r -> r.queueUrl(bus).receiptHandle(message.receiptHandle()));
                    }
                    List<SchedulerEvent> timeline = scheduler.runUntil(scheduler.now().plus(RECONCILE_EVERY), Duration.ofSeconds(10));
                    Map<SchedulerEvent.Kind, Integer> kinds = new TreeMap<>();
                    List<String> registered = new ArrayList<>();
                    for (SchedulerEvent step : timeline) {
                        kinds.merge(step.kind(), 1, Integer::sum);
                        if (step.kind() == SchedulerEvent.Kind.INSTANCE_REGISTERED) {
                            registered.add(step.ec2InstanceId() + " (" + image(ec2, step.ec2InstanceId()) + ")");
                        }
                    }
                    if (!kinds.isEmpty()) {
                        out.println("  next 10 min: " + kinds + (registered.isEmpty() ? "" : "; registered " + registered));
                    }
                    String images = images(ecs, ec2);
                    out.println("  demo-fleet: " + images);
                    if (idle && run > 1 && images.equals("7 x " + parameterImage)) {
                        out.println("\nrotation complete after " + run + " runs (t+" + Duration.between(start, scheduler.now()).toMinutes()
                                + "m); AWS calls over all runs: " + totalCalls.values().stream().mapToInt(Integer::intValue).sum() + " " + totalCalls);
                        return 0;
                    }
                }
                out.println("\nrotation not complete after " + maxRuns + " runs");
                return 1;
            }
        }
    }

    /** Deckhand's own bus, and a queue behind a rule on it with drain-instance's retirement pattern: where rotate-ami's PutEvents entries land. */
    private static String busQueue(SqsClient sqs, EventBridgeClient events, String deckhandBus) {
        events.createEventBus(r -> r.name(deckhandBus));
        String url = sqs.createQueue(r -> r.queueName("deckhand-own-bus")).queueUrl();
        String arn = sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNamesWithStrings("QueueArn")).attributesAsStrings().get("QueueArn");
        events.putRule(r -> r.name("deckhand-retirements").eventBusName(deckhandBus).eventPattern("{\"source\":[\"deckhand\"]}"));
        events.putTargets(r -> r.rule("deckhand-retirements").eventBusName(deckhandBus).targets(t -> t.id("bus").arn(arn)));
        return url;
    }

    /** The images of demo-fleet's registered instances: "5 x ami-new, 2 x ami-old". */
    private static String images(EcsClient ecs, Ec2Client ec2) {
        List<String> arns = ecs.listContainerInstances(r -> r.cluster(DemoRotation.CLUSTER)).containerInstanceArns();
        Map<String, Integer> counts = new TreeMap<>();
        if (!arns.isEmpty()) {
            for (ContainerInstance ci : ecs.describeContainerInstances(r -> r.cluster(DemoRotation.CLUSTER).containerInstances(arns)).containerInstances()) {
                if (!"INACTIVE".equals(ci.status())) {
                    counts.merge(image(ec2, ci.ec2InstanceId()) + ("DRAINING".equals(ci.status()) ? " (draining)" : ""), 1, Integer::sum);
                }
            }
        }
        List<String> parts = new ArrayList<>();
        counts.forEach((image, count) -> parts.add(count + " x " + image));
        return String.join(", ", parts);
    }

    private static String image(Ec2Client ec2, String instanceId) {
        Instance instance = ec2.describeInstances(r -> r.instanceIds(instanceId)).reservations().get(0).instances().get(0);
        return instance.imageId();
    }

    private static String number(String option, String value) {
        if (value == null || !value.matches("\\d{1,4}")) {
            throw new IllegalArgumentException(option + " takes a number");
        }
        return value;
    }

    private static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(B builder, Map<String, String> env) {
        return builder.region(Region.of(REGION)).httpClientBuilder(UrlConnectionHttpClient.builder())
                .endpointOverride(URI.create(env.get("AWS_ENDPOINT_URL")))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(LocalAws.ACCESS_KEY, LocalAws.SECRET_KEY)))
                .build();
    }
}
