package dev.deckhand.rotate.handler;

import static dev.deckhand.testkit.Handlers.invoke;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deckhand.core.aws.AwsCallCounter;
import dev.deckhand.core.config.ManagedClusters;
import dev.deckhand.core.event.BadEventException;
import dev.deckhand.core.event.EventTypes;
import dev.deckhand.emulator.AccountSeeder;
import dev.deckhand.emulator.AccountSeeder.SeededInstance;
import dev.deckhand.emulator.DeckhandHome;
import dev.deckhand.emulator.FleetSeeder;
import dev.deckhand.emulator.LocalAws;
import dev.deckhand.rotate.RotateConfig;
import dev.deckhand.rotate.planner.Budget;
import dev.deckhand.rotate.planner.MaintenanceWindow;
import dev.deckhand.emulator.MovableClock;
import dev.deckhand.testkit.Envelopes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.TerminateInstanceInAutoScalingGroupRequest;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * rotate-ami end to end against the emulator: templates, each consumer kind, canary, budget-sized
 * waves, rollback, the window, dry run, image errors, idempotency and bad events.
 */
@Tag("emulator")
class RotateAmiHandlerTest {

    private static final String REGION = "us-east-2";
    /** Deckhand's own bus, as template.yaml names it for the stack `deckhand`. */
    static final String BUS = "deckhand-deckhand";
    private static final String PARAMETER = "/deckhand/test/ecs-ami";
    private static final Instant START = Instant.parse("2026-11-22T10:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Every call that changes something. */
    static final Set<String> MUTATING = Set.of("ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate", "ec2:CreateTags",
            "ec2:TerminateInstances", "ec2:ModifyFleet", "ec2:ModifySpotFleetRequest", "autoscaling:UpdateAutoScalingGroup",
            "autoscaling:TerminateInstanceInAutoScalingGroup", "eventbridge:PutEvents");

    private final AwsCallCounter calls = new AwsCallCounter();
    private final MovableClock clock = new MovableClock(START);
    private FleetSeeder fleets;
    private EcsClient ecs;
    private Ec2Client ec2;
    private AutoScalingClient autoscaling;
    private SsmClient ssm;
    private EventBridgeClient events;
    /** The test's own clients, for what ECS, EC2 and people do around the function (not recorded as its calls). */
    private EcsClient testEcs;
    private Ec2Client testEc2;
    private AutoScalingClient testAutoscaling;
    private SsmClient testSsm;
    private String oldImage;
    private String newImage;
    private String template;
    private String retirements;

    @BeforeEach
    void clusterOnAnOldImage() {
        LocalAws aws = LocalAws.shared();
        aws.reset();
        ecs = aws.functionClient("RotateAmiFunction", EcsClient.builder(), REGION, calls);
        ec2 = aws.functionClient("RotateAmiFunction", Ec2Client.builder(), REGION, calls);
        autoscaling = aws.functionClient("RotateAmiFunction", AutoScalingClient.builder(), REGION, calls);
        ssm = aws.functionClient("RotateAmiFunction", SsmClient.builder(), REGION, calls);
        events = aws.functionClient("RotateAmiFunction", EventBridgeClient.builder(), REGION, calls);
        testEcs = aws.client(EcsClient.builder(), REGION);
        testEc2 = aws.client(Ec2Client.builder(), REGION);
        testAutoscaling = aws.client(AutoScalingClient.builder(), REGION);
        testSsm = aws.client(SsmClient.builder(), REGION);
        fleets = new FleetSeeder(aws, REGION);
        new AccountSeeder(aws, REGION).cluster("web");
        oldImage = fleets.image("ecs-2026.11");
        newImage = fleets.image("ecs-2026.12");
        template = fleets.template("web", oldImage, "web", PARAMETER);
        fleets.autoScalingGroup("web-asg", template, "1", "web", 4);
        fleets.parameter(PARAMETER, newImage);
        // Where retirement requests land: a rule on Deckhand's own bus to a queue, as drain-instance's rule would route them.
        SqsClient sqs = aws.client(SqsClient.builder(), REGION);
        retirements = sqs.createQueue(r -> r.queueName("retirements")).queueUrl();
        String queueArn = sqs.getQueueAttributes(r -> r.queueUrl(retirements).attributeNamesWithStrings("QueueArn")).attributesAsStrings().get("QueueArn");
        EventBridgeClient bus = aws.client(EventBridgeClient.builder(), REGION);
        bus.createEventBus(r -> r.name(BUS));
        bus.putRule(r -> r.name("retirement").eventBusName(BUS)
                .eventPattern("{\"source\":[\"deckhand\"],\"detail-type\":[\"Deckhand Instance Retirement Requested\"]}"));
        bus.putTargets(r -> r.rule("retirement").eventBusName(BUS).targets(t -> t.id("queue").arn(queueArn)));
        calls.reset();
    }

    private RotateAmiHandler handler(boolean dryRun, MaintenanceWindow window, Duration maxAge) {
        return new RotateAmiHandler(new RotateConfig(ManagedClusters.of("web"), dryRun, REGION, RotateConfig.ECS_AL2023,
                new Budget(2, 50, Duration.ofMinutes(30), maxAge), window, BUS), ecs, ec2, autoscaling, ssm, events, calls, clock);
    }

    private RotateAmiHandler handler() {
        return handler(false, MaintenanceWindow.ALWAYS, null);
    }

    static String schedule() {
        return Envelopes.event(EventTypes.SOURCE_EVENTS, EventTypes.SCHEDULED_EVENT).id("53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa")
                .resources("arn:aws:events:us-east-2:123456789012:rule/deckhand-RotateAmiFunctionSchedule-1").json();
    }

    static String requested(String detail) {
        return Envelopes.event(EventTypes.SOURCE_DECKHAND, EventTypes.AMI_REFRESH_REQUESTED).id("0d079340-135a-c8c6-95c2-41fb8f496c53")
                .detail(detail).json();
    }

    private List<ContainerInstance> containerInstances() {
        List<String> arns = ecs.listContainerInstances(r -> r.cluster("web")).containerInstanceArns();
        return arns.isEmpty() ? List.of() : ecs.describeContainerInstances(r -> r.cluster("web").containerInstances(arns)).containerInstances();
    }

    private Instance instance(String id) {
        return ec2.describeInstances(r -> r.instanceIds(id)).reservations().get(0).instances().get(0);
    }

    private List<String> retiring() {
        List<String> ids = new ArrayList<>();
        for (ContainerInstance ci : containerInstances()) {
            // By filter: a container instance may have no EC2 instance behind it (gone, or ECS Anywhere).
            List<Instance> found = ec2.describeInstances(r -> r.filters(f -> f.name("instance-id").values(ci.ec2InstanceId())))
                    .reservations().stream().flatMap(reservation -> reservation.instances().stream()).toList();
            if (found.stream().anyMatch(i -> i.tags().stream().anyMatch(t -> t.key().equals("deckhand:retiring")))) {
                ids.add(ci.ec2InstanceId());
            }
        }
        return ids;
    }

    /** What drain-instance and ECS do: the retiring instances go DRAINING, their tasks leave. */
    private void drain(List<String> instanceIds) {
        List<String> arns = containerInstances().stream().filter(ci -> instanceIds.contains(ci.ec2InstanceId()))
                .map(ContainerInstance::containerInstanceArn).toList();
        if (!arns.isEmpty()) {
            testEcs.updateContainerInstancesState(r -> r.cluster("web").containerInstances(arns).status("DRAINING"));
        }
    }

    /** What EC2 and the ECS agent do: terminated instances leave the cluster, new ones register. */
    private void settle() {
        List<String> registered = new ArrayList<>();
        for (ContainerInstance ci : containerInstances()) {
            if (!"running".equals(instance(ci.ec2InstanceId()).state().nameAsString())) {
                testEcs.deregisterContainerInstance(r -> r.cluster("web").containerInstance(ci.containerInstanceArn()).force(true));
            } else {
                registered.add(ci.ec2InstanceId());
            }
        }
        List<String> fresh = new ArrayList<>();
        autoscaling.describeAutoScalingGroups().autoScalingGroups().forEach(g -> g.instances().forEach(i -> {
            if (!registered.contains(i.instanceId())) {
                fresh.add(i.instanceId());
            }
        }));
        fleets.register("web", fresh);
        calls.reset();
    }

    private long count(String call) {
        return calls.calls().stream().filter(call::equals).count();
    }

    private String defaultImage() {
        return ec2.describeLaunchTemplateVersions(r -> r.launchTemplateId(template).versions("$Default")).launchTemplateVersions()
                .get(0).launchTemplateData().imageId();
    }

    private String groupVersion() {
        return autoscaling.describeAutoScalingGroups(r -> r.autoScalingGroupNames("web-asg")).autoScalingGroups().get(0)
                .launchTemplate().version();
    }

    @Test
    void firstRun_updatesTheTemplateFromItsDefault_movesThePinnedGroup_andRetiresOneCanary() throws IOException {
        JsonNode result = invoke(handler(), schedule());

        assertEquals("ROTATING", result.path("decision").asText(), result.toString());
        assertEquals(newImage, defaultImage());
        var v2 = ec2.describeLaunchTemplateVersions(r -> r.launchTemplateId(template).versions("2")).launchTemplateVersions().get(0);
        assertEquals("m5.large", v2.launchTemplateData().instanceTypeAsString(), "everything but ImageId is kept");
        assertTrue(v2.launchTemplateData().userData() != null);
        assertEquals("2", groupVersion());
        assertEquals(1, retiring().size(), "the canary goes alone");
        assertEquals(1, count("eventbridge:PutEvents"));
        JsonNode cluster = result.path("clusters").get(0);
        assertTrue(cluster.path("canary").asText().contains(newImage));
    }

    @Test
    void fullRotation_canaryThenBudgetSizedWaves_endsWithEveryInstanceOnTheNewImage() throws IOException {
        RotateAmiHandler handler = handler();
        List<Integer> waves = new ArrayList<>();
        for (int run = 0; run < 12; run++) {
            JsonNode result = invoke(handler, schedule());
            JsonNode cluster = result.path("clusters").get(0);
            if (cluster.path("retired").size() > 0) {
                waves.add(cluster.path("retired").size());
            }
            assertTrue(cluster.path("draining").asInt() <= cluster.path("allowedDraining").asInt());
            drain(retiring());
            settle();
            clock.advance(Duration.ofMinutes(5));
            if (containerInstances().stream().allMatch(ci -> instance(ci.ec2InstanceId()).imageId().equals(newImage))
                    && containerInstances().size() == 4) {
                break;
            }
        }

        assertEquals(1, waves.get(0), "canary first");
        assertTrue(waves.stream().allMatch(w -> w <= 2), "never more than the budget: " + waves);
        assertEquals(4, containerInstances().size());
        containerInstances().forEach(ci -> assertEquals(newImage, instance(ci.ec2InstanceId()).imageId()));
        assertEquals(4, autoscaling.describeAutoScalingGroups(r -> r.autoScalingGroupNames("web-asg")).autoScalingGroups().get(0)
                .desiredCapacity(), "terminated without decrementing the desired capacity");
    }

    /**
     * Drained is every task STOPPED: a task stopped for the drain leaves runningTasksCount at once but
     * still serves while DEACTIVATING (its target group's deregistration delay) and STOPPING (its
     * stopTimeout) ("Amazon ECS task lifecycle",
     * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-lifecycle-explanation.html).
     */
    @Test
    void drainedCanaryWithATaskStillDeactivating_isNotTerminated_untilTheTaskIsStopped() throws IOException {
        RotateAmiHandler handler = handler();
        invoke(handler, schedule());
        List<String> canary = retiring();
        assertEquals(1, canary.size());
        ContainerInstance ci = containerInstances().stream().filter(c -> c.ec2InstanceId().equals(canary.get(0))).findFirst().orElseThrow();
        String targetGroup = LocalAws.shared().targetGroup(REGION, "web", 60);
        String td = new AccountSeeder(LocalAws.shared(), REGION).taskDefinition("web", 128, 128, 20);
        testEcs.createService(r -> r.cluster("web").serviceName("web").taskDefinition(td).desiredCount(1)
                .loadBalancers(lb -> lb.targetGroupArn(targetGroup).containerName("web").containerPort(80)));
        String task = testEcs.startTask(r -> r.cluster("web").taskDefinition(td).containerInstances(ci.containerInstanceArn())
                .group("service:web")).tasks().get(0).taskArn();
        drain(canary);
        testEcs.stopTask(r -> r.cluster("web").task(task).reason("its instance is DRAINING"));
        calls.reset();

        JsonNode whileServing = invoke(handler, schedule());

        assertEquals(0, count("autoscaling:TerminateInstanceInAutoScalingGroup"), whileServing.toString());
        assertEquals("running", instance(canary.get(0)).state().nameAsString());

        LocalAws.shared().control("clock/advance", Map.of("seconds", 60 + 20));
        JsonNode stopped = invoke(handler, schedule());

        assertEquals(1, count("autoscaling:TerminateInstanceInAutoScalingGroup"), stopped.toString());
        assertEquals("terminated", instance(canary.get(0)).state().nameAsString());
    }

    @Test
    void canaryWithoutAReplacementWithinTheDeadline_rollsBackTheTemplateAndTheGroup() throws IOException {
        RotateAmiHandler handler = handler();
        invoke(handler, schedule());
        clock.advance(Duration.ofMinutes(31));   // the canary never drains, its replacement never comes

        JsonNode result = invoke(handler, schedule());

        assertEquals("ROLLED_BACK", result.path("decision").asText(), result.toString());
        assertEquals(oldImage, defaultImage());
        assertEquals("1", groupVersion());
        JsonNode again = invoke(handler, schedule());
        assertEquals("HELD_AFTER_ROLLBACK", again.path("templates").get(0).path("action").asText());
        assertEquals(0, count("ec2:CreateLaunchTemplateVersion"), "the rolled-back image is not tried again");
    }

    static String launchUnsuccessful(String group, String message) {
        // EC2 Auto Scaling User Guide, "Amazon EC2 Auto Scaling event reference": EC2 Instance Launch Unsuccessful.
        return Envelopes.event(EventTypes.SOURCE_AUTOSCALING, EventTypes.LAUNCH_UNSUCCESSFUL).id("12345678-1234-1234-1234-123456789051")
                .time("2026-11-22T10:05:00Z")
                .resources("arn:aws:autoscaling:us-east-2:123456789012:autoScalingGroup:7c1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6:autoScalingGroupName/" + group)
                .detail("""
                        {"StatusCode":"Failed","AutoScalingGroupName":"%s","ActivityId":"87654321-4321-4321-4321-210987654351",
                         "Details":{"Availability Zone":"us-east-2a","Subnet ID":"subnet-12345678"},"RequestId":"12345678-1234-1234-1234-123456789052",
                         "StatusMessage":"%s","EndTime":"2026-11-22T10:05:00Z","EC2InstanceId":"","StartTime":"2026-11-22T10:04:50Z",
                         "Cause":"At 2026-11-22T10:04:50Z an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 3 to 4."}
                        """.formatted(group, message)).json();
    }

    @Test
    void canaryWhoseReplacementCannotLaunchTheNewImage_rollsBackAtOnce_withoutWaitingForTheDeadline() throws IOException {
        RotateAmiHandler handler = handler();
        invoke(handler, schedule());
        List<String> canary = retiring();
        assertEquals(1, canary.size());
        // The published image is broken: deregistered. The canary goes; Auto Scaling's replacement from version 2 fails
        // as AWS documents ("Troubleshoot: AMI issues"), and the failure's event reaches rotate-ami.
        testEc2.deregisterImage(r -> r.imageId(newImage));
        testAutoscaling.terminateInstanceInAutoScalingGroup(r -> r.instanceId(canary.get(0)).shouldDecrementDesiredCapacity(false));
        String message = testAutoscaling.describeScalingActivities(r -> r.autoScalingGroupName("web-asg").maxRecords(1)).activities()
                .get(0).statusMessage();
        assertEquals("The AMI ID " + newImage + " does not exist. Launching EC2 instance failed.", message);
        clock.advance(Duration.ofMinutes(2));   // far within the 30-minute canary deadline

        JsonNode result = invoke(handler, launchUnsuccessful("web-asg", message));

        assertEquals("ROLLED_BACK", result.path("decision").asText(), result.toString());
        assertTrue(result.toString().contains("cannot launch on " + newImage), result.toString());
        assertEquals(oldImage, defaultImage());
        assertEquals("1", groupVersion());
    }

    @Test
    void launchFailures_thatSayNothingOfTheImage_orOfAnotherGroup_changeNothing() throws IOException {
        RotateAmiHandler handler = handler();
        invoke(handler, schedule());
        calls.reset();

        JsonNode capacity = invoke(handler, launchUnsuccessful("web-asg",
                "There is no Spot capacity available that matches your request. Launching EC2 instance failed."));
        JsonNode other = invoke(handler, launchUnsuccessful("other-asg", "The AMI ID ami-0123456789abcdef0 does not exist. Launching EC2 instance failed."));

        assertEquals("IGNORED", capacity.path("decision").asText(), capacity.toString());
        assertEquals("IGNORED", other.path("decision").asText(), other.toString());
        assertEquals(newImage, defaultImage());
        assertEquals(0, calls.calls().stream().filter(MUTATING::contains).count(), calls.calls().toString());
    }

    @Test
    void sameEventThreeTimes_oneVersion_oneCanary() throws IOException {
        for (int i = 0; i < 3; i++) {
            invoke(handler(), schedule());
        }

        assertEquals(2L, ec2.describeLaunchTemplates(r -> r.launchTemplateIds(template)).launchTemplates().get(0).latestVersionNumber());
        assertEquals(1, retiring().size());
    }

    @Test
    void dryRun_readsAndDecides_changesNothing() throws IOException {
        JsonNode result = invoke(handler(true, MaintenanceWindow.ALWAYS, null), schedule());

        assertEquals("DRY_RUN_ROTATE", result.path("decision").asText());
        assertEquals(List.of(), calls.calls().stream().filter(MUTATING::contains).toList());
        assertEquals(oldImage, defaultImage());
    }

    @Test
    void outsideTheMaintenanceWindow_onlyTheTemplateMoves() throws IOException {
        MaintenanceWindow window = MaintenanceWindow.parse("cron(0 2 * * ? *)", Duration.ofHours(1));   // 02:00-03:00, now is 10:00

        JsonNode result = invoke(handler(false, window, null), schedule());

        assertEquals(newImage, defaultImage());
        assertEquals(List.of(), retiring());
        assertTrue(result.path("reason").asText().contains("outside the maintenance window"));
        assertEquals(0, count("eventbridge:PutEvents"));
    }

    @Test
    void missingParameter_isAClearError_andChangesNothing() throws IOException {
        testSsm.deleteParameter(r -> r.name(PARAMETER));
        calls.reset();

        JsonNode result = invoke(handler(), schedule());

        assertEquals("IMAGE_ERROR", result.path("decision").asText());
        assertTrue(result.path("templates").get(0).path("error").asText().contains(PARAMETER + " (tag deckhand:ami-parameter of launch template "
                + template + ") does not exist"), result.toString());
        assertEquals(List.of(), calls.calls().stream().filter(MUTATING::contains).toList());
    }

    @Test
    void parameterNamingAnImageThatDoesNotExist_isAClearError_andChangesNothing() throws IOException {
        fleets.parameter(PARAMETER, "ami-0123456789abcdef0");
        calls.reset();

        JsonNode result = invoke(handler(), schedule());

        assertEquals("IMAGE_ERROR", result.path("decision").asText());
        assertTrue(result.path("templates").get(0).path("error").asText().contains("names image ami-0123456789abcdef0, which does not exist"));
        assertEquals(List.of(), calls.calls().stream().filter(MUTATING::contains).toList());
        assertEquals(oldImage, defaultImage());
    }

    @Test
    void ec2FleetAndSpotFleetPinnedToTheOldVersion_areMovedToTheNewOne_andReplaceFromIt() throws IOException {
        String fleet = fleets.ec2Fleet(template, "1", 2, false);
        String spot = fleets.spotFleet(template, "1", 2);
        fleets.register("web", fleets.ec2FleetInstances(fleet));
        fleets.register("web", fleets.spotFleetInstances(spot));
        calls.reset();

        invoke(handler(), schedule());

        assertEquals("2", ec2.describeFleets(r -> r.fleetIds(fleet)).fleets().get(0).launchTemplateConfigs().get(0)
                .launchTemplateSpecification().version());
        assertEquals("2", ec2.describeSpotFleetRequests(r -> r.spotFleetRequestIds(spot)).spotFleetRequestConfigs().get(0)
                .spotFleetRequestConfig().launchTemplateConfigs().get(0).launchTemplateSpecification().version());
        String fleetMember = fleets.ec2FleetInstances(fleet).get(0);
        testEc2.terminateInstances(r -> r.instanceIds(fleetMember));
        fleets.ec2FleetInstances(fleet).stream().filter(id -> !id.equals(fleetMember)).reduce((a, b) -> b)
                .ifPresent(id -> assertEquals(newImage, instance(id).imageId()));
    }

    @Test
    void retiringFleetMember_isTerminatedWithTerminateInstances_onceDrained() throws IOException {
        testAutoscaling.deleteAutoScalingGroup(r -> r.autoScalingGroupName("web-asg").forceDelete(true));
        for (ContainerInstance ci : containerInstances()) {
            testEcs.deregisterContainerInstance(r -> r.cluster("web").containerInstance(ci.containerInstanceArn()).force(true));
        }
        String fleet = fleets.ec2Fleet(template, "1", 3, false);
        List<SeededInstance> members = fleets.register("web", fleets.ec2FleetInstances(fleet));
        calls.reset();
        RotateAmiHandler handler = handler();
        invoke(handler, schedule());
        List<String> canary = retiring();
        assertEquals(1, canary.size());
        drain(canary);
        calls.reset();

        invoke(handler, schedule());

        assertEquals(1, count("ec2:TerminateInstances"));
        assertEquals("terminated", instance(canary.get(0)).state().nameAsString());
        assertNotEquals(members.size(), 0);
        assertTrue(fleets.ec2FleetInstances(fleet).stream().anyMatch(id -> instance(id).imageId().equals(newImage)), "replaced from version 2");
    }

    /** What the reconcile rule's target receives: its constant Input (template.yaml), which replaces the whole event. */
    static final String RECONCILE_INPUT = "{\"deckhand\":\"reconcile\"}";

    @Test
    void reconcileRun_takesNoNewImage_butMovesARotationOn() throws IOException {
        JsonNode before = invoke(handler(), RECONCILE_INPUT);

        assertEquals("RECONCILE", before.path("trigger").asText());
        assertEquals(oldImage, defaultImage());
        assertEquals(0, count("ssm:GetParameters"));
        assertEquals(List.of(), retiring());

        invoke(handler(), schedule());
        List<String> canary = retiring();
        drain(canary);
        calls.reset();
        JsonNode next = invoke(handler(), RECONCILE_INPUT);
        assertEquals(canary, List.of(next.path("clusters").get(0).path("terminated").get(0).asText()));
        assertEquals(1, count("autoscaling:TerminateInstanceInAutoScalingGroup"));
    }

    @Test
    void reconcileSampleInEvents_isAReconcileRun() throws IOException {
        String sample = Files.readString(DeckhandHome.find().resolve("events/scheduled-ami-reconcile.json"));

        JsonNode result = invoke(handler(), sample);

        assertEquals("RECONCILE", result.path("trigger").asText(), result.toString());
        assertEquals(oldImage, defaultImage(), "a reconcile run takes no new image");
    }

    @Test
    void scheduledEventOfARuleWithAShortenedGeneratedName_isTheMainSchedule_andAReconcileRuleNameTakesNoPart() throws IOException {
        // CloudFormation shortens generated rule names for long stack names: the logical id is cut.
        String shortened = schedule().replace("rule/deckhand-RotateAmiFunctionSchedule-1",
                "rule/platform-ecs-production-eu-RotateAmiFunctionRe-1A2B3C4D5E6F");

        JsonNode result = invoke(handler(), shortened);

        assertEquals("SCHEDULE", result.path("trigger").asText(), result.toString());
        assertEquals(newImage, defaultImage());
        JsonNode named = invoke(handler(), schedule().replace("RotateAmiFunctionSchedule", "RotateAmiFunctionReconcile"));
        assertEquals("SCHEDULE", named.path("trigger").asText(), "only the rule's Input makes a run a reconcile run");
    }

    @Test
    void scheduleInputOtherThanReconcile_isRefused_andNoCall() {
        BadEventException error = assertThrows(BadEventException.class, () -> invoke(handler(), "{\"deckhand\":\"rotate-everything\"}"));

        assertTrue(error.getMessage().contains("`deckhand`"), error.getMessage());
        assertEquals(List.of(), calls.calls());
    }

    @Test
    void staleContainerInstances_anEc2InstanceGone_andAnEcsAnywhereInstance_areReported_andEveryClusterStillRotates() throws IOException {
        LocalAws aws = LocalAws.shared();
        AccountSeeder seeder = new AccountSeeder(aws, REGION);
        seeder.cluster("batch");
        SeededInstance gone = seeder.instance("batch", "a", false);
        testEc2.terminateInstances(r -> r.instanceIds(gone.ec2InstanceId()));
        aws.control("ec2/forget-terminated", Map.of("region", REGION, "instanceIds", List.of(gone.ec2InstanceId())));
        aws.control("ecs/container-instance", Map.of("region", REGION, "cluster", "batch", "containerInstance", gone.containerInstanceArn(),
                "agentConnected", false));
        String anywhere = "mi-0123456789abcdef0";
        testEcs.registerContainerInstance(r -> r.cluster("web").instanceIdentityDocument("{\"instanceId\":\"" + anywhere + "\",\"region\":\"" + REGION + "\"}"));
        calls.reset();
        RotateAmiHandler handler = new RotateAmiHandler(new RotateConfig(ManagedClusters.of("batch", "web"), false, REGION, RotateConfig.ECS_AL2023,
                new Budget(2, 50, Duration.ofMinutes(30), null), MaintenanceWindow.ALWAYS, BUS), ecs, ec2, autoscaling, ssm, events, calls, clock);

        JsonNode result = invoke(handler, schedule());

        assertEquals(1, count("ec2:DescribeInstances"), "one call for both clusters' instances, whatever their stale ids");
        assertEquals("ROTATING", result.path("decision").asText(), result.toString());
        assertEquals(1, retiring().size(), "web's canary is retired");
        JsonNode batch = result.path("clusters").get(0);
        JsonNode web = result.path("clusters").get(1);
        assertEquals("batch", batch.path("cluster").asText());
        assertEquals(gone.ec2InstanceId(), batch.path("skipped").get(0).path("ec2InstanceId").asText());
        assertTrue(batch.path("skipped").get(0).path("reason").asText().contains("no longer exists"), batch.toString());
        assertTrue(web.path("skipped").findValuesAsText("ec2InstanceId").contains(anywhere), web.toString());
        assertTrue(web.path("skipped").toString().contains("not an EC2 instance"), web.toString());
        assertEquals(1, web.path("retired").size());
    }

    /** Issue 17 point 12: a managed cluster deleted since it was configured is skipped with a log line, not a failed run. */
    @Test
    void managedClusterThatNoLongerExists_isSkipped_andTheOthersStillRotate() throws IOException {
        testEcs.createCluster(r -> r.clusterName("batch"));
        testEcs.deleteCluster(r -> r.cluster("batch"));
        RotateAmiHandler handler = new RotateAmiHandler(new RotateConfig(ManagedClusters.of("batch", "web"), false, REGION, RotateConfig.ECS_AL2023,
                new Budget(2, 50, Duration.ofMinutes(30), null), MaintenanceWindow.ALWAYS, BUS), ecs, ec2, autoscaling, ssm, events, calls, clock);

        JsonNode result = invoke(handler, schedule());

        assertEquals("ROTATING", result.path("decision").asText(), result.toString());
        assertEquals(List.of("web"), result.path("clusters").findValuesAsText("cluster"), result.toString());
        assertEquals(1, retiring().size(), "web's canary is retired");
    }

    @Test
    void drainedInstanceTheGroupAlreadyTerminated_isDone_notAFailedRun() throws IOException {
        invoke(handler(), schedule());
        List<String> canary = retiring();
        drain(canary);
        // The termination already went through before this run's call: a first attempt whose answer was
        // lost, or the group itself between this run's read and its call. The group then no longer has it.
        AutoScalingClient plain = LocalAws.shared().client(AutoScalingClient.builder(), REGION);
        ExecutionInterceptor alreadyTerminated = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof TerminateInstanceInAutoScalingGroupRequest request) {
                    plain.terminateInstanceInAutoScalingGroup(r -> r.instanceId(request.instanceId()).shouldDecrementDesiredCapacity(false));
                }
            }
        };
        AutoScalingClient racing = LocalAws.shared().client(AutoScalingClient.builder(), REGION, calls, alreadyTerminated);
        RotateAmiHandler handler = new RotateAmiHandler(new RotateConfig(ManagedClusters.of("web"), false, REGION, RotateConfig.ECS_AL2023,
                new Budget(2, 50, Duration.ofMinutes(30), null), MaintenanceWindow.ALWAYS, BUS), ecs, ec2, racing, ssm, events, calls, clock);
        calls.reset();

        JsonNode result = invoke(handler, schedule());

        assertEquals(canary, List.of(result.path("clusters").get(0).path("terminated").get(0).asText()), result.toString());
        assertEquals(1, count("autoscaling:TerminateInstanceInAutoScalingGroup"));
        assertEquals("terminated", instance(canary.get(0)).state().nameAsString());
        assertEquals(4, autoscaling.describeAutoScalingGroups(r -> r.autoScalingGroupNames("web-asg")).autoScalingGroups().get(0)
                .desiredCapacity(), "the group still replaces it");
    }

    @Test
    void unmanagedCluster_isNeverRead_norItsInstancesRetired() throws IOException {
        new AccountSeeder(LocalAws.shared(), REGION).cluster("other");
        String otherTemplate = fleets.template("other", oldImage, "other", PARAMETER);
        List<SeededInstance> others = fleets.autoScalingGroup("other-asg", otherTemplate, "$Default", "other", 3);
        calls.reset();

        JsonNode result = invoke(handler(), schedule());

        assertEquals(1, result.path("clusters").size());
        assertEquals("web", result.path("clusters").get(0).path("cluster").asText());
        for (SeededInstance other : others) {
            assertTrue(instance(other.ec2InstanceId()).tags().stream()
                    .noneMatch(t -> t.key().startsWith("deckhand:") && !t.key().equals(AccountSeeder.CLUSTER_TAG)));
        }
        assertEquals(1, count("ecs:ListContainerInstances"), "only the managed cluster is read");
    }

    @Test
    void requestedRefresh_forOtherTemplatesOnly_leavesThisOneAlone() throws IOException {
        JsonNode result = invoke(handler(), requested("{\"schemaVersion\":1,\"requestedBy\":\"alice\",\"launchTemplateIds\":[\"lt-0123456789abcdef0\"]}"));

        assertEquals("NO_MANAGED_TEMPLATE", result.path("decision").asText());
        assertEquals(oldImage, defaultImage());
    }

    @Test
    void maxInstanceAge_retiresOldInstancesOnTheCurrentImage() throws IOException {
        fleets.parameter(PARAMETER, oldImage);
        clock.advance(Duration.ofDays(400));
        calls.reset();

        JsonNode result = invoke(handler(false, MaintenanceWindow.ALWAYS, Duration.ofHours(24)), schedule());

        assertEquals(2, result.path("clusters").get(0).path("retired").size(), result.toString());
        assertTrue(result.path("clusters").get(0).path("waiting").asText().contains("disruption budget"));
    }

    // ---- A new image's arrival: Parameter Store Change and Image Builder's AVAILABLE ----

    /** A second managed template in the same cluster, tracking its own parameter, with its own group. */
    private static final String OTHER_PARAMETER = "/deckhand/test/batch-ami";

    /**
     * A Parameter Store Change as the Systems Manager User Guide shows it ("Amazon EventBridge event
     * examples for Systems Manager", Parameter Store events), for {@code name}; the ARN in resources names
     * the parameter without its leading slash ("Native parameter support for Amazon Machine Image IDs").
     */
    static String parameterChange(String name, String operation) {
        String arnName = name.startsWith("/") ? name.substring(1) : name;
        return Envelopes.event(EventTypes.SOURCE_SSM, EventTypes.PARAMETER_STORE_CHANGE).id("9547ef2d-3b7e-4057-b6cb-5fdf09ee7c8f")
                .resources("arn:aws:ssm:us-east-2:123456789012:parameter/" + arnName)
                .detail("""
                        {"operation":"%s","name":"%s","type":"String","dataType":"aws:ec2:image"}""".formatted(operation, name)).json();
    }

    /** An EC2 Image Builder Image State Change as the Image Builder User Guide shows it ("Amazon EventBridge integration in Image Builder"). */
    static String imageStateChange(String imageArn, String status) {
        return Envelopes.event(EventTypes.SOURCE_IMAGEBUILDER, EventTypes.IMAGE_STATE_CHANGE).id("a1b2c3d4-5678-90ab-cdef-EXAMPLE11111")
                .resources(imageArn)
                .detail("""
                        {"previous-state":{"status":"INTEGRATING"},"state":{"status":"%s"}}""".formatted(status)).json();
    }

    private String otherTemplate;

    /** batch-asg (2 instances, version 1 of template "batch", tracking OTHER_PARAMETER) joins cluster web; OTHER_PARAMETER names newImage too. */
    private void secondTemplateWithItsOwnParameter() {
        otherTemplate = fleets.template("batch", oldImage, "web", OTHER_PARAMETER);
        fleets.autoScalingGroup("batch-asg", otherTemplate, "1", "web", 2);
        fleets.parameter(OTHER_PARAMETER, newImage);
        calls.reset();
    }

    private String defaultImageOf(String templateId) {
        return ec2.describeLaunchTemplateVersions(r -> r.launchTemplateId(templateId).versions("$Default")).launchTemplateVersions()
                .get(0).launchTemplateData().imageId();
    }

    private long latestVersionOf(String templateId) {
        return ec2.describeLaunchTemplates(r -> r.launchTemplateIds(templateId)).launchTemplates().get(0).latestVersionNumber();
    }

    private List<String> groupMembers(String group) {
        return autoscaling.describeAutoScalingGroups(r -> r.autoScalingGroupNames(group)).autoScalingGroups().get(0).instances().stream()
                .map(i -> i.instanceId()).toList();
    }

    private List<String> mutatingCalls() {
        return calls.calls().stream().filter(MUTATING::contains).toList();
    }

    @Test
    void parameterChange_rotatesOnlyTheTemplatesTrackingIt_andLeavesTheOthersAlone() throws IOException {
        secondTemplateWithItsOwnParameter();

        JsonNode result = invoke(handler(), parameterChange(PARAMETER, "Update"));

        assertEquals("PARAMETER_CHANGED", result.path("trigger").asText(), result.toString());
        assertEquals("ROTATING", result.path("decision").asText(), result.toString());
        assertEquals(List.of(template), result.path("templates").findValuesAsText("templateId"));
        assertEquals(newImage, defaultImage());
        assertEquals("2", groupVersion());
        assertEquals(oldImage, defaultImageOf(otherTemplate), "the template tracking another parameter is not touched");
        assertEquals(1L, latestVersionOf(otherTemplate));
        assertEquals("1", autoscaling.describeAutoScalingGroups(r -> r.autoScalingGroupNames("batch-asg")).autoScalingGroups().get(0)
                .launchTemplate().version());
        List<String> retiring = retiring();
        assertEquals(1, retiring.size(), "the canary goes alone, within the budget as on the schedule");
        assertTrue(groupMembers("web-asg").containsAll(retiring), "the canary is an instance of the rotated template: " + retiring);
        assertTrue(groupMembers("batch-asg").stream().noneMatch(retiring::contains));
    }

    @Test
    void parameterChange_ofAParameterNoTemplateTracks_changesNothing_andSaysSo() throws IOException {
        String logs = captureLogs(() -> {
            JsonNode result = invoke(handler(), parameterChange("/deckhand/test/unrelated", "Update"));

            assertEquals("NOT_TRACKED", result.path("decision").asText(), result.toString());
            assertTrue(result.path("reason").asText().contains("/deckhand/test/unrelated"), result.toString());
        });

        assertTrue(logs.contains("parameter /deckhand/test/unrelated changed, but no launch template tagged deckhand:ami-parameter tracks it"), logs);
        assertEquals(List.of(), mutatingCalls());
        assertEquals(0, count("ssm:GetParameters"), "no parameter is read");
        assertEquals(0, count("ecs:ListContainerInstances"), "no cluster is read");
        assertEquals(oldImage, defaultImage());
        assertEquals(List.of(), retiring());
    }

    @Test
    void parameterChange_ofTheDefaultParameter_rotatesTheTemplatesWithAnEmptyTag() throws IOException {
        // An account's own default (AWS's public /aws/service/... parameters change in AWS's account: no event reaches this one).
        String golden = "/deckhand/test/golden-default";
        String untagged = fleets.template("default-tracking", oldImage, "web", null);   // empty tag: DECKHAND_AMI_DEFAULT_PARAMETER
        fleets.parameter(golden, newImage);
        calls.reset();
        RotateAmiHandler handler = new RotateAmiHandler(new RotateConfig(ManagedClusters.of("web"), false, REGION, golden,
                new Budget(2, 50, Duration.ofMinutes(30), null), MaintenanceWindow.ALWAYS, BUS), ecs, ec2, autoscaling, ssm, events, calls, clock);

        JsonNode result = invoke(handler, parameterChange(golden, "Update"));

        assertEquals(List.of(untagged), result.path("templates").findValuesAsText("templateId"), result.toString());
        assertEquals(newImage, defaultImageOf(untagged));
        assertEquals(oldImage, defaultImage(), "the template tracking " + PARAMETER + " waits for its own parameter");
    }

    @Test
    void sameParameterChangeDeliveredAgain_changesNothingMore() throws IOException {
        secondTemplateWithItsOwnParameter();
        invoke(handler(), parameterChange(PARAMETER, "Update"));
        List<String> canary = retiring();
        calls.reset();

        JsonNode again = invoke(handler(), parameterChange(PARAMETER, "Update"));

        assertEquals(2L, latestVersionOf(template), "no second version");
        assertEquals("CURRENT", again.path("templates").get(0).path("action").asText(), again.toString());
        assertEquals(canary, retiring(), "still the one canary");
        assertEquals(0, count("ec2:CreateLaunchTemplateVersion") + count("ec2:ModifyLaunchTemplate") + count("autoscaling:UpdateAutoScalingGroup")
                + count("autoscaling:TerminateInstanceInAutoScalingGroup"), calls.calls().toString());
        assertEquals(oldImage, defaultImageOf(otherTemplate));
    }

    @Test
    void parameterChange_withAMaximumAge_retiresNoInstanceOfATemplateItDoesNotConcern() throws IOException {
        String lonely = "/deckhand/test/lonely-ami";
        fleets.parameter(lonely, newImage);
        String tracking = fleets.template("lonely", oldImage, "web", lonely);   // no instance of its own yet
        clock.advance(Duration.ofDays(400));
        calls.reset();

        JsonNode result = invoke(handler(false, MaintenanceWindow.ALWAYS, Duration.ofHours(24)), parameterChange(lonely, "Update"));

        assertEquals(List.of(tracking), result.path("templates").findValuesAsText("templateId"), result.toString());
        assertEquals(List.of(), retiring(), "web-asg's instances are past the maximum age, but their template is not the one that changed");
        assertEquals(0, count("eventbridge:PutEvents"));
    }

    @Test
    void parameterChange_outsideTheMaintenanceWindow_movesTheTemplateOnly() throws IOException {
        MaintenanceWindow window = MaintenanceWindow.parse("cron(0 2 * * ? *)", Duration.ofHours(1));   // 02:00-03:00, now is 10:00

        JsonNode result = invoke(handler(false, window, null), parameterChange(PARAMETER, "Update"));

        assertEquals(newImage, defaultImage());
        assertEquals(List.of(), retiring());
        assertTrue(result.path("reason").asText().contains("outside the maintenance window"), result.toString());
    }

    @Test
    void parameterChange_inADryRun_decides_andChangesNothing() throws IOException {
        JsonNode result = invoke(handler(true, MaintenanceWindow.ALWAYS, null), parameterChange(PARAMETER, "Update"));

        assertEquals("DRY_RUN_ROTATE", result.path("decision").asText(), result.toString());
        assertEquals(List.of(), mutatingCalls());
        assertEquals(oldImage, defaultImage());
    }

    @Test
    void parameterChangeParameterStoreDidNotApply_isIgnored_withoutACall() throws IOException {
        // An aws:ec2:image parameter is validated after PutParameter; a failed validation is reported in
        // `exception` (Systems Manager User Guide, "Native parameter support for Amazon Machine Image IDs").
        String failed = parameterChange(PARAMETER, "Update").replace("\"dataType\"", "\"exception\":\"Unable to Describe Resource\",\"dataType\"");

        JsonNode result = invoke(handler(), failed);

        assertEquals("IGNORED", result.path("decision").asText(), result.toString());
        assertTrue(result.path("reason").asText().contains("Unable to Describe Resource"), result.toString());
        assertEquals(List.of(), calls.calls());
        assertEquals(oldImage, defaultImage());
    }

    @Test
    void parameterDeleted_isIgnored_withoutACall() throws IOException {
        JsonNode result = invoke(handler(), parameterChange(PARAMETER, "Delete"));

        assertEquals("IGNORED", result.path("decision").asText(), result.toString());
        assertEquals(List.of(), calls.calls());
    }

    @Test
    void imageAvailable_rotatesTheTemplatesWhoseParameterNamesItsAmi_only() throws IOException {
        String build = "arn:aws:imagebuilder:us-east-2:123456789012:image/ecs-golden/2026.12.0/1";
        testEc2.createTags(r -> r.resources(newImage).tags(t -> t.key("Ec2ImageBuilderArn").value(build)));
        String otherImage = fleets.image("batch-2026.12");
        secondTemplateWithItsOwnParameter();
        fleets.parameter(OTHER_PARAMETER, otherImage);   // another pipeline's image
        calls.reset();

        JsonNode result = invoke(handler(), imageStateChange(build, "AVAILABLE"));

        assertEquals("IMAGE_AVAILABLE", result.path("trigger").asText(), result.toString());
        assertEquals(List.of(template), result.path("templates").findValuesAsText("templateId"), result.toString());
        assertEquals(newImage, defaultImage());
        assertEquals(oldImage, defaultImageOf(otherTemplate));
        assertEquals(1, retiring().size());
        assertTrue(groupMembers("web-asg").containsAll(retiring()));
    }

    /**
     * AWS's own "EC2 Image Builder Image State Change" sample (EC2 Image Builder User Guide, "Amazon
     * EventBridge integration in Image Builder") names its image build version
     * {@code image/cmkencryptedworkflowtest-a1b2c3d4-5678-90ab-cdef-EXAMPLE22222/1.0.0/1}, with upper case
     * in the name: the ARN is only matched against the AMIs' Ec2ImageBuilderArn tag, so its case is AWS's.
     */
    @Test
    void imageAvailable_withTheUpperCaseNameOfAwsSample_rotates() throws IOException {
        String build = "arn:aws:imagebuilder:us-east-2:123456789012:image/cmkencryptedworkflowtest-a1b2c3d4-5678-90ab-cdef-EXAMPLE22222/1.0.0/1";
        testEc2.createTags(r -> r.resources(newImage).tags(t -> t.key("Ec2ImageBuilderArn").value(build)));
        calls.reset();

        JsonNode result = invoke(handler(), imageStateChange(build, "AVAILABLE"));

        assertEquals("ROTATING", result.path("decision").asText(), result.toString());
        assertEquals(newImage, defaultImage());
    }

    @Test
    void imageAvailable_beforeAnyParameterNamesIt_changesNothing_andSaysSo() throws IOException {
        String build = "arn:aws:imagebuilder:us-east-2:123456789012:image/ecs-golden/2027.1.0/1";
        String unpublished = fleets.image("ecs-2027.01");
        testEc2.createTags(r -> r.resources(unpublished).tags(t -> t.key("Ec2ImageBuilderArn").value(build)));
        calls.reset();

        String logs = captureLogs(() -> assertEquals("NOT_TRACKED", invoke(handler(), imageStateChange(build, "AVAILABLE"))
                .path("decision").asText()));

        assertTrue(logs.contains("no managed launch template's parameter names it yet"), logs);
        assertEquals(List.of(), mutatingCalls());
        assertEquals(oldImage, defaultImage());
    }

    @Test
    void imageAvailable_withNoAmiHere_changesNothing() throws IOException {
        JsonNode result = invoke(handler(), imageStateChange("arn:aws:imagebuilder:us-east-2:123456789012:image/web-container/1.0.0/3", "AVAILABLE"));

        assertEquals("NOT_TRACKED", result.path("decision").asText(), result.toString());
        assertEquals(List.of("ec2:DescribeImages"), calls.calls());
    }

    @Test
    void imageStillBuilding_isIgnored_withoutACall() throws IOException {
        JsonNode result = invoke(handler(), imageStateChange("arn:aws:imagebuilder:us-east-2:123456789012:image/ecs-golden/2026.12.0/1", "BUILDING"));

        assertEquals("IGNORED", result.path("decision").asText(), result.toString());
        assertEquals(List.of(), calls.calls());
    }

    /**
     * events/parameter-store-change.json: the Systems Manager User Guide's "Update Parameter" example
     * ("Amazon EventBridge event examples for Systems Manager"), for the demo's parameter /deckhand/demo/ecs-ami.
     */
    @Test
    void parameterStoreChangeSampleInEvents_rotatesTheTemplatesTrackingItsParameter() throws IOException {
        String sample = Files.readString(DeckhandHome.find().resolve("events/parameter-store-change.json"));
        String parameter = JSON.readTree(sample).path("detail").path("name").asText();
        fleets.parameter(parameter, newImage);
        String tracking = fleets.template("demo-like", oldImage, "web", parameter);
        calls.reset();

        JsonNode result = invoke(handler(), sample);

        assertEquals(List.of(tracking), result.path("templates").findValuesAsText("templateId"), result.toString());
        assertEquals(newImage, defaultImageOf(tracking));
        assertEquals(oldImage, defaultImage());
    }

    /**
     * events/imagebuilder-image-available.json: the EC2 Image Builder User Guide's "EC2 Image Builder
     * Image State Change" example ("Amazon EventBridge integration in Image Builder"), for the demo's image.
     */
    @Test
    void imageBuilderSampleInEvents_rotatesTheTemplatesWhoseParameterNamesItsAmi() throws IOException {
        String sample = Files.readString(DeckhandHome.find().resolve("events/imagebuilder-image-available.json"));
        String build = JSON.readTree(sample).path("resources").get(0).asText();
        testEc2.createTags(r -> r.resources(newImage).tags(t -> t.key("Ec2ImageBuilderArn").value(build)));
        calls.reset();

        JsonNode result = invoke(handler(), sample);

        assertEquals("ROTATING", result.path("decision").asText(), result.toString());
        assertEquals(newImage, defaultImage());
    }

    @FunctionalInterface
    interface Body {
        void run() throws IOException;
    }

    /** What the function logs while {@code body} runs (its JSON log lines go to standard output). */
    static String captureLogs(Body body) throws IOException {
        java.io.PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

}
