package dev.deckhand.emulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplateOverrides;
import software.amazon.awssdk.services.autoscaling.model.Tag;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * Seeds Auto Scaling groups for the capacity Deckhand holds: On-Demand groups, Spot groups and
 * groups with a mixed instances policy, each from a launch template, with tags. The emulator
 * launches their instances at once.
 *
 * <pre>{@code
 * GroupSeeder groups = new GroupSeeder(autoscaling, ec2, "us-east-2");
 * groups.onDemand("web-od", 2, 10, Map.of("deckhand:hold-capacity", "web"));
 * groups.mixed("web-mixed", 6, 12, 1, 0, Map.of("deckhand:hold-capacity", "web"));
 * }</pre>
 */
public final class GroupSeeder {

    private final AutoScalingClient autoscaling;
    private final Ec2Client ec2;
    private final String region;

    public GroupSeeder(AutoScalingClient autoscaling, Ec2Client ec2, String region) {
        this.autoscaling = autoscaling;
        this.ec2 = ec2;
        this.region = region;
    }

    public AutoScalingClient autoscaling() {
        return autoscaling;
    }

    /** A launch template named {@code name} (m5.large, the seeding AMI), created once. */
    public String launchTemplate(String name) {
        var existing = ec2.describeLaunchTemplates(r -> r.filters(f -> f.name("launch-template-name").values(name))).launchTemplates();
        if (!existing.isEmpty()) {
            return existing.get(0).launchTemplateId();
        }
        return ec2.createLaunchTemplate(r -> r.launchTemplateName(name)
                .launchTemplateData(d -> d.imageId(AccountSeeder.AMI).instanceType("m5.large"))).launchTemplate().launchTemplateId();
    }

    /** A group of On-Demand instances (no mixed instances policy). */
    public AutoScalingGroup onDemand(String name, int desired, int max, Map<String, String> tags) {
        String template = launchTemplate("deckhand-hold-" + name);
        autoscaling.createAutoScalingGroup(r -> r.autoScalingGroupName(name).minSize(0).maxSize(max).desiredCapacity(desired)
                .availabilityZones(region + "a", region + "b").launchTemplate(t -> t.launchTemplateId(template))
                .tags(tags(name, tags)));
        return describe(name);
    }

    /**
     * A group with a mixed instances policy: {@code onDemandBase} On-Demand instances, then
     * {@code onDemandPercentAboveBase} percent On-Demand above it, Spot for the rest.
     */
    public AutoScalingGroup mixed(String name, int desired, int max, int onDemandBase, int onDemandPercentAboveBase,
                                  Map<String, String> tags) {
        String template = launchTemplate("deckhand-hold-" + name);
        autoscaling.createAutoScalingGroup(r -> r.autoScalingGroupName(name).minSize(0).maxSize(max).desiredCapacity(desired)
                .availabilityZones(region + "a", region + "b")
                .mixedInstancesPolicy(p -> p
                        .launchTemplate(lt -> lt.launchTemplateSpecification(s -> s.launchTemplateId(template))
                                .overrides(o -> o.instanceType("m5.large"), o -> o.instanceType("m5a.large")))
                        .instancesDistribution(d -> d.onDemandBaseCapacity(onDemandBase)
                                .onDemandPercentageAboveBaseCapacity(onDemandPercentAboveBase)
                                .spotAllocationStrategy("price-capacity-optimized")))
                .tags(tags(name, tags)));
        return describe(name);
    }

    /**
     * A mixed instances group whose instance types count {@code weights} units each: desired
     * capacity, maximum and base are in units (pct 0 above the base: the rest is Spot).
     */
    public AutoScalingGroup weighted(String name, int desired, int max, int onDemandBase, Map<String, Integer> weights,
                                     Map<String, String> tags) {
        String template = launchTemplate("deckhand-hold-" + name);
        List<LaunchTemplateOverrides> overrides = new ArrayList<>();
        weights.forEach((type, weight) -> overrides.add(LaunchTemplateOverrides.builder().instanceType(type)
                .weightedCapacity(Integer.toString(weight)).build()));
        autoscaling.createAutoScalingGroup(r -> r.autoScalingGroupName(name).minSize(0).maxSize(max).desiredCapacity(desired)
                .availabilityZones(region + "a", region + "b")
                .mixedInstancesPolicy(p -> p
                        .launchTemplate(lt -> lt.launchTemplateSpecification(s -> s.launchTemplateId(template)).overrides(overrides))
                        .instancesDistribution(d -> d.onDemandBaseCapacity(onDemandBase).onDemandPercentageAboveBaseCapacity(0)
                                .spotAllocationStrategy("price-capacity-optimized")))
                .tags(tags(name, tags)));
        return describe(name);
    }

    /**
     * A mixed instances group with attribute-based instance type selection (2 to 4 vCPUs, at least
     * 4 GiB) counting its capacity in {@code capacityType} ({@code vcpu} or {@code memory-mib}).
     */
    public AutoScalingGroup byAttributes(String name, String capacityType, int desired, int max, int onDemandBase,
                                         Map<String, String> tags) {
        String template = launchTemplate("deckhand-hold-" + name);
        autoscaling.createAutoScalingGroup(r -> r.autoScalingGroupName(name).minSize(0).maxSize(max).desiredCapacity(desired)
                .desiredCapacityType(capacityType).availabilityZones(region + "a", region + "b")
                .mixedInstancesPolicy(p -> p
                        .launchTemplate(lt -> lt.launchTemplateSpecification(s -> s.launchTemplateId(template))
                                .overrides(o -> o.instanceRequirements(q -> q.vCpuCount(c -> c.min(2).max(4)).memoryMiB(m -> m.min(4096)))))
                        .instancesDistribution(d -> d.onDemandBaseCapacity(onDemandBase).onDemandPercentageAboveBaseCapacity(0)
                                .spotAllocationStrategy("price-capacity-optimized")))
                .tags(tags(name, tags)));
        return describe(name);
    }

    public AutoScalingGroup describe(String name) {
        return autoscaling.describeAutoScalingGroups(r -> r.autoScalingGroupNames(name)).autoScalingGroups().get(0);
    }

    private static List<Tag> tags(String group, Map<String, String> tags) {
        List<Tag> list = new ArrayList<>();
        tags.forEach((key, value) -> list.add(Tag.builder().resourceId(group).resourceType("auto-scaling-group").key(key).value(value)
                .propagateAtLaunch(false).build()));
        return list;
    }
}
