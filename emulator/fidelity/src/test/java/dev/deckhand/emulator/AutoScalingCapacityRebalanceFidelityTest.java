package dev.deckhand.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingInstanceDetails;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * Pins Capacity Rebalancing as EC2 Auto Scaling's API Reference documents it: CreateAutoScalingGroup
 * and UpdateAutoScalingGroup take {@code CapacityRebalance} ("Indicates whether Capacity Rebalancing
 * is enabled"), DescribeAutoScalingGroups describes it (AutoScalingGroup, CapacityRebalance; false
 * when not enabled), an update that does not name it keeps it
 * (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_AutoScalingGroup.html,
 * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_UpdateAutoScalingGroup.html), and
 * DescribeAutoScalingInstances names an instance's group
 * (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeAutoScalingInstances.html).
 */
@Tag("emulator")
class AutoScalingCapacityRebalanceFidelityTest extends EmptyAccountTest {

    @Test
    void capacityRebalance_isDescribed_updated_andKeptByAnUpdateThatDoesNotNameIt() {
        AutoScalingClient autoscaling = aws.client(AutoScalingClient.builder(), REGION);
        GroupSeeder groups = new GroupSeeder(autoscaling, aws.client(Ec2Client.builder(), REGION), REGION);
        String template = groups.launchTemplate("cr");
        autoscaling.createAutoScalingGroup(r -> r.autoScalingGroupName("with").minSize(0).maxSize(2).desiredCapacity(1)
                .availabilityZones("us-east-2a").launchTemplate(t -> t.launchTemplateId(template)).capacityRebalance(true));
        autoscaling.createAutoScalingGroup(r -> r.autoScalingGroupName("without").minSize(0).maxSize(2).desiredCapacity(1)
                .availabilityZones("us-east-2a").launchTemplate(t -> t.launchTemplateId(template)));

        assertEquals(true, groups.describe("with").capacityRebalance());
        assertEquals(false, groups.describe("without").capacityRebalance());

        autoscaling.updateAutoScalingGroup(r -> r.autoScalingGroupName("with").desiredCapacity(2));
        assertEquals(true, groups.describe("with").capacityRebalance(), "an update that does not name it keeps it");
        autoscaling.updateAutoScalingGroup(r -> r.autoScalingGroupName("with").capacityRebalance(false));
        assertEquals(false, groups.describe("with").capacityRebalance());
        autoscaling.updateAutoScalingGroup(r -> r.autoScalingGroupName("without").capacityRebalance(true));
        assertEquals(true, groups.describe("without").capacityRebalance());

        String instance = groups.describe("without").instances().get(0).instanceId();
        List<AutoScalingInstanceDetails> described = autoscaling.describeAutoScalingInstances(r -> r.instanceIds(instance))
                .autoScalingInstances();
        assertEquals(1, described.size());
        assertEquals("without", described.get(0).autoScalingGroupName());
    }
}
