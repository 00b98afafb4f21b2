package dev.deckhand.rotate.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deckhand.core.aws.AwsCallCounter;
import dev.deckhand.core.config.ManagedClusters;
import dev.deckhand.emulator.AccountSeeder;
import dev.deckhand.emulator.FleetSeeder;
import dev.deckhand.emulator.LocalAws;
import dev.deckhand.emulator.MovableClock;
import dev.deckhand.rotate.RotateConfig;
import dev.deckhand.rotate.planner.Budget;
import dev.deckhand.rotate.planner.MaintenanceWindow;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.FleetLaunchTemplateOverrides;
import software.amazon.awssdk.services.ec2.model.FleetType;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateVersion;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * rotate-ami against templates and fleets a person configured in ways of their own (issue 16, point 11):
 * a version newer than the default, an ImageId naming a parameter, fleet overrides with instance
 * requirements and placement, and a tag naming a parameter the role may not read. Each leaves the other
 * templates rotating and the person's configuration as they made it.
 */
@Tag("emulator")
class TemplateReadingTest {

    private static final String REGION = "us-east-2";
    private static final String PARAMETER = "/deckhand/test/ecs-ami";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AwsCallCounter calls = new AwsCallCounter();
    private final MovableClock clock = new MovableClock(Instant.parse("2026-11-22T10:00:00Z"));
    private LocalAws aws;
    private FleetSeeder fleets;
    private EcsClient ecs;
    private Ec2Client ec2;
    private AutoScalingClient autoscaling;
    private SsmClient ssm;
    private EventBridgeClient events;
    private Ec2Client testEc2;
    private String oldImage;
    private String newImage;
    private String template;

    @BeforeEach
    void clusterOnAnOldImage() {
        aws = LocalAws.shared();
        aws.reset();
        ecs = aws.functionClient("RotateAmiFunction", EcsClient.builder(), REGION, calls);
        ec2 = aws.functionClient("RotateAmiFunction", Ec2Client.builder(), REGION, calls);
        autoscaling = aws.functionClient("RotateAmiFunction", AutoScalingClient.builder(), REGION, calls);
        ssm = aws.functionClient("RotateAmiFunction", SsmClient.builder(), REGION, calls);
        events = aws.functionClient("RotateAmiFunction", EventBridgeClient.builder(), REGION, calls);
        testEc2 = aws.client(Ec2Client.builder(), REGION);
        fleets = new FleetSeeder(aws, REGION);
        new AccountSeeder(aws, REGION).cluster("web");
        aws.client(EventBridgeClient.builder(), REGION).createEventBus(r -> r.name(RotateAmiHandlerTest.BUS));
        oldImage = fleets.image("ecs-2026.11");
        newImage = fleets.image("ecs-2026.12");
        template = fleets.template("web", oldImage, "web", PARAMETER);
        fleets.autoScalingGroup("web-asg", template, "1", "web", 4);
        fleets.parameter(PARAMETER, newImage);
        calls.reset();
    }

    private JsonNode schedule() throws IOException {
        return invoke(RotateAmiHandlerTest.schedule());
    }

    /** A refresh requested for {@code templateId} only, so that its instances alone are candidates. */
    private JsonNode requestedFor(String templateId) throws IOException {
        return invoke(RotateAmiHandlerTest.requested("{\"schemaVersion\":1,\"requestedBy\":\"alice\",\"reason\":\"test\","
                + "\"launchTemplateIds\":[\"" + templateId + "\"]}"));
    }

    private JsonNode invoke(String event) throws IOException {
        RotateAmiHandler handler = new RotateAmiHandler(new RotateConfig(ManagedClusters.of("web"), false, REGION, RotateConfig.ECS_AL2023,
                new Budget(2, 50, Duration.ofMinutes(30), null), MaintenanceWindow.ALWAYS, RotateAmiHandlerTest.BUS), ecs, ec2, autoscaling, ssm, events, calls, clock);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
        return JSON.readTree(out.toByteArray());
    }

    private LaunchTemplateVersion version(String templateId, String version) {
        return testEc2.describeLaunchTemplateVersions(r -> r.launchTemplateId(templateId).versions(version)).launchTemplateVersions().get(0);
    }

    private long latestVersionOf(String templateId) {
        return testEc2.describeLaunchTemplates(r -> r.launchTemplateIds(templateId)).launchTemplates().get(0).latestVersionNumber();
    }

    private JsonNode outcome(JsonNode result, String templateId) {
        return StreamSupport.stream(result.path("templates").spliterator(), false)
                .filter(t -> t.path("templateId").asText().equals(templateId)).findFirst().orElseThrow(() -> new AssertionError(result.toString()));
    }

    private String groupVersion(String group) {
        return autoscaling.describeAutoScalingGroups(r -> r.autoScalingGroupNames(group)).autoScalingGroups().get(0).launchTemplate().version();
    }

    @Test
    void templateEditedAfterItsDefault_rotatesFromTheDefault_andKeepsThePersonsVersionTheLatest() throws IOException {
        personsVersion();   // a person tries c5.large in version 2 and has not made it the default: consumers on $Latest launch it

        JsonNode result = schedule();

        assertEquals("ROTATING", result.path("decision").asText(), result.toString());
        LaunchTemplateVersion rotated = version(template, "$Default");
        assertEquals(3L, rotated.versionNumber());
        assertEquals(newImage, rotated.launchTemplateData().imageId());
        assertEquals("m5.large", rotated.launchTemplateData().instanceTypeAsString(), "rotated from the default, not from the person's version");
        assertEquals("3", groupVersion("web-asg"));
        LaunchTemplateVersion latest = version(template, "$Latest");
        assertEquals(4L, latest.versionNumber());
        assertEquals("c5.large", latest.launchTemplateData().instanceTypeAsString(), "$Latest still launches what the person made");
        assertEquals(oldImage, latest.launchTemplateData().imageId(), "the person's version is copied as it is, image and all");
        assertEquals("c5.large", version(template, "2").launchTemplateData().instanceTypeAsString());
        assertTrue(outcome(result, template).path("note").asText().contains("version 2"), result.toString());

        schedule();

        assertEquals(4L, latestVersionOf(template), "the same image again makes no version");
        assertEquals(3L, version(template, "$Default").versionNumber());
    }

    /** A person's version 2 of {@link #template} (c5.large), not made the default. */
    private void personsVersion() {
        testEc2.createLaunchTemplateVersion(r -> r.launchTemplateId(template).sourceVersion("1").versionDescription("try c5")
                .launchTemplateData(d -> d.instanceType("c5.large")));
    }

    @Test
    void retryAfterTheRotatedVersionWasMade_reusesIt_andStillCopiesThePersonsVersionAboveIt() throws IOException {
        personsVersion();
        // What a run that stopped after its first CreateLaunchTemplateVersion left behind.
        testEc2.createLaunchTemplateVersion(r -> r.launchTemplateId(template).sourceVersion("1").launchTemplateData(d -> d.imageId(newImage))
                .versionDescription("Deckhand rotate-ami: " + newImage + " (version 2, newer, is copied above it) from " + PARAMETER + ", was " + oldImage));

        schedule();

        assertEquals(3L, version(template, "$Default").versionNumber(), "version 3 reused");
        LaunchTemplateVersion latest = version(template, "$Latest");
        assertEquals(4L, latest.versionNumber());
        assertEquals("c5.large", latest.launchTemplateData().instanceTypeAsString());
        assertEquals("3", groupVersion("web-asg"));
    }

    @Test
    void retryAfterThePersonsVersionWasCopied_makesNoVersion_andSetsTheRotatedOneAsDefault() throws IOException {
        personsVersion();
        // What a run that stopped before ModifyLaunchTemplate left behind: the rotated version 3 and the copy 4.
        testEc2.createLaunchTemplateVersion(r -> r.launchTemplateId(template).sourceVersion("1").launchTemplateData(d -> d.imageId(newImage))
                .versionDescription("Deckhand rotate-ami: " + newImage + " (version 2, newer, is copied above it) from " + PARAMETER + ", was " + oldImage));
        testEc2.createLaunchTemplateVersion(r -> r.launchTemplateId(template).sourceVersion("2").launchTemplateData(d -> d.imageId(oldImage))
                .versionDescription("Deckhand rotate-ami: copy of version 2, kept the latest above version 3 (" + newImage + ")"));

        schedule();

        assertEquals(4L, latestVersionOf(template), "nothing made again");
        assertEquals(3L, version(template, "$Default").versionNumber());
        assertEquals(newImage, version(template, "$Default").launchTemplateData().imageId());
        assertEquals("3", groupVersion("web-asg"));
    }

    @Test
    void templateWhoseImageIdNamesItsParameter_isLeftAsItIs_saysWhy_andTheOthersRotate() throws IOException {
        String alias = "/deckhand/test/alias-ami";
        String following = templateFollowing(alias, alias);
        fleets.parameter(alias, newImage);
        calls.reset();

        JsonNode result = schedule();

        assertEquals(1L, latestVersionOf(following), "no version: EC2 resolves the parameter at each launch");
        assertEquals("resolve:ssm:" + alias, version(following, "$Default").launchTemplateData().imageId());
        JsonNode followed = outcome(result, following);
        assertEquals("FOLLOWS_PARAMETER", followed.path("action").asText(), result.toString());
        assertEquals(newImage, followed.path("image").asText(), "what its next launch gets");
        assertTrue(followed.path("note").asText().contains("resolve:ssm:" + alias), followed.toString());
        assertEquals(newImage, version(template, "$Default").launchTemplateData().imageId(), "the other template rotates");
        assertEquals("ROTATING", result.path("decision").asText());
    }

    /** A template tracking {@code tracked} whose ImageId is {@code resolve:ssm:alias}, with a group of 2 launched while alias named the old image. */
    private String templateFollowing(String alias, String tracked) {
        fleets.parameter(alias, oldImage);
        String following = testEc2.createLaunchTemplate(r -> r.launchTemplateName("follows").launchTemplateData(d -> d
                        .imageId("resolve:ssm:" + alias).instanceType("m5.large").tagSpecifications(t -> t.resourceType(ResourceType.INSTANCE)
                                .tags(tag -> tag.key(AccountSeeder.CLUSTER_TAG).value("web"))))
                .tagSpecifications(t -> t.resourceType(ResourceType.LAUNCH_TEMPLATE).tags(tag -> tag.key(FleetSeeder.PARAMETER_TAG).value(tracked))))
                .launchTemplate().launchTemplateId();
        fleets.autoScalingGroup("follows-asg", following, "$Default", "web", 2);
        calls.reset();
        return following;
    }

    private List<String> retiringMembersOf(String group) {
        List<String> members = autoscaling.describeAutoScalingGroups(r -> r.autoScalingGroupNames(group)).autoScalingGroups().get(0)
                .instances().stream().map(i -> i.instanceId()).toList();
        return testEc2.describeInstances(r -> r.instanceIds(members)).reservations().stream().flatMap(res -> res.instances().stream())
                .filter(i -> i.tags().stream().anyMatch(t -> t.key().equals("deckhand:retiring"))).map(i -> i.instanceId()).toList();
    }

    @Test
    void templateWhoseImageIdNamesItsParameter_stillMovesItsInstancesOnTheOldImage_canaryFirst() throws IOException {
        String alias = "/deckhand/test/alias-ami";
        String following = templateFollowing(alias, alias);
        fleets.parameter(alias, newImage);

        JsonNode result = requestedFor(following);

        assertEquals("ROTATING", result.path("decision").asText(), result.toString());
        assertEquals(1, retiringMembersOf("follows-asg").size(), "the canary: its replacement launches what the parameter names now");
        assertEquals(1L, latestVersionOf(following));
    }

    @Test
    void templateWhoseImageIdNamesAnotherParameter_getsNoVersion_andNoneOfItsInstancesIsRetiredForItsImage() throws IOException {
        String following = templateFollowing("/deckhand/test/pinned-elsewhere", PARAMETER);   // tracks PARAMETER (newImage), launches oldImage

        JsonNode result = requestedFor(following);

        JsonNode followed = outcome(result, following);
        assertEquals("FOLLOWS_PARAMETER", followed.path("action").asText(), result.toString());
        assertTrue(followed.path("image").isNull(), "what a launch gets is not the tracked parameter's: " + followed);
        assertTrue(followed.path("note").asText().contains("not the tracked parameter"), followed.toString());
        assertEquals(1L, latestVersionOf(following));
        assertEquals(List.of(), retiringMembersOf("follows-asg"));
    }

    @Test
    void fleetOverridesWithInstanceRequirementsAndPlacement_surviveTheRepin() throws IOException {
        String fleet = testEc2.createFleet(r -> r.type(FleetType.MAINTAIN).targetCapacitySpecification(c -> c.totalTargetCapacity(2)
                        .defaultTargetCapacityType("on-demand"))
                .tagSpecifications(t -> t.resourceType(ResourceType.FLEET).tags(tag -> tag.key(AccountSeeder.CLUSTER_TAG).value("web")))
                .launchTemplateConfigs(c -> c.launchTemplateSpecification(s -> s.launchTemplateId(template).version("1"))
                        .overrides(o -> o.instanceRequirements(q -> q.vCpuCount(v -> v.min(2).max(8)).memoryMiB(m -> m.min(4096)))
                                .placement(p -> p.groupName("ecs-spread")).availabilityZone(REGION + "a"))))
                .fleetId();
        fleets.register("web", fleets.ec2FleetInstances(fleet));
        calls.reset();

        schedule();

        var config = ec2.describeFleets(r -> r.fleetIds(fleet)).fleets().get(0).launchTemplateConfigs().get(0);
        assertEquals("2", config.launchTemplateSpecification().version(), "repinned");
        FleetLaunchTemplateOverrides override = config.overrides().get(0);
        assertTrue(override.instanceRequirements() != null, "instance requirements kept: " + config);
        assertEquals(2, override.instanceRequirements().vCpuCount().min());
        assertEquals(8, override.instanceRequirements().vCpuCount().max());
        assertEquals(4096, override.instanceRequirements().memoryMiB().min());
        assertEquals("ecs-spread", override.placement() == null ? null : override.placement().groupName(), "placement kept: " + config);
        assertEquals(REGION + "a", override.availabilityZone());
    }

    @Test
    void tagNamingAParameterTheRoleMayNotRead_isAnErrorForThatTemplateOnly_andTheOthersRotate() throws IOException {
        String forbidden = "/other-team/ami";
        fleets.parameter(forbidden, newImage);
        String other = fleets.template("batch", oldImage, "web", forbidden);
        fleets.autoScalingGroup("batch-asg", other, "1", "web", 2);
        for (String action : List.of("ssm:GetParameters", "ssm:GetParameter")) {
            aws.control("iam/deny", Map.of("caller", "RotateAmiFunction", "action", action,
                    "resource", "arn:aws:ssm:" + REGION + ":123456789012:parameter/other-team/*"));
        }
        calls.reset();

        JsonNode result = schedule();

        assertEquals("ROTATING", result.path("decision").asText(), result.toString());
        assertEquals(newImage, version(template, "$Default").launchTemplateData().imageId(), "the readable template rotates");
        assertEquals("2", groupVersion("web-asg"));
        JsonNode denied = outcome(result, other);
        assertEquals("ERROR", denied.path("action").asText());
        assertTrue(denied.path("error").asText().contains(forbidden) && denied.path("error").asText().contains("AccessDenied"), denied.toString());
        assertEquals(1L, latestVersionOf(other), "left as it is");
        assertEquals("1", groupVersion("batch-asg"));
        assertTrue(calls.calls().stream().filter("ssm:GetParameters"::equals).count() <= 3,
                "the batch, then each of its names once: " + calls.calls());
    }
}
