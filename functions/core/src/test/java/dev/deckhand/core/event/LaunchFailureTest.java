package dev.deckhand.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deckhand.core.event.LaunchFailure.Cause;
import org.junit.jupiter.api.Test;

/**
 * The messages are AWS's own, from the EC2 Auto Scaling User Guide's troubleshooting pages:
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/ts-as-capacity.html,
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/ts-as-ami.html,
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/ts-as-instancelaunchfailure.html;
 * the fleet sub-types from https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_EventInformation.html.
 */
class LaunchFailureTest {

    @Test
    void capacityMessages_areHeldAndNotTicketed() {
        for (String message : new String[] {
                "We currently do not have sufficient m5.large capacity in the Availability Zone you requested (us-east-2a)."
                        + " Our system will be working on provisioning additional capacity. Launching EC2 instance failed.",
                "There is no Spot capacity available that matches your request. Launching EC2 instance failed.",
                "InsufficientInstanceCapacity"}) {
            Cause cause = LaunchFailure.ofStatusMessage(message);
            assertEquals(Cause.CAPACITY, cause, message);
            assertTrue(cause.holdable());
            assertFalse(cause.needsPerson());
        }
    }

    @Test
    void aSpotCountLimit_isHeldAndTicketed() {
        Cause cause = LaunchFailure.ofStatusMessage("Max spot instance count exceeded. Launching EC2 instance failed.");
        assertEquals(Cause.SPOT_QUOTA, cause);
        assertTrue(cause.holdable());
        assertTrue(cause.needsPerson());
        assertEquals(Cause.SPOT_QUOTA, LaunchFailure.ofFleetSubType("spotInstanceCountLimitExceeded"));
    }

    @Test
    void aVcpuLimit_mentionsCapacity_butIsAQuota() {
        Cause cause = LaunchFailure.ofStatusMessage("You have requested more vCPU capacity than your current vCPU limit of 32 allows"
                + " for the instance bucket that the specified instance type belongs to. Launching EC2 instance failed.");
        assertEquals(Cause.QUOTA, cause);
        assertFalse(cause.holdable());
        assertTrue(cause.needsPerson());
    }

    @Test
    void configurationMessages_areTicketedByCause_andNotHeld() {
        assertEquals(Cause.IMAGE, LaunchFailure.ofStatusMessage("The AMI ID ami-0123456789abcdef0 does not exist. Launching EC2 instance failed."));
        assertEquals(Cause.IMAGE, LaunchFailure.ofStatusMessage("AMI ami-0123456789abcdef0 is pending, and cannot be run. Launching EC2 instance failed."));
        assertEquals(Cause.SECURITY_GROUP, LaunchFailure.ofStatusMessage("The security group 'sg-12345678' does not exist. Launching EC2 instance failed."));
        assertEquals(Cause.INSTANCE_PROFILE, LaunchFailure.ofStatusMessage(
                "Value (ecsInstanceRole) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name. Launching EC2 instance failed."));
        assertEquals(Cause.KMS_KEY, LaunchFailure.ofStatusMessage("Client.InternalError: Client error on launch. Launching EC2 instance failed."));
        assertEquals(Cause.UNRECOGNIZED, LaunchFailure.ofStatusMessage(null));
        for (Cause cause : new Cause[] {Cause.IMAGE, Cause.SECURITY_GROUP, Cause.INSTANCE_PROFILE, Cause.KMS_KEY, Cause.UNRECOGNIZED}) {
            assertFalse(cause.holdable(), cause.name());
            assertTrue(cause.needsPerson(), cause.name());
        }
    }

    @Test
    void fleetSubTypes() {
        assertEquals(Cause.CONFIGURATION, LaunchFailure.ofFleetSubType("spotFleetRequestConfigurationInvalid"));
        assertEquals(Cause.CONFIGURATION, LaunchFailure.ofFleetSubType("iamFleetRoleInvalid"));
        Cause blocked = LaunchFailure.ofFleetSubType("allLaunchSpecsTemporarilyBlacklisted");
        assertTrue(blocked.holdable());
        assertTrue(blocked.needsPerson());
        assertEquals(Cause.UNRECOGNIZED, LaunchFailure.ofFleetSubType("somethingNew"));
    }
}
