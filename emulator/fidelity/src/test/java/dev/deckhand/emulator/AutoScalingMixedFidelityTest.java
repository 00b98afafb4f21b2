package dev.deckhand.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * Pins emulator/python/deckhand_emulator/autoscaling_mixed.py to the EC2 Auto Scaling API Reference
 * (UpdateAutoScalingGroup): "Any properties that you don't specify are not changed by this update
 * request", a mixed instances policy's included.
 */
@Tag("emulator")
class AutoScalingMixedFidelityTest extends EmptyAccountTest {

    private GroupSeeder groups;
    private AutoScalingClient autoscaling;

    @BeforeEach
    void seed() {
        autoscaling = aws.client(AutoScalingClient.builder(), REGION);
        groups = new GroupSeeder(autoscaling, aws.client(Ec2Client.builder(), REGION), REGION);
        groups.mixed("web-mixed", 4, 10, 1, 0, Map.of("deckhand:hold-capacity", "web"));
    }

    @Test
    void updateNamingOnlyTheBase_changesTheBase_andKeepsTheRestOfThePolicy() {
        autoscaling.updateAutoScalingGroup(r -> r.autoScalingGroupName("web-mixed")
                .mixedInstancesPolicy(p -> p.instancesDistribution(d -> d.onDemandBaseCapacity(3))));

        AutoScalingGroup group = groups.describe("web-mixed");
        var distribution = group.mixedInstancesPolicy().instancesDistribution();
        assertEquals(3, distribution.onDemandBaseCapacity());
        assertEquals(0, distribution.onDemandPercentageAboveBaseCapacity());
        assertEquals("price-capacity-optimized", distribution.spotAllocationStrategy());
        assertNotNull(group.mixedInstancesPolicy().launchTemplate().launchTemplateSpecification().launchTemplateId());
        assertEquals(2, group.mixedInstancesPolicy().launchTemplate().overrides().size());
    }

    @Test
    void updateWithoutAPolicy_keepsThePolicy() {
        autoscaling.updateAutoScalingGroup(r -> r.autoScalingGroupName("web-mixed").desiredCapacity(5));

        AutoScalingGroup group = groups.describe("web-mixed");
        assertEquals(5, group.desiredCapacity());
        assertEquals(1, group.mixedInstancesPolicy().instancesDistribution().onDemandBaseCapacity());
    }
}
