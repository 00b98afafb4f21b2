package dev.deckhand.local.routing;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.deckhand.capacity.HoldConfig;
import dev.deckhand.capacity.handler.HoldCapacityHandler;
import dev.deckhand.core.aws.AwsCallCounter;
import dev.deckhand.core.config.Env;
import dev.deckhand.drain.DrainConfig;
import dev.deckhand.drain.handler.DrainInstanceHandler;
import dev.deckhand.emulator.AccountSeeder;
import dev.deckhand.emulator.DeckhandHome;
import dev.deckhand.emulator.GroupSeeder;
import dev.deckhand.emulator.LocalAws;
import dev.deckhand.local.template.FunctionSpec;
import dev.deckhand.local.template.RuleSpec;
import dev.deckhand.local.template.SamTemplate;
import dev.deckhand.rebalance.RebalanceConfig;
import dev.deckhand.rebalance.handler.RebalanceTasksHandler;
import dev.deckhand.rotate.RotateConfig;
import dev.deckhand.rotate.handler.RotateAmiHandler;
import dev.deckhand.ticket.TicketConfig;
import dev.deckhand.ticket.handler.OpenTicketHandler;
import dev.deckhand.ticket.sink.HttpSender;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.inspector2.Inspector2Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * AWS's own documented sample of every event type Deckhand routes (events/aws-docs/, each file's
 * page in its README), as AWS prints it: routed by template.yaml's rules through event-ruler, then
 * handed in-process to each routed function's handler, against an account in the sample's own
 * region and account that holds only what the samples name (the ECS samples' cluster and service). Every sample reaches exactly its rules, and every handler answers it
 * (here: not managed, nothing to do) without an exception. An opaque value in AWS's form (a
 * lifecycle action token, an event id such as {@code ddca6449-...-e0e3aEXAMPLE}, an old 8-digit
 * instance id) must never be what refuses an event.
 *
 * The only change made to a sample is the time placeholder AWS prints ({@code yyyy-mm-ddThh:mm:ssZ}),
 * filled with a real time: EventBridge always sets {@code time}, and Deckhand acts on it (a Spot
 * warning's deadline). The lifecycle samples name the hook {@code my-lifecycle-hook}, so the
 * template is loaded with {@code LifecycleHookPrefix} {@code my-} (the operator's choice of prefix).
 */
@Tag("emulator")
class AwsDocSamplesTest {

    /** events/aws-docs/ file -> the rules it must match, and no others. */
    private static final Map<String, Set<String>> EXPECTED = Map.ofEntries(
            Map.entry("ec2-spot-instance-interruption-warning.json", Set.of("DrainInstanceFunction.SpotInterruptionWarning",
                    "HoldCapacityFunction.SpotInterruptionWarning")),
            Map.entry("ec2-instance-rebalance-recommendation.json", Set.of("DrainInstanceFunction.RebalanceRecommendation",
                    "HoldCapacityFunction.RebalanceRecommendation")),
            // state pending: neither a drain (stopping, shutting-down) nor a return (running)
            Map.entry("ec2-instance-state-change-pending.json", Set.of()),
            Map.entry("autoscaling-instance-launch-lifecycle-action.json", Set.of("DrainInstanceFunction.LifecycleAction")),
            Map.entry("autoscaling-instance-terminate-lifecycle-action.json", Set.of("DrainInstanceFunction.LifecycleAction")),
            // StatusMessage "message-text": not a capacity failure, so hold-capacity does not take it; open-ticket and
            // rotate-ami's canary take every failed launch and classify it (functions/core LaunchFailure)
            Map.entry("autoscaling-instance-launch-unsuccessful.json", Set.of("OpenTicketFunction.Launches",
                    "RotateAmiFunction.CanaryLaunchFailed")),
            Map.entry("ecs-container-instance-state-change.json", Set.of("RebalanceTasksFunction.DeploymentOrNewCapacity")),
            Map.entry("ecs-service-action-task-start-impaired.json", Set.of("OpenTicketFunction.Deployments")),
            Map.entry("ecs-service-action-task-placement-failure.json", Set.of("OpenTicketFunction.Deployments")),
            Map.entry("ecs-deployment-in-progress.json", Set.of("OpenTicketFunction.Deployments")),
            Map.entry("ecs-deployment-completed.json", Set.of("RebalanceTasksFunction.DeploymentOrNewCapacity",
                    "OpenTicketFunction.Deployments")),
            Map.entry("ecs-deployment-failed.json", Set.of("OpenTicketFunction.Deployments")),
            Map.entry("ecr-image-scan.json", Set.of("OpenTicketFunction.Findings")),
            // a parameter under RotateAmiParameterPath (/golden-ami*), in the stack's own account
            Map.entry("ssm-parameter-store-change-ami-create-failed.json", Set.of("RotateAmiFunction.NewImage")),
            // sub-type spotFleetRequestConfigurationInvalid: a configuration error, not a capacity shortage (not
            // hold-capacity's), one a person must fix (open-ticket's) and that stops a canary on it (rotate-ami's)
            Map.entry("ec2-fleet-error.json", Set.of("OpenTicketFunction.Launches", "RotateAmiFunction.CanaryLaunchFailed")),
            Map.entry("ec2-spot-fleet-error.json", Set.of("OpenTicketFunction.Launches", "RotateAmiFunction.CanaryLaunchFailed")),
            // an Update of the parameter the operator tracks (SAMPLE_PARAMETERS: Systems Manager's sample names MyExampleParameter)
            Map.entry("ssm-parameter-store-change-update.json", Set.of("RotateAmiFunction.NewImage")),
            Map.entry("imagebuilder-image-state-change-available.json", Set.of("RotateAmiFunction.NewImage")),
            // service EC2, category scheduledChange: drain-instance's Health rule (issue 16 point 7)
            Map.entry("health-ec2-instance-retirement-scheduled.json", Set.of("DrainInstanceFunction.HealthScheduledChange")),
            Map.entry("inspector2-finding-ecr-image.json", Set.of("OpenTicketFunction.Findings")));

    static final String TIME_PLACEHOLDER = "yyyy-mm-ddThh:mm:ssZ";

    private static final Path HOME = DeckhandHome.find();
    private static final Path SAMPLES = HOME.resolve("events/aws-docs");
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * The operator's choices AWS's samples assume: every optional rule on, hooks named {@code my-*}, and
     * rotate-ami reading the {@code golden-ami} parameter of Systems Manager's sample.
     */
    private static final Map<String, String> PARAMETERS = Map.of("RebalanceSweepSchedule", "rate(1 hour)",
            "RotateAmiParameterPath", "/golden-ami*", "LifecycleHookPrefix", "my-");

    /**
     * The operator's choices a sample assumes beyond {@link #PARAMETERS}: Systems Manager's Update sample
     * changes {@code MyExampleParameter}, so that is the parameter rotate-ami tracks for it; the Inspector
     * sample's finding is MEDIUM, so open-ticket tickets from MEDIUM up (the default, HIGH, would ignore it).
     */
    private static final Map<String, Map<String, String>> SAMPLE_PARAMETERS = Map.of(
            "ssm-parameter-store-change-update.json", Map.of("RotateAmiParameterPath", "/MyExampleParameter"),
            "inspector2-finding-ecr-image.json", Map.of("TicketMinSeverity", "medium"));

    /** The stack as deployed in the sample's own region and account (rules that name the stack's resources use both). */
    private static SamTemplate template(String name, JsonNode event) {
        Map<String, String> parameters = new HashMap<>(PARAMETERS);
        parameters.putAll(SAMPLE_PARAMETERS.getOrDefault(name, Map.of()));
        return SamTemplate.load(HOME.resolve("template.yaml"), parameters, event.path("region").asText(), event.path("account").asText());
    }

    static Stream<Path> samples() throws IOException {
        try (Stream<Path> files = Files.list(SAMPLES)) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void awsSample_routesToItsRules_andEachHandlerAnswersIt(Path sample) throws IOException {
        String name = sample.getFileName().toString();
        assertTrue(EXPECTED.containsKey(name), name + " is not listed in AwsDocSamplesTest.EXPECTED");
        // As if it had just arrived (a Spot warning's two minutes and hold-capacity's window start now).
        String event = Files.readString(sample).replace(TIME_PLACEHOLDER, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());

        JsonNode envelope = JSON.readTree(event);
        SamTemplate template = template(name, envelope);

        List<RuleSpec> rules = new RuleRouter(template.rules()).route(event);

        assertEquals(EXPECTED.get(name), names(rules), name);
        LocalAws aws = LocalAws.shared();
        aws.reset();
        String region = envelope.path("region").asText();
        try (SqsClient sqs = aws.client(SqsClient.builder(), region)) {
            template.queues().forEach(queue -> sqs.createQueue(r -> r.queueName(queue)));
        }
        if (envelope.path("source").asText().equals("aws.ecs")) {
            // The cluster and service AWS's ECS samples name (default/servicetest), so that open-ticket reaches
            // its sinks: an event about one that does not exist is a no-op (GONE), pinned by open-ticket's tests.
            try (EcsClient ecs = aws.client(EcsClient.builder(), region)) {
                ecs.createCluster(r -> r.clusterName("default"));
                String taskDefinition = ecs.registerTaskDefinition(r -> r.family("servicetest").containerDefinitions(
                        c -> c.name("app").image("public.ecr.aws/nginx/nginx:latest").memory(128))).taskDefinition().taskDefinitionArn();
                ecs.createService(r -> r.cluster("default").serviceName("servicetest").taskDefinition(taskDefinition).desiredCount(0));
            }
        }
        if (envelope.path("detail").has("LifecycleHookName")) {
            // The group AWS's sample names, tagged as the README asks of a managed cluster's groups
            // (the function may complete hooks only there), with no instance.
            new GroupSeeder(aws.client(AutoScalingClient.builder(), region), aws.client(Ec2Client.builder(), region), region)
                    .onDemand(envelope.path("detail").path("AutoScalingGroupName").asText(), 0, 1, Map.of(AccountSeeder.CLUSTER_TAG, "default"));
        }
        for (RuleSpec rule : rules) {
            byte[] delivered = rule.delivery(event).getBytes(StandardCharsets.UTF_8);
            RequestStreamHandler handler = handler(aws, template.function(rule.functionLogicalId()),
                    envelope.path("region").asText(), envelope.path("account").asText());
            ByteArrayOutputStream output = new ByteArrayOutputStream();

            assertDoesNotThrow(() -> handler.handleRequest(new ByteArrayInputStream(delivered), output, null),
                    name + " -> " + rule.name());

            JsonNode result = JSON.readTree(output.toByteArray());
            assertTrue(result.isObject() && result.size() > 0, name + " -> " + rule.name() + ": no result");
            String[] answer = ANSWERS.get(name + "|" + rule.name()).split("=", 2);
            // A field, or a JSON pointer into the result (drain-instance answers a Health event per instance).
            JsonNode field = answer[0].startsWith("/") ? result.at(answer[0]) : result.path(answer[0]);
            assertEquals(answer[1], field.asText(), name + " -> " + rule.name() + ": " + result);
        }
    }

    @Test
    void everyListedSample_exists_hasItsPageInTheReadme_andAnExpectedAnswerForEachRule() throws IOException {
        EXPECTED.keySet().forEach(name -> assertTrue(Files.isRegularFile(SAMPLES.resolve(name)), name));
        EXPECTED.forEach((name, rules) -> rules.forEach(rule -> assertTrue(ANSWERS.containsKey(name + "|" + rule),
                name + " -> " + rule + " has no expected answer")));
        assertTrue(Files.isRegularFile(SAMPLES.resolve("README.md")), "events/aws-docs/README.md names each sample's page");
        String readme = Files.readString(SAMPLES.resolve("README.md"));
        EXPECTED.keySet().forEach(name -> assertTrue(readme.contains(name), name + " has no row in events/aws-docs/README.md"));
    }

    /**
     * What each routed function answers its AWS sample in an account holding only the cluster and service
     * the ECS samples name: a result field and its value. Not managed or nothing to do where the sample names resources that are not Deckhand's;
     * open-ticket acts (its ticket sink is OpsCenter in the same account), and a launch hook waits
     * for its instance to register.
     */
    private static final Map<String, String> ANSWERS = Map.ofEntries(
            Map.entry("ec2-spot-instance-interruption-warning.json|DrainInstanceFunction.SpotInterruptionWarning", "decision=NOT_MANAGED"),
            Map.entry("ec2-spot-instance-interruption-warning.json|HoldCapacityFunction.SpotInterruptionWarning", "decision=NOT_HELD"),
            Map.entry("ec2-instance-rebalance-recommendation.json|DrainInstanceFunction.RebalanceRecommendation", "decision=NOT_MANAGED"),
            Map.entry("ec2-instance-rebalance-recommendation.json|HoldCapacityFunction.RebalanceRecommendation", "decision=NOT_HELD"),
            Map.entry("autoscaling-instance-launch-lifecycle-action.json|DrainInstanceFunction.LifecycleAction", "decision=WAITING"),
            // no such group or hook here: CompleteLifecycleAction's refusal reads as "no longer waiting"
            Map.entry("autoscaling-instance-terminate-lifecycle-action.json|DrainInstanceFunction.LifecycleAction", "decision=ALREADY_COMPLETED"),
            // resources already placed (remaining < registered), counts absent: not new capacity
            Map.entry("ecs-container-instance-state-change.json|RebalanceTasksFunction.DeploymentOrNewCapacity", "decision=IGNORED"),
            Map.entry("ecs-service-action-task-start-impaired.json|OpenTicketFunction.Deployments", "decision=TICKETED"),
            Map.entry("ecs-service-action-task-placement-failure.json|OpenTicketFunction.Deployments", "decision=TICKETED"),
            Map.entry("ecs-deployment-in-progress.json|OpenTicketFunction.Deployments", "decision=CHAT_ONLY"),
            // the service is there with no task: nothing to move
            Map.entry("ecs-deployment-completed.json|RebalanceTasksFunction.DeploymentOrNewCapacity", "decision=BALANCED"),
            Map.entry("ecs-deployment-completed.json|OpenTicketFunction.Deployments", "decision=CHAT_ONLY"),
            Map.entry("ecs-deployment-failed.json|OpenTicketFunction.Deployments", "decision=TICKETED"),
            Map.entry("ecr-image-scan.json|OpenTicketFunction.Findings", "decision=TICKETED"),
            // Parameter Store did not create it ("exception"): no new image, nothing to rotate
            Map.entry("ssm-parameter-store-change-ami-create-failed.json|RotateAmiFunction.NewImage", "decision=IGNORED"),
            // the group or fleet AWS's sample names does not exist here: nothing to ticket, no template to roll back
            Map.entry("autoscaling-instance-launch-unsuccessful.json|OpenTicketFunction.Launches", "decision=IGNORED"),
            Map.entry("autoscaling-instance-launch-unsuccessful.json|RotateAmiFunction.CanaryLaunchFailed", "decision=NO_MANAGED_TEMPLATE"),
            Map.entry("ec2-fleet-error.json|OpenTicketFunction.Launches", "decision=IGNORED"),
            Map.entry("ec2-fleet-error.json|RotateAmiFunction.CanaryLaunchFailed", "decision=NO_MANAGED_TEMPLATE"),
            Map.entry("ec2-spot-fleet-error.json|OpenTicketFunction.Launches", "decision=IGNORED"),
            Map.entry("ec2-spot-fleet-error.json|RotateAmiFunction.CanaryLaunchFailed", "decision=NO_MANAGED_TEMPLATE"),
            // no launch template here tracks the parameter, and no AMI here carries the image's Ec2ImageBuilderArn tag
            Map.entry("ssm-parameter-store-change-update.json|RotateAmiFunction.NewImage", "decision=NOT_TRACKED"),
            Map.entry("imagebuilder-image-state-change-available.json|RotateAmiFunction.NewImage", "decision=NOT_TRACKED"),
            // the instance the sample names (an ARN in affectedEntities) is no container instance here
            Map.entry("health-ec2-instance-retirement-scheduled.json|DrainInstanceFunction.HealthScheduledChange",
                    "/instances/0/decision=NOT_MANAGED"),
            // imageHash sha256:...EXAMPLE is opaque: ticketed (OpsCenter), not refused
            Map.entry("inspector2-finding-ecr-image.json|OpenTicketFunction.Findings", "decision=TICKETED"));

    private static RequestStreamHandler handler(LocalAws aws, FunctionSpec function, String region, String account) {
        Map<String, String> variables = new HashMap<>(function.environment());
        variables.put("AWS_REGION", region);
        variables.put("DECKHAND_ACCOUNT_ID", account);
        Env env = new Env(variables);
        String id = function.logicalId();
        AwsCallCounter calls = new AwsCallCounter();
        Clock clock = Clock.systemUTC();
        return switch (id) {
            case "DrainInstanceFunction" -> new DrainInstanceHandler(DrainConfig.from(env),
                    aws.functionClient(id, EcsClient.builder(), region), aws.functionClient(id, Ec2Client.builder(), region),
                    aws.functionClient(id, AutoScalingClient.builder(), region),
                    aws.functionClient(id, SqsClient.builder(), region), aws.functionClient(id, SsmClient.builder(), region), calls, clock);
            case "HoldCapacityFunction" -> new HoldCapacityHandler(HoldConfig.from(env),
                    aws.functionClient(id, AutoScalingClient.builder(), region), aws.functionClient(id, Ec2Client.builder(), region),
                    aws.functionClient(id, EcsClient.builder(), region), aws.functionClient(id, EventBridgeClient.builder(), region), calls, clock);
            case "RebalanceTasksFunction" -> new RebalanceTasksHandler(RebalanceConfig.from(env),
                    aws.functionClient(id, EcsClient.builder(), region), calls, clock);
            case "RotateAmiFunction" -> new RotateAmiHandler(RotateConfig.from(env), aws.functionClient(id, EcsClient.builder(), region),
                    aws.functionClient(id, Ec2Client.builder(), region), aws.functionClient(id, AutoScalingClient.builder(), region),
                    aws.functionClient(id, SsmClient.builder(), region), aws.functionClient(id, EventBridgeClient.builder(), region), calls, clock);
            case "OpenTicketFunction" -> {
                TicketConfig config = TicketConfig.from(env);
                yield new OpenTicketHandler(config, new OpenTicketHandler.Clients(aws.functionClient(id, EcrClient.builder(), region),
                        aws.functionClient(id, EcsClient.builder(), region), aws.functionClient(id, CodeDeployClient.builder(), region),
                        aws.functionClient(id, SsmClient.builder(), region), aws.functionClient(id, Inspector2Client.builder(), region),
                        aws.functionClient(id, AutoScalingClient.builder(), region), aws.functionClient(id, Ec2Client.builder(), region),
                        HttpSender.standard(config.httpMaxAttempts(), config.httpMaxRetryAfter())), calls, clock);
            }
            default -> throw new IllegalArgumentException("no in-process handler for " + id);
        };
    }

    private static Set<String> names(List<RuleSpec> rules) {
        Set<String> names = new HashSet<>();
        rules.forEach(rule -> names.add(rule.name()));
        return names;
    }
}
