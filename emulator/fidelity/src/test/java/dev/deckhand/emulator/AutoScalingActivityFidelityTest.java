package dev.deckhand.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.Activity;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.DescribeScalingActivitiesResponse;
import software.amazon.awssdk.services.autoscaling.model.ScalingActivityStatusCode;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * Pins emulator/python/deckhand_emulator/autoscaling_activities.py:
 * <ul>
 * <li>EC2 Auto Scaling API Reference, DescribeScalingActivities
 * (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeScalingActivities.html): the group's
 * activities, newest first, MaxRecords at a time with a NextToken;</li>
 * <li>"Troubleshoot Amazon EC2 Auto Scaling: AMI issues" (https://docs.aws.amazon.com/autoscaling/ec2/userguide/ts-as-ami.html):
 * a launch from an AMI that does not exist (deregistered) fails with the status message
 * "The AMI ID ami-xxxxxxxx does not exist. Launching EC2 instance failed." and launches nothing.</li>
 * </ul>
 */
@Tag("emulator")
class AutoScalingActivityFidelityTest extends EmptyAccountTest {

    private AutoScalingClient autoscaling;
    private Ec2Client ec2;
    private FleetSeeder fleets;

    @BeforeEach
    void clusterWeb() {
        autoscaling = aws.client(AutoScalingClient.builder(), REGION);
        ec2 = aws.client(Ec2Client.builder(), REGION);
        seed.cluster("web");
        fleets = fleets();
    }

    private AutoScalingGroup group(String name) {
        return autoscaling.describeAutoScalingGroups(r -> r.autoScalingGroupNames(name)).autoScalingGroups().get(0);
    }

    @Test
    void launches_areSuccessfulActivities_newestFirst_pagedByMaxRecords() {
        String template = fleets.template("web", fleets.image("ecs-2026.11"), "web", null);
        fleets.autoScalingGroup("web-asg", template, "1", "web", 3);

        DescribeScalingActivitiesResponse first = autoscaling.describeScalingActivities(r -> r.autoScalingGroupName("web-asg").maxRecords(2));
        DescribeScalingActivitiesResponse rest = autoscaling.describeScalingActivities(r -> r.autoScalingGroupName("web-asg")
                .maxRecords(2).nextToken(first.nextToken()));

        assertEquals(2, first.activities().size());
        assertEquals(1, rest.activities().size());
        assertEquals(null, rest.nextToken());
        for (Activity a : List.of(first.activities().get(0), first.activities().get(1), rest.activities().get(0))) {
            assertEquals(ScalingActivityStatusCode.SUCCESSFUL, a.statusCode());
            assertTrue(a.description().startsWith("Launching a new EC2 instance: i-"), a.description());
            assertEquals("web-asg", a.autoScalingGroupName());
        }
        assertTrue(!first.activities().get(0).startTime().isBefore(rest.activities().get(0).startTime()));
    }

    @Test
    void aLaunchFromADeregisteredImage_fails_withAwssStatusMessage_andLaunchesNothing() {
        String image = fleets.image("ecs-2026.12-broken");
        String template = fleets.template("web", image, "web", null);
        fleets.autoScalingGroup("web-asg", template, "1", "web", 1);
        ec2.deregisterImage(r -> r.imageId(image));

        autoscaling.setDesiredCapacity(r -> r.autoScalingGroupName("web-asg").desiredCapacity(2));

        AutoScalingGroup group = group("web-asg");
        assertEquals(2, group.desiredCapacity());
        assertEquals(1, group.instances().size(), "no instance from the deregistered image");
        Activity failed = autoscaling.describeScalingActivities(r -> r.autoScalingGroupName("web-asg").maxRecords(1)).activities().get(0);
        assertEquals(ScalingActivityStatusCode.FAILED, failed.statusCode());
        assertEquals("The AMI ID " + image + " does not exist. Launching EC2 instance failed.", failed.statusMessage());
    }
}
