package dev.deckhand.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.FleetLaunchTemplateOverrides;
import software.amazon.awssdk.services.ec2.model.FleetType;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateVersion;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetParametersResponse;
import software.amazon.awssdk.services.ssm.model.SsmException;

/**
 * Pins what rotate-ami reads and rewrites of launch templates and fleets, and how a refused parameter
 * read looks: ec2_image_aliases.py, ec2_fleets.py (ModifyFleet) and iam_denials.py.
 */
@Tag("emulator")
class LaunchTemplateReadingFidelityTest extends EmptyAccountTest {


    private Ec2Client ec2;
    private SsmClient ssm;
    private FleetSeeder fleets;
    private String image;

    @BeforeEach
    void anImageAndItsParameter() {
        ec2 = aws.client(Ec2Client.builder(), REGION);
        ssm = aws.client(SsmClient.builder(), REGION);
        fleets = fleets();
        image = fleets.image("ecs-2026.12");
        fleets.parameter("/golden/ecs", image);
    }

    private String templateOn(String imageId) {
        return ec2.createLaunchTemplate(r -> r.launchTemplateName("alias").launchTemplateData(d -> d.imageId(imageId)
                .instanceType("m5.large"))).launchTemplate().launchTemplateId();
    }

    /**
     * EC2 User Guide, "Use a Systems Manager parameter instead of an AMI ID"
     * (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/create-launch-template.html#use-an-ssm-parameter-instead-of-an-ami-id);
     * EC2 API Reference, DescribeLaunchTemplateVersions, ResolveAlias
     * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeLaunchTemplateVersions.html): the version shows the
     * parameter as given, ResolveAlias=true the AMI it names now, and an instance launches that AMI.
     */
    @Test
    void imageIdNamingAParameter_isShownAsGiven_resolvedOnRequest_andLaunchesTheParametersImage() {
        String template = templateOn("resolve:ssm:/golden/ecs");

        LaunchTemplateVersion given = ec2.describeLaunchTemplateVersions(r -> r.launchTemplateId(template).versions("$Default"))
                .launchTemplateVersions().get(0);
        LaunchTemplateVersion resolved = ec2.describeLaunchTemplateVersions(r -> r.launchTemplateId(template).versions("$Default")
                .resolveAlias(true)).launchTemplateVersions().get(0);
        String launched = ec2.runInstances(r -> r.launchTemplate(t -> t.launchTemplateId(template)).minCount(1).maxCount(1))
                .instances().get(0).imageId();

        assertEquals("resolve:ssm:/golden/ecs", given.launchTemplateData().imageId());
        assertEquals(image, resolved.launchTemplateData().imageId());
        assertEquals(image, launched);
    }

    /** The same page: an Auto Scaling group launching such a template launches the parameter's image. */
    @Test
    void autoScalingGroupOnATemplateNamingAParameter_launchesTheParametersImage() {
        String template = templateOn("resolve:ssm:/golden/ecs");
        AutoScalingClient autoscaling = aws.client(AutoScalingClient.builder(), REGION);
        autoscaling.createAutoScalingGroup(r -> r.autoScalingGroupName("alias-asg").minSize(1).maxSize(1).desiredCapacity(1)
                .availabilityZones(REGION + "a").launchTemplate(t -> t.launchTemplateId(template).version("$Default")));

        String instance = autoscaling.describeAutoScalingGroups(r -> r.autoScalingGroupNames("alias-asg")).autoScalingGroups().get(0)
                .instances().get(0).instanceId();

        assertEquals(image, ec2.describeInstances(r -> r.instanceIds(instance)).reservations().get(0).instances().get(0).imageId());
    }

    /**
     * EC2 API Reference, FleetLaunchTemplateOverridesRequest
     * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_FleetLaunchTemplateOverridesRequest.html): InstanceRequirements
     * and Placement are an override's own; ImageId "is only available for fleets of type instant. For fleets of type maintain
     * and request, you must specify the AMI ID in the launch template". ModifyFleet
     * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyFleet.html) refuses it too.
     */
    @Test
    void fleetOverrides_keepInstanceRequirementsAndPlacement_andAMaintainedFleetRefusesAnImageId() {
        String template = templateOn(image);
        String fleet = ec2.createFleet(r -> r.type(FleetType.MAINTAIN).targetCapacitySpecification(c -> c.totalTargetCapacity(1)
                .defaultTargetCapacityType("on-demand")).launchTemplateConfigs(c -> c.launchTemplateSpecification(s -> s
                .launchTemplateId(template).version("1")).overrides(o -> o.instanceRequirements(q -> q.vCpuCount(v -> v.min(2).max(8))
                .memoryMiB(m -> m.min(4096))).placement(p -> p.groupName("ecs-spread")).availabilityZone(REGION + "a")))).fleetId();

        FleetLaunchTemplateOverrides override = ec2.describeFleets(r -> r.fleetIds(fleet)).fleets().get(0).launchTemplateConfigs().get(0)
                .overrides().get(0);
        assertEquals(2, override.instanceRequirements().vCpuCount().min());
        assertEquals(8, override.instanceRequirements().vCpuCount().max());
        assertEquals(4096, override.instanceRequirements().memoryMiB().min());
        assertEquals("ecs-spread", override.placement().groupName());

        Ec2Exception created = assertThrows(Ec2Exception.class, () -> ec2.createFleet(r -> r.type(FleetType.MAINTAIN)
                .targetCapacitySpecification(c -> c.totalTargetCapacity(1).defaultTargetCapacityType("on-demand"))
                .launchTemplateConfigs(c -> c.launchTemplateSpecification(s -> s.launchTemplateId(template).version("1"))
                        .overrides(o -> o.imageId(image).instanceType("m5.large")))));
        assertEquals("InvalidParameterValue", created.awsErrorDetails().errorCode());
        Ec2Exception modified = assertThrows(Ec2Exception.class, () -> ec2.modifyFleet(r -> r.fleetId(fleet)
                .launchTemplateConfigs(c -> c.launchTemplateSpecification(s -> s.launchTemplateId(template).version("1"))
                        .overrides(o -> o.imageId(image).instanceType("m5.large")))));
        assertEquals("InvalidParameterValue", modified.awsErrorDetails().errorCode());

    }

    /**
     * IAM User Guide, "Access management for AWS resources" (https://docs.aws.amazon.com/IAM/latest/UserGuide/access.html):
     * "IAM authorizes your request only if every part of your request is allowed"; GetParameters authorizes each name
     * (Service Authorization Reference, AWS Systems Manager,
     * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssystemsmanager.html). One name the role may
     * not read refuses the whole call with AccessDeniedException; a name that does not exist is only listed in InvalidParameters
     * (SSM API Reference, GetParameters, https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameters.html).
     */
    @Test
    void getParameters_withOneNameTheRoleMayNotRead_isRefusedWhole_andAMissingNameIsOnlyInvalid() {
        fleets.parameter("/other-team/ami", image);
        aws.control("iam/deny", Map.of("caller", "RotateAmiFunction", "action", "ssm:GetParameters",
                "resource", "arn:aws:ssm:" + REGION + ":123456789012:parameter/other-team/*"));
        SsmClient function = aws.functionClient("RotateAmiFunction", SsmClient.builder(), REGION);

        SsmException refused = assertThrows(SsmException.class,
                () -> function.getParameters(r -> r.names("/golden/ecs", "/other-team/ami", "/golden/missing")));
        GetParametersResponse readable = function.getParameters(r -> r.names("/golden/ecs", "/golden/missing"));

        assertEquals("AccessDeniedException", refused.awsErrorDetails().errorCode());
        assertTrue(refused.getMessage().contains("ssm:GetParameters on resource: arn:aws:ssm:" + REGION
                + ":123456789012:parameter/other-team/ami"), refused.getMessage());
        assertEquals(List.of(image), readable.parameters().stream().map(p -> p.value()).toList());
        assertEquals(List.of("/golden/missing"), readable.invalidParameters());
        assertEquals(image, ssm.getParameters(r -> r.names("/other-team/ami")).parameters().get(0).value(),
                "another caller's reads are not refused");
    }
}
