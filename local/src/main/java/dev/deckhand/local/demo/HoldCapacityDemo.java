package dev.deckhand.local.demo;

import dev.deckhand.core.aws.DeckhandTags;
import dev.deckhand.emulator.AccountSeeder;
import java.util.List;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.Tag;

/**
 * hold-capacity's part of the demo account: demo-batch's On-Demand group, the lever Deckhand raises
 * when Spot capacity is lost, and its Spot group.
 *
 * <pre>
 * demo-batch-ondemand  On-Demand, desired 1 (min 1, max 6), tagged deckhand:hold-capacity=demo-batch, deckhand:hold-max=3
 * demo-batch-spot      the Spot side, desired 2, tagged deckhand:hold-spot=demo-batch
 * </pre>
 *
 * The groups' instances are EC2 instances only (their ECS agents do not register them), so a
 * retirement request for one finds nothing to drain in ECS, and the hand-back goes on.
 */
public final class HoldCapacityDemo {

    public static final String ON_DEMAND_GROUP = "demo-batch-ondemand";
    public static final String SPOT_GROUP = "demo-batch-spot";
    private static final String LAUNCH_CONFIGURATION = "demo-batch-hold-capacity";

    private HoldCapacityDemo() {
    }

    public static void seed(AutoScalingClient autoscaling) {
        autoscaling.createLaunchConfiguration(r -> r.launchConfigurationName(LAUNCH_CONFIGURATION)
                .imageId(AccountSeeder.AMI).instanceType("m5.large"));
        group(autoscaling, ON_DEMAND_GROUP, 1, 1, 6, List.of(tag(ON_DEMAND_GROUP, DeckhandTags.HOLD_LEVER, "demo-batch"),
                tag(ON_DEMAND_GROUP, "deckhand:hold-max", "3")));
        group(autoscaling, SPOT_GROUP, 2, 0, 6, List.of(tag(SPOT_GROUP, DeckhandTags.HOLD_SPOT, "demo-batch")));
    }

    static void group(AutoScalingClient autoscaling, String name, int desired, int min, int max, List<Tag> tags) {
        autoscaling.createAutoScalingGroup(r -> r.autoScalingGroupName(name).launchConfigurationName(LAUNCH_CONFIGURATION)
                .minSize(min).maxSize(max).desiredCapacity(desired)
                .availabilityZones(region(autoscaling) + "a", region(autoscaling) + "b").tags(tags));
    }

    private static String region(AutoScalingClient autoscaling) {
        return autoscaling.serviceClientConfiguration().region().id();
    }

    static Tag tag(String group, String key, String value) {
        return Tag.builder().resourceId(group).resourceType("auto-scaling-group").key(key).value(value).propagateAtLaunch(false).build();
    }
}
