package dev.deckhand.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.FleetType;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateVersion;
import software.amazon.awssdk.services.ec2.model.ResponseLaunchTemplateData;

/**
 * Pins emulator/python/deckhand_emulator/ec2_fleets.py to the EC2 API Reference:
 * CreateLaunchTemplateVersion's SourceVersion, ModifyFleet, Spot Fleet launch template configs
 * (RequestSpotFleet, DescribeSpotFleetRequests, ModifySpotFleetRequest), and fleets of type maintain
 * replacing a terminated instance from their current configuration.
 */
@Tag("emulator")
class Ec2FleetFidelityTest extends EmptyAccountTest {

    private static final String USER_DATA = Base64.getEncoder().encodeToString("ECS_CLUSTER=web\n".getBytes(StandardCharsets.UTF_8));

    private Ec2Client ec2;
    private String oldImage;
    private String newImage;
    private String template;

    @BeforeEach
    void templateWithTwoVersions() {
        ec2 = aws.client(Ec2Client.builder(), REGION);
        oldImage = ec2.registerImage(r -> r.name("ecs-old").rootDeviceName("/dev/xvda")).imageId();
        newImage = ec2.registerImage(r -> r.name("ecs-new").rootDeviceName("/dev/xvda")).imageId();
        template = ec2.createLaunchTemplate(r -> r.launchTemplateName("web").launchTemplateData(d -> d.imageId(oldImage)
                .instanceType("m5.large").userData(USER_DATA).keyName("ops"))).launchTemplate().launchTemplateId();
        ec2.createLaunchTemplateVersion(r -> r.launchTemplateId(template).sourceVersion("1").launchTemplateData(d -> d.imageId(newImage)));
    }

    private ResponseLaunchTemplateData version(String number) {
        List<LaunchTemplateVersion> versions = ec2.describeLaunchTemplateVersions(r -> r.launchTemplateId(template).versions(number))
                .launchTemplateVersions();
        return versions.get(0).launchTemplateData();
    }

    private Instance instance(String id) {
        return ec2.describeInstances(r -> r.instanceIds(id)).reservations().get(0).instances().get(0);
    }

    @Test
    void createLaunchTemplateVersion_withSourceVersion_inheritsEverythingNotGiven() {
        ResponseLaunchTemplateData data = version("2");

        assertEquals(newImage, data.imageId());
        assertEquals("m5.large", data.instanceTypeAsString());
        assertEquals(USER_DATA, data.userData());
        assertEquals("ops", data.keyName());
        assertEquals(oldImage, version("1").imageId(), "the source version is unchanged");
    }

    @Test
    void describeLaunchTemplates_returnsTagsAddedAfterCreation() {
        ec2.createTags(r -> r.resources(template).tags(t -> t.key("deckhand:canary:web").value("ami-1 i-1 2026-11-22T10:00:00Z")));

        var tags = ec2.describeLaunchTemplates(r -> r.launchTemplateIds(template)).launchTemplates().get(0).tags();

        assertTrue(tags.stream().anyMatch(t -> t.key().equals("deckhand:canary:web")), tags.toString());
    }

    @Test
    void modifyFleet_changesTheLaunchTemplateVersionOfAMaintainFleet_andRefusesOtherTypes() {
        String fleet = ec2.createFleet(r -> r.type(FleetType.MAINTAIN).targetCapacitySpecification(c -> c.totalTargetCapacity(1)
                .defaultTargetCapacityType("on-demand")).launchTemplateConfigs(c -> c.launchTemplateSpecification(s -> s
                .launchTemplateId(template).version("1")))).fleetId();

        assertTrue(ec2.modifyFleet(r -> r.fleetId(fleet).launchTemplateConfigs(c -> c.launchTemplateSpecification(s -> s
                .launchTemplateId(template).version("2")))).returnValue());

        assertEquals("2", ec2.describeFleets(r -> r.fleetIds(fleet)).fleets().get(0).launchTemplateConfigs().get(0)
                .launchTemplateSpecification().version());
        String request = ec2.createFleet(r -> r.type(FleetType.REQUEST).targetCapacitySpecification(c -> c.totalTargetCapacity(1)
                .defaultTargetCapacityType("on-demand")).launchTemplateConfigs(c -> c.launchTemplateSpecification(s -> s
                .launchTemplateId(template).version("1")))).fleetId();
        assertThrows(Ec2Exception.class, () -> ec2.modifyFleet(r -> r.fleetId(request).launchTemplateConfigs(c -> c
                .launchTemplateSpecification(s -> s.launchTemplateId(template).version("2")))));
    }

    @Test
    void maintainedEc2Fleet_replacesATerminatedInstance_fromItsCurrentVersion() {
        String fleet = ec2.createFleet(r -> r.type(FleetType.MAINTAIN).targetCapacitySpecification(c -> c.totalTargetCapacity(2)
                .defaultTargetCapacityType("on-demand")).launchTemplateConfigs(c -> c.launchTemplateSpecification(s -> s
                .launchTemplateId(template).version("1")))).fleetId();
        List<String> before = ec2.describeFleetInstances(r -> r.fleetId(fleet)).activeInstances().stream().map(i -> i.instanceId()).toList();
        ec2.modifyFleet(r -> r.fleetId(fleet).launchTemplateConfigs(c -> c.launchTemplateSpecification(s -> s
                .launchTemplateId(template).version("2"))));

        ec2.terminateInstances(r -> r.instanceIds(before.get(0)));

        List<String> after = ec2.describeFleetInstances(r -> r.fleetId(fleet)).activeInstances().stream().map(i -> i.instanceId()).toList();
        assertEquals(2, after.size());
        assertFalse(after.contains(before.get(0)));
        String replacement = after.stream().filter(id -> !before.contains(id)).findFirst().orElseThrow();
        assertEquals(newImage, instance(replacement).imageId());
        assertTrue(instance(replacement).tags().stream().anyMatch(t -> t.key().equals("aws:ec2launchtemplate:id") && t.value().equals(template)));
    }

    @Test
    void spotFleet_launchesTheVersionNamed_describesItsConfigs_andTakesNewOnes() {
        String request = ec2.requestSpotFleet(r -> r.spotFleetRequestConfig(c -> c.iamFleetRole("arn:aws:iam::123456789012:role/fleet")
                .targetCapacity(2).launchTemplateConfigs(l -> l.launchTemplateSpecification(s -> s.launchTemplateId(template).version("1")))))
                .spotFleetRequestId();

        var config = ec2.describeSpotFleetRequests(r -> r.spotFleetRequestIds(request)).spotFleetRequestConfigs().get(0).spotFleetRequestConfig();
        assertEquals("maintain", config.typeAsString(), "Type defaults to maintain");
        assertEquals("1", config.launchTemplateConfigs().get(0).launchTemplateSpecification().version());
        List<String> before = ec2.describeSpotFleetInstances(r -> r.spotFleetRequestId(request)).activeInstances().stream()
                .map(i -> i.instanceId()).toList();
        assertEquals(oldImage, instance(before.get(0)).imageId(), "version 1, not $Latest");

        ec2.modifySpotFleetRequest(r -> r.spotFleetRequestId(request).launchTemplateConfigs(l -> l.launchTemplateSpecification(s -> s
                .launchTemplateId(template).version("2"))));
        ec2.terminateInstances(r -> r.instanceIds(before.get(0)));

        assertEquals("2", ec2.describeSpotFleetRequests(r -> r.spotFleetRequestIds(request)).spotFleetRequestConfigs().get(0)
                .spotFleetRequestConfig().launchTemplateConfigs().get(0).launchTemplateSpecification().version());
        List<String> after = ec2.describeSpotFleetInstances(r -> r.spotFleetRequestId(request)).activeInstances().stream()
                .map(i -> i.instanceId()).toList();
        assertEquals(2, after.size());
        String replacement = after.stream().filter(id -> !before.contains(id)).findFirst().orElseThrow();
        assertEquals(newImage, instance(replacement).imageId());
        assertEquals(USER_DATA, ec2.describeInstanceAttribute(r -> r.instanceId(replacement).attribute("userData")).userData().value());
    }
}
