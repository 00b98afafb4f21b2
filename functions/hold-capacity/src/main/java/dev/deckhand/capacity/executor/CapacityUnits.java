package dev.deckhand.capacity.executor;

import dev.deckhand.capacity.planner.LeverKind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.InstanceTypeInfo;

/**
 * What a lost instance counts in its lever's unit: a mixed group with {@code DesiredCapacityType}
 * {@code vcpu} or {@code memory-mib} counts its vCPUs or its memory in MiB; a group with weighted
 * overrides counts its type's {@code WeightedCapacity}, and so does a member of an EC2 Fleet or
 * Spot Fleet lever with weighted overrides (or Spot Fleet launch specifications); a member of a
 * fleet whose {@code TargetCapacityUnitType} is {@code vcpu} or {@code memory-mib} counts its vCPUs
 * or MiB; anything else counts one instance
 * (https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-mixed-instances-groups-instance-weighting.html,
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/create-mixed-instances-group-attribute-based-instance-type-selection.html,
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/spot-fleet-instance-weighting.html,
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-fleet-attribute-based-instance-type-selection.html).
 *
 * <pre>{@code
 * int units = new CapacityUnits(ec2).ofLost(held, "i-1234567890abcdef0");
 * }</pre>
 *
 * A type the weighted lever does not list counts its vCPUs in proportion to the lever's first
 * weighted type (a c5.4xlarge lost where a c5.2xlarge weighs 2 counts 4). Reads: DescribeInstances
 * (the {@code instance-id} filter) for the lost instance's type, DescribeInstanceTypes when vCPUs or
 * memory decide; none when the lever counts instances. A fleet lever counting vCPUs or MiB has its
 * members' types described once when it is read (CapacityReader), so a lost member costs no call.
 */
final class CapacityUnits {

    private static final Logger log = LoggerFactory.getLogger(CapacityUnits.class);

    private final Ec2Client ec2;

    CapacityUnits(Ec2Client ec2) {
        this.ec2 = ec2;
    }

    int ofLost(CapacityReader.Held held, String instanceId) {
        if (held.fleet() != null) {
            return ofLostFromFleet(held.fleet(), instanceId);
        }
        AutoScalingGroup group = held.group();
        if (group == null || held.lever().kind() != LeverKind.MIXED_GROUP) {
            return 1;
        }
        String unit = group.desiredCapacityType() == null ? "units" : group.desiredCapacityType();
        Map<String, Integer> weights = weights(group);
        if (unit.equals("units") && weights.isEmpty()) {
            return 1;
        }
        String type = typeOf(instanceId);
        if (type == null) {
            log.atWarn().addKeyValue("instanceId", instanceId).log("{} is not described by EC2 any more; counted as one unit", instanceId);
            return 1;
        }
        if (unit.equals("vcpu") || unit.equals("memory-mib")) {
            InstanceTypeInfo info = describe(List.of(type)).get(type);
            if (info == null) {
                return 1;
            }
            return count(unit, info);
        }
        Integer weight = weights.get(type);
        if (weight != null) {
            return weight;
        }
        Map.Entry<String, Integer> reference = weights.entrySet().iterator().next();
        Map<String, InstanceTypeInfo> infos = describe(List.of(type, reference.getKey()));
        if (!infos.containsKey(type) || !infos.containsKey(reference.getKey())) {
            return reference.getValue();
        }
        double vcpus = infos.get(type).vCpuInfo().defaultVCpus();
        double referenceVcpus = infos.get(reference.getKey()).vCpuInfo().defaultVCpus();
        return Math.max(1, (int) Math.ceil(vcpus * reference.getValue() / referenceVcpus));
    }

    /**
     * A fleet lever's member counts its type's weight (or vCPUs, or MiB); another instance its type's
     * weight there, else one; in vCPUs or MiB, its type's (DescribeInstanceTypes when no member has it).
     */
    private int ofLostFromFleet(CapacityReader.FleetLever fleet, String instanceId) {
        if (fleet.weights().isEmpty() && !fleet.countsAttributes()) {
            return 1;
        }
        if (fleet.memberUnits().containsKey(instanceId)) {
            return fleet.unitsOf(instanceId);
        }
        String type = typeOf(instanceId);
        if (type == null) {
            return 1;
        }
        if (fleet.countsAttributes() && !fleet.weights().containsKey(type)) {
            return ofTypes(fleet.unitType(), List.of(type)).getOrDefault(type, 1);
        }
        return fleet.weights().getOrDefault(type, 1);
    }

    /** What one instance of each type counts in {@code unit} ({@code vcpu} or {@code memory-mib}): one DescribeInstanceTypes. */
    Map<String, Integer> ofTypes(String unit, Collection<String> types) {
        Map<String, Integer> units = new HashMap<>();
        if (types.isEmpty()) {
            return units;
        }
        describe(List.copyOf(types)).forEach((type, info) -> units.put(type, count(unit, info)));
        return units;
    }

    private static int count(String unit, InstanceTypeInfo info) {
        return Math.max(1, unit.equals("vcpu") ? info.vCpuInfo().defaultVCpus() : info.memoryInfo().sizeInMiB().intValue());
    }

    /** The weighted overrides of a mixed group, in their order: type to WeightedCapacity. */
    private static Map<String, Integer> weights(AutoScalingGroup group) {
        Map<String, Integer> weights = new LinkedHashMap<>();
        var template = group.mixedInstancesPolicy() == null ? null : group.mixedInstancesPolicy().launchTemplate();
        if (template == null) {
            return weights;
        }
        template.overrides().forEach(o -> {
            if (o.instanceType() != null && o.weightedCapacity() != null) {
                try {
                    weights.put(o.instanceType(), Integer.parseInt(o.weightedCapacity()));
                } catch (NumberFormatException e) {
                    log.atWarn().addKeyValue("group", group.autoScalingGroupName()).log("WeightedCapacity {} of {} is not a number",
                            o.weightedCapacity(), o.instanceType());
                }
            }
        });
        return weights;
    }

    private String typeOf(String instanceId) {
        List<String> types = new ArrayList<>();
        ec2.describeInstancesPaginator(r -> r.filters(f -> f.name("instance-id").values(instanceId))).reservations()
                .forEach(rv -> rv.instances().forEach(i -> types.add(i.instanceTypeAsString())));
        return types.isEmpty() ? null : types.get(0);
    }

    private Map<String, InstanceTypeInfo> describe(List<String> types) {
        Map<String, InstanceTypeInfo> infos = new HashMap<>();
        ec2.describeInstanceTypes(r -> r.instanceTypesWithStrings(types.stream().distinct().toList())).instanceTypes()
                .forEach(i -> infos.put(i.instanceTypeAsString(), i));
        return infos;
    }
}
