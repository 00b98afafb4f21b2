package dev.deckhand.emulator;

import dev.deckhand.emulator.AccountSeeder.SeededInstance;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.FleetType;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * Seeds what rotate-ami works on: AMIs, launch templates tagged {@code deckhand:ami-parameter}, the
 * SSM parameter they follow, and the consumers that launch from them (an Auto Scaling group, an EC2
 * Fleet, a Spot Fleet), with their instances registered in an ECS cluster as the agent would.
 *
 * <pre>{@code
 * FleetSeeder fleets = new FleetSeeder(ecs, ec2, autoscaling, ssm, "us-east-2");
 * String old = fleets.image("ecs-2026.11");
 * String template = fleets.template("web", old, "web", "/deckhand/web/ami");
 * List<SeededInstance> web = fleets.autoScalingGroup("web-asg", template, "1", "web", 4);
 * }</pre>
 */
public final class FleetSeeder {

    public static final String PARAMETER_TAG = "deckhand:ami-parameter";
    /** The tag the emulator gives a fleet the id of (emulator/python/deckhand_emulator/ec2_fixes.py); not an AWS behaviour. */
    public static final String FLEET_ID_TAG = "deckhand:emulator-fleet-id";

    private final EcsClient ecs;
    private final Ec2Client ec2;
    private final AutoScalingClient autoscaling;
    private final SsmClient ssm;
    private final String region;

    public FleetSeeder(EcsClient ecs, Ec2Client ec2, AutoScalingClient autoscaling, SsmClient ssm, String region) {
        this.ecs = ecs;
        this.ec2 = ec2;
        this.autoscaling = autoscaling;
        this.ssm = ssm;
        this.region = region;
    }

    public FleetSeeder(LocalAws aws, String region) {
        this(aws.client(EcsClient.builder(), region), aws.client(Ec2Client.builder(), region),
                aws.client(AutoScalingClient.builder(), region), aws.client(SsmClient.builder(), region), region);
    }

    /** A new AMI (RegisterImage), as an image pipeline publishes it. */
    public String image(String name) {
        return ec2.registerImage(r -> r.name(name).rootDeviceName("/dev/xvda").architecture("x86_64")).imageId();
    }

    /** Puts {@code value} in the String parameter {@code name} (overwriting), as a release of the image does. */
    public void parameter(String name, String value) {
        ssm.putParameter(r -> r.name(name).value(value).type(ParameterType.STRING).overwrite(true));
    }

    /** A launch template of m5.large instances on a new image, joining no cluster: the plain fleet of a fidelity test. */
    public String plainTemplate(String name) {
        String image = image("ecs");
        return ec2.createLaunchTemplate(r -> r.launchTemplateName(name).launchTemplateData(d -> d.imageId(image)
                .instanceType("m5.large"))).launchTemplate().launchTemplateId();
    }

    /** A launch template whose instances join {@code cluster}, managed by rotate-ami through {@code parameter} (null: the default). */
    public String template(String name, String imageId, String cluster, String parameter) {
        String userData = Base64.getEncoder().encodeToString(("#!/bin/bash\necho ECS_CLUSTER=" + cluster + " >> /etc/ecs/ecs.config\n")
                .getBytes(StandardCharsets.UTF_8));
        return ec2.createLaunchTemplate(r -> r.launchTemplateName(name)
                .launchTemplateData(d -> d.imageId(imageId).instanceType("m5.large").userData(userData)
                        .tagSpecifications(t -> t.resourceType(ResourceType.INSTANCE).tags(tag -> tag.key("Name").value(name),
                                tag -> tag.key(AccountSeeder.CLUSTER_TAG).value(cluster))))
                .tagSpecifications(t -> t.resourceType(ResourceType.LAUNCH_TEMPLATE).tags(tag -> tag.key(PARAMETER_TAG)
                        .value(parameter == null ? "" : parameter)))).launchTemplate().launchTemplateId();
    }

    /** An Auto Scaling group of {@code count} instances from {@code version} of the template, registered in {@code cluster}. */
    public List<SeededInstance> autoScalingGroup(String name, String templateId, String version, String cluster, int count) {
        autoscaling.createAutoScalingGroup(r -> r.autoScalingGroupName(name).minSize(1).maxSize(count * 2).desiredCapacity(count)
                .availabilityZones(region + "a", region + "b").launchTemplate(t -> t.launchTemplateId(templateId).version(version))
                .tags(t -> t.key(AccountSeeder.CLUSTER_TAG).value(cluster).propagateAtLaunch(true)));
        List<String> ids = autoscaling.describeAutoScalingGroups(r -> r.autoScalingGroupNames(name)).autoScalingGroups().get(0)
                .instances().stream().map(i -> i.instanceId()).toList();
        return register(cluster, ids);
    }

    /** An EC2 Fleet of type maintain from {@code version} of the template; returns its id. */
    public String ec2Fleet(String templateId, String version, int count, boolean spot) {
        return ec2Fleet(templateId, version, count, spot, null);
    }

    /** As above, with the id {@code fixedId} (the id a sample event names; null: one EC2 picks), see ec2_fixes.py. */
    public String ec2Fleet(String templateId, String version, int count, boolean spot, String fixedId) {
        return ec2.createFleet(r -> r.type(FleetType.MAINTAIN).targetCapacitySpecification(c -> c.totalTargetCapacity(count)
                .defaultTargetCapacityType(spot ? "spot" : "on-demand"))
                .tagSpecifications(withFixedId(clusterTag(templateId, ResourceType.FLEET), ResourceType.FLEET, fixedId))
                .launchTemplateConfigs(c -> c.launchTemplateSpecification(s -> s.launchTemplateId(templateId).version(version)))).fleetId();
    }

    /** An EC2 Fleet of type maintain with {@code spot} Spot and {@code onDemand} On-Demand capacity; returns its id. */
    public String mixedEc2Fleet(String templateId, String version, int spot, int onDemand) {
        return ec2.createFleet(r -> r.type(FleetType.MAINTAIN).targetCapacitySpecification(c -> c.totalTargetCapacity(spot + onDemand)
                .onDemandTargetCapacity(onDemand).spotTargetCapacity(spot).defaultTargetCapacityType("spot"))
                .tagSpecifications(clusterTag(templateId, ResourceType.FLEET))
                .launchTemplateConfigs(c -> c.launchTemplateSpecification(s -> s.launchTemplateId(templateId).version(version)))).fleetId();
    }

    /**
     * An EC2 Fleet (type maintain) whose targets are in units: its one override, {@code instanceType},
     * counts {@code weight} units; returns its id.
     */
    public String weightedEc2Fleet(String templateId, String version, int spotUnits, int onDemandUnits, String instanceType, int weight) {
        return ec2.createFleet(r -> r.type(FleetType.MAINTAIN).targetCapacitySpecification(c -> c.totalTargetCapacity(spotUnits + onDemandUnits)
                .onDemandTargetCapacity(onDemandUnits).spotTargetCapacity(spotUnits).defaultTargetCapacityType("spot"))
                .tagSpecifications(clusterTag(templateId, ResourceType.FLEET))
                .launchTemplateConfigs(c -> c.launchTemplateSpecification(s -> s.launchTemplateId(templateId).version(version))
                        .overrides(o -> o.instanceType(instanceType).weightedCapacity((double) weight)))).fleetId();
    }

    /**
     * A Spot Fleet request (type maintain) whose targets are in units: its one override,
     * {@code instanceType}, counts {@code weight} units; returns its id.
     */
    public String weightedSpotFleet(String templateId, String version, int spotUnits, int onDemandUnits, String instanceType, int weight) {
        return ec2.requestSpotFleet(r -> r.spotFleetRequestConfig(c -> c.iamFleetRole("arn:aws:iam::123456789012:role/aws-ec2-spot-fleet-tagging-role")
                .targetCapacity(spotUnits + onDemandUnits).onDemandTargetCapacity(onDemandUnits).type("maintain")
                .tagSpecifications(clusterTag(templateId, ResourceType.SPOT_FLEET_REQUEST))
                .launchTemplateConfigs(l -> l.launchTemplateSpecification(s -> s.launchTemplateId(templateId).version(version))
                        .overrides(o -> o.instanceType(instanceType).weightedCapacity((double) weight)))))
                .spotFleetRequestId();
    }

    /**
     * A Spot Fleet request (type maintain) by attribute-based instance type selection, its targets in
     * {@code unitType} ({@code vcpu} or {@code memory-mib}): instances of {@code vcpus} vCPUs and
     * {@code mib} MiB; returns its id.
     */
    public String spotFleetByAttributes(String templateId, String version, int spot, int onDemand, String unitType, int vcpus, int mib) {
        return ec2.requestSpotFleet(r -> r.spotFleetRequestConfig(c -> c.iamFleetRole("arn:aws:iam::123456789012:role/aws-ec2-spot-fleet-tagging-role")
                .targetCapacity(spot + onDemand).onDemandTargetCapacity(onDemand).type("maintain").targetCapacityUnitType(unitType)
                .tagSpecifications(clusterTag(templateId, ResourceType.SPOT_FLEET_REQUEST))
                .launchTemplateConfigs(l -> l.launchTemplateSpecification(s -> s.launchTemplateId(templateId).version(version))
                        .overrides(o -> o.instanceRequirements(q -> q.vCpuCount(v -> v.min(vcpus).max(vcpus))
                                .memoryMiB(m -> m.min(mib).max(mib)))))))
                .spotFleetRequestId();
    }

    /**
     * An EC2 Fleet (type maintain) by attribute-based instance type selection, its targets in
     * {@code unitType} ({@code vcpu} or {@code memory-mib}): instances of {@code vcpus} vCPUs and
     * {@code mib} MiB; returns its id.
     */
    public String ec2FleetByAttributes(String templateId, String version, int spot, int onDemand, String unitType, int vcpus, int mib) {
        return ec2.createFleet(r -> r.type(FleetType.MAINTAIN).targetCapacitySpecification(c -> c.totalTargetCapacity(spot + onDemand)
                .onDemandTargetCapacity(onDemand).spotTargetCapacity(spot).defaultTargetCapacityType("spot").targetCapacityUnitType(unitType))
                .tagSpecifications(clusterTag(templateId, ResourceType.FLEET))
                .launchTemplateConfigs(c -> c.launchTemplateSpecification(s -> s.launchTemplateId(templateId).version(version))
                        .overrides(o -> o.instanceRequirements(q -> q.vCpuCount(v -> v.min(vcpus).max(vcpus))
                                .memoryMiB(m -> m.min(mib).max(mib)))))).fleetId();
    }

    /** A Spot Fleet request (type maintain) from {@code version} of the template; returns its id. */
    public String spotFleet(String templateId, String version, int count) {
        return mixedSpotFleet(templateId, version, count, 0, null);
    }

    /** As above, with the id {@code fixedId} (the id a sample event names), see ec2_fixes.py. */
    public String spotFleet(String templateId, String version, int count, String fixedId) {
        return mixedSpotFleet(templateId, version, count, 0, fixedId);
    }

    /** A Spot Fleet request (type maintain) of {@code spot} Spot and {@code onDemand} On-Demand capacity; returns its id. */
    public String mixedSpotFleet(String templateId, String version, int spot, int onDemand) {
        return mixedSpotFleet(templateId, version, spot, onDemand, null);
    }

    private String mixedSpotFleet(String templateId, String version, int spot, int onDemand, String fixedId) {
        return ec2.requestSpotFleet(r -> r.spotFleetRequestConfig(c -> c.iamFleetRole("arn:aws:iam::123456789012:role/aws-ec2-spot-fleet-tagging-role")
                .targetCapacity(spot + onDemand).onDemandTargetCapacity(onDemand).type("maintain")
                .tagSpecifications(withFixedId(clusterTag(templateId, ResourceType.SPOT_FLEET_REQUEST), ResourceType.SPOT_FLEET_REQUEST, fixedId))
                .launchTemplateConfigs(l -> l.launchTemplateSpecification(s -> s.launchTemplateId(templateId).version(version)))))
                .spotFleetRequestId();
    }

    /** {@code tags} and, when {@code fixedId} is set, the emulator's tag asking for that fleet id. */
    private static List<TagSpecification> withFixedId(List<TagSpecification> tags, ResourceType type, String fixedId) {
        if (fixedId == null) {
            return tags;
        }
        List<TagSpecification> all = new ArrayList<>(tags);
        all.add(TagSpecification.builder().resourceType(type).tags(Tag.builder().key(FLEET_ID_TAG).value(fixedId).build()).build());
        return all;
    }

    /**
     * The template's instances' deckhand:cluster tag, which the operator puts on the fleet too; none
     * when the template has none.
     */
    private List<TagSpecification> clusterTag(String templateId, ResourceType type) {
        return ec2.describeLaunchTemplateVersions(r -> r.launchTemplateId(templateId).versions("$Default"))
                .launchTemplateVersions().get(0).launchTemplateData().tagSpecifications().stream()
                .flatMap(s -> s.tags().stream()).filter(t -> AccountSeeder.CLUSTER_TAG.equals(t.key()))
                .map(t -> TagSpecification.builder().resourceType(type).tags(Tag.builder().key(t.key()).value(t.value()).build()).build())
                .toList();
    }

    public List<String> ec2FleetInstances(String fleetId) {
        return ec2.describeFleetInstances(r -> r.fleetId(fleetId)).activeInstances().stream().map(i -> i.instanceId()).toList();
    }

    public List<String> spotFleetInstances(String requestId) {
        return ec2.describeSpotFleetInstances(r -> r.spotFleetRequestId(requestId)).activeInstances().stream().map(i -> i.instanceId()).toList();
    }

    /** Registers each instance in {@code cluster}, as its ECS agent does when it starts. */
    public List<SeededInstance> register(String cluster, List<String> instanceIds) {
        List<SeededInstance> seeded = new ArrayList<>();
        if (instanceIds.isEmpty()) {
            return seeded;
        }
        for (var reservation : ec2.describeInstances(r -> r.instanceIds(instanceIds)).reservations()) {
            for (Instance instance : reservation.instances()) {
                String document = "{\"instanceId\":\"" + instance.instanceId() + "\",\"availabilityZone\":\""
                        + instance.placement().availabilityZone() + "\",\"region\":\"" + region + "\"}";
                String arn = ecs.registerContainerInstance(r -> r.cluster(cluster).instanceIdentityDocument(document))
                        .containerInstance().containerInstanceArn();
                seeded.add(new SeededInstance(cluster, instance.instanceId(), arn, instance.placement().availabilityZone(),
                        instance.instanceLifecycleAsString() != null));
            }
        }
        return seeded;
    }
}
