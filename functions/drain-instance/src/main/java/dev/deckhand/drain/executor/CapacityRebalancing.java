package dev.deckhand.drain.executor;

import java.util.List;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingInstanceDetails;

/**
 * Whether something will replace an instance EC2 recommends rebalancing: its Auto Scaling group has
 * Capacity Rebalancing on, so Auto Scaling launches a replacement and then terminates the at-risk
 * instance (EC2 Auto Scaling User Guide, "Use Capacity Rebalancing to handle Amazon EC2 Spot
 * Interruptions"). Two reads: DescribeAutoScalingInstances (the instance's group), then
 * DescribeAutoScalingGroups (its CapacityRebalance).
 *
 * <pre>{@code
 * String group = rebalancing.replacingGroup("i-1234567890abcdef0");   // null: nothing replaces it
 * }</pre>
 */
public final class CapacityRebalancing {

    private final AutoScalingClient autoscaling;

    public CapacityRebalancing(AutoScalingClient autoscaling) {
        this.autoscaling = autoscaling;
    }

    /** The instance's lifecycle state in its group ({@code InService}, {@code Terminating:Wait}, ...); null when in no group. */
    public String lifecycleState(String instanceId) {
        List<AutoScalingInstanceDetails> instances = autoscaling.describeAutoScalingInstances(r -> r.instanceIds(instanceId))
                .autoScalingInstances();
        return instances.isEmpty() ? null : instances.get(0).lifecycleState();
    }

    /** The instance's group when that group has Capacity Rebalancing on; null when in no group or off. */
    public String replacingGroup(String instanceId) {
        List<AutoScalingInstanceDetails> instances = autoscaling.describeAutoScalingInstances(r -> r.instanceIds(instanceId))
                .autoScalingInstances();
        if (instances.isEmpty()) {
            return null;
        }
        String group = instances.get(0).autoScalingGroupName();
        List<AutoScalingGroup> groups = autoscaling.describeAutoScalingGroups(r -> r.autoScalingGroupNames(group)).autoScalingGroups();
        return !groups.isEmpty() && Boolean.TRUE.equals(groups.get(0).capacityRebalance()) ? group : null;
    }
}
