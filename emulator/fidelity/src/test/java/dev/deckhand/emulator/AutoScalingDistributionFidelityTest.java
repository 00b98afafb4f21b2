package dev.deckhand.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.Instance;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * Pins emulator/python/deckhand_emulator/autoscaling_distribution.py to AWS's documented behaviour
 * of mixed instances groups:
 * <ul>
 * <li>InstancesDistribution, OnDemandBaseCapacity: "An update to this setting means a gradual
 * replacement of instances to adjust the current On-Demand Instance levels. When replacing
 * instances, Amazon EC2 Auto Scaling launches new instances before terminating the previous ones."
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-autoscaling-autoscalinggroup-instancesdistribution.html,
 * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_InstancesDistribution.html)</li>
 * <li>Instance weights: each instance counts its type's WeightedCapacity toward the desired
 * capacity, launched "until the desired capacity is totally fulfilled, even if this results in an
 * overage" (https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-mixed-instances-groups-instance-weighting.html).</li>
 * <li>DesiredCapacityType vcpu / memory-mib with attribute-based instance type selection: the
 * desired capacity is in vCPUs or MiB
 * (https://docs.aws.amazon.com/autoscaling/ec2/userguide/create-mixed-instances-group-attribute-based-instance-type-selection.html).</li>
 * </ul>
 */
@Tag("emulator")
class AutoScalingDistributionFidelityTest extends EmptyAccountTest {

    private GroupSeeder groups;
    private AutoScalingClient autoscaling;
    private Ec2Client ec2;

    @BeforeEach
    void seed() {
        autoscaling = aws.client(AutoScalingClient.builder(), REGION);
        ec2 = aws.client(Ec2Client.builder(), REGION);
        groups = new GroupSeeder(autoscaling, ec2, REGION);
    }

    /** Instance id to "spot" or "on-demand", as DescribeInstances' InstanceLifecycle says. */
    private Map<String, String> purchaseOptions(AutoScalingGroup group) {
        Map<String, String> options = new LinkedHashMap<>();
        List<String> ids = group.instances().stream().map(Instance::instanceId).toList();
        ec2.describeInstances(r -> r.instanceIds(ids)).reservations().forEach(rv -> rv.instances().forEach(i ->
                options.put(i.instanceId(), "spot".equals(i.instanceLifecycleAsString()) ? "spot" : "on-demand")));
        return options;
    }

    private List<String> ids(AutoScalingGroup group) {
        return new ArrayList<>(group.instances().stream().map(Instance::instanceId).toList());
    }

    private long count(Map<String, String> options, String option) {
        return options.values().stream().filter(option::equals).count();
    }

    private String state(String instanceId) {
        return ec2.describeInstances(r -> r.instanceIds(instanceId)).reservations().get(0).instances().get(0).state().nameAsString();
    }

    @Test
    void mixedGroup_launchesTheBaseOnDemand_andTheRestSpot() {
        AutoScalingGroup group = groups.mixed("web-mixed", 4, 10, 1, 0, Map.of());

        Map<String, String> options = purchaseOptions(group);

        assertEquals(1, count(options, "on-demand"), options.toString());
        assertEquals(3, count(options, "spot"), options.toString());
    }

    @Test
    void raisingTheBaseAlone_replacesAHealthySpotInstanceWithOnDemand() {
        AutoScalingGroup before = groups.mixed("web-mixed", 4, 10, 1, 0, Map.of());
        Map<String, String> was = purchaseOptions(before);

        autoscaling.updateAutoScalingGroup(r -> r.autoScalingGroupName("web-mixed")
                .mixedInstancesPolicy(p -> p.instancesDistribution(d -> d.onDemandBaseCapacity(2))));

        AutoScalingGroup after = groups.describe("web-mixed");
        Map<String, String> now = purchaseOptions(after);
        assertEquals(4, after.instances().size());
        assertEquals(2, count(now, "on-demand"), now.toString());
        List<String> gone = was.keySet().stream().filter(id -> !now.containsKey(id)).toList();
        assertEquals(1, gone.size(), "one instance replaced");
        assertEquals("spot", was.get(gone.get(0)));
        assertEquals("terminated", state(gone.get(0)));
    }

    @Test
    void raisingDesiredCapacityAndBaseTogether_launchesOneOnDemand_andReplacesNothing() {
        AutoScalingGroup before = groups.mixed("web-mixed", 4, 10, 1, 0, Map.of());

        autoscaling.updateAutoScalingGroup(r -> r.autoScalingGroupName("web-mixed").desiredCapacity(5)
                .mixedInstancesPolicy(p -> p.instancesDistribution(d -> d.onDemandBaseCapacity(2))));

        AutoScalingGroup after = groups.describe("web-mixed");
        assertTrue(ids(after).containsAll(ids(before)), "nothing replaced");
        Map<String, String> now = purchaseOptions(after);
        assertEquals(2, count(now, "on-demand"));
        assertEquals(3, count(now, "spot"));
    }

    @Test
    void loweringTheBaseAlone_replacesAnOnDemandInstanceWithSpot() {
        AutoScalingGroup before = groups.mixed("web-mixed", 4, 10, 2, 0, Map.of());
        Map<String, String> was = purchaseOptions(before);

        autoscaling.updateAutoScalingGroup(r -> r.autoScalingGroupName("web-mixed")
                .mixedInstancesPolicy(p -> p.instancesDistribution(d -> d.onDemandBaseCapacity(1))));

        Map<String, String> now = purchaseOptions(groups.describe("web-mixed"));
        List<String> gone = was.keySet().stream().filter(id -> !now.containsKey(id)).toList();
        assertEquals(List.of("on-demand"), gone.stream().map(was::get).toList());
        assertEquals(3, count(now, "spot"));
    }

    @Test
    void terminatingAnOnDemandInstanceWithDecrement_thenLoweringTheBase_replacesNothing() {
        AutoScalingGroup before = groups.mixed("web-mixed", 5, 10, 2, 0, Map.of());
        Map<String, String> was = purchaseOptions(before);
        String held = was.entrySet().stream().filter(e -> e.getValue().equals("on-demand")).map(Map.Entry::getKey).findFirst().orElseThrow();

        autoscaling.terminateInstanceInAutoScalingGroup(r -> r.instanceId(held).shouldDecrementDesiredCapacity(true));
        autoscaling.updateAutoScalingGroup(r -> r.autoScalingGroupName("web-mixed")
                .mixedInstancesPolicy(p -> p.instancesDistribution(d -> d.onDemandBaseCapacity(1))));

        AutoScalingGroup after = groups.describe("web-mixed");
        List<String> rest = ids(before);
        rest.remove(held);
        assertEquals(rest, ids(after), "only the instance named left");
        assertEquals(4, after.desiredCapacity());
    }

    @Test
    void terminatingWithoutDecrement_launchesTheReplacementTheDistributionAsksFor() {
        AutoScalingGroup before = groups.mixed("web-mixed", 4, 10, 1, 0, Map.of());
        String onDemand = purchaseOptions(before).entrySet().stream().filter(e -> e.getValue().equals("on-demand")).map(Map.Entry::getKey)
                .findFirst().orElseThrow();

        autoscaling.terminateInstanceInAutoScalingGroup(r -> r.instanceId(onDemand).shouldDecrementDesiredCapacity(false));

        Map<String, String> now = purchaseOptions(groups.describe("web-mixed"));
        assertEquals(4, now.size());
        assertEquals(1, count(now, "on-demand"), "the base is On-Demand again");
    }

    @Test
    void weightedGroup_countsUnits_andOvershootsRatherThanFallShort() {
        AutoScalingGroup group = groups.weighted("web-weighted", 7, 40, 4, Map.of("m5.xlarge", 4), Map.of());

        assertEquals(7, group.desiredCapacity());
        assertEquals(2, group.instances().size(), "4 + 4 units fulfil 7");
        group.instances().forEach(i -> assertEquals("4", i.weightedCapacity()));
        Map<String, String> options = purchaseOptions(group);
        assertEquals(1, count(options, "on-demand"), "the base of 4 units is one m5.xlarge");
    }

    @Test
    void weightedGroup_terminatedWithDecrement_lowersTheDesiredCapacityByTheInstancesUnits() {
        AutoScalingGroup group = groups.weighted("web-weighted", 8, 40, 4, Map.of("m5.xlarge", 4), Map.of());

        autoscaling.terminateInstanceInAutoScalingGroup(r -> r.instanceId(group.instances().get(0).instanceId())
                .shouldDecrementDesiredCapacity(true));

        AutoScalingGroup after = groups.describe("web-weighted");
        assertEquals(4, after.desiredCapacity());
        assertEquals(1, after.instances().size());
    }

    @Test
    void vcpuGroup_describesItsUnit_andCountsEachInstancesVcpus() {
        AutoScalingGroup group = groups.byAttributes("web-vcpu", "vcpu", 8, 64, 0, Map.of());

        assertEquals("vcpu", group.desiredCapacityType());
        int units = 0;
        for (Instance instance : group.instances()) {
            String type = instance.instanceType();
            int vcpus = ec2.describeInstanceTypes(r -> r.instanceTypesWithStrings(type)).instanceTypes().get(0).vCpuInfo().defaultVCpus();
            assertEquals(Integer.toString(vcpus), instance.weightedCapacity());
            assertTrue(vcpus >= 2 && vcpus <= 4, type + " meets the requirements");
            units += vcpus;
        }
        assertTrue(units >= 8, "the desired vCPUs are fulfilled");
    }

    @Test
    void memoryGroup_countsEachInstancesMemoryInMib() {
        AutoScalingGroup group = groups.byAttributes("web-memory", "memory-mib", 8192, 65536, 0, Map.of());

        assertEquals("memory-mib", group.desiredCapacityType());
        int units = 0;
        for (Instance instance : group.instances()) {
            String type = instance.instanceType();
            long mib = ec2.describeInstanceTypes(r -> r.instanceTypesWithStrings(type)).instanceTypes().get(0).memoryInfo().sizeInMiB();
            assertEquals(Long.toString(mib), instance.weightedCapacity());
            units += (int) mib;
        }
        assertTrue(units >= 8192, "the desired MiB are fulfilled");
    }
}
