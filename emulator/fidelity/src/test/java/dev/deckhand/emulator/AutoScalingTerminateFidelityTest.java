package dev.deckhand.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingException;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * Pins emulator/python/deckhand_emulator/autoscaling_terminate.py to what EC2 Auto Scaling answers
 * TerminateInstanceInAutoScalingGroup for an instance that has already left its group:
 * ValidationError "Instance Id not found - No managed instance found for instance ID i-..."
 * (AWS's answer as reported in keikoproj/upgrade-manager#25,
 * https://github.com/keikoproj/upgrade-manager/issues/25, and yaybu/touchdown#51,
 * https://github.com/yaybu/touchdown/issues/51; the API Reference,
 * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_TerminateInstanceInAutoScalingGroup.html,
 * names only its service errors, ValidationError being the common 400 error).
 */
@Tag("emulator")
class AutoScalingTerminateFidelityTest extends EmptyAccountTest {


    private AutoScalingClient autoscaling;
    private GroupSeeder groups;

    @BeforeEach
    void oneGroup() {
        autoscaling = aws.client(AutoScalingClient.builder(), REGION);
        groups = new GroupSeeder(autoscaling, aws.client(Ec2Client.builder(), REGION), REGION);
        groups.onDemand("web", 2, 4, Map.of());
    }

    @Test
    void terminatingAnInstanceTheGroupAlreadyTerminated_isAValidationError_instanceIdNotFound() {
        String instance = groups.describe("web").instances().get(0).instanceId();
        autoscaling.terminateInstanceInAutoScalingGroup(r -> r.instanceId(instance).shouldDecrementDesiredCapacity(false));

        AutoScalingException again = assertThrows(AutoScalingException.class,
                () -> autoscaling.terminateInstanceInAutoScalingGroup(r -> r.instanceId(instance).shouldDecrementDesiredCapacity(false)));

        assertEquals(400, again.statusCode());
        assertEquals("ValidationError", again.awsErrorDetails().errorCode());
        assertEquals("Instance Id not found - No managed instance found for instance ID " + instance, again.awsErrorDetails().errorMessage());
        assertEquals(2, groups.describe("web").desiredCapacity(), "the refused call changed nothing");
    }

    @Test
    void terminatingAnInstanceOfNoGroup_isTheSameValidationError() {
        AutoScalingException error = assertThrows(AutoScalingException.class,
                () -> autoscaling.terminateInstanceInAutoScalingGroup(r -> r.instanceId("i-0123456789abcdef0").shouldDecrementDesiredCapacity(false)));

        assertEquals("ValidationError", error.awsErrorDetails().errorCode());
        assertEquals("Instance Id not found - No managed instance found for instance ID i-0123456789abcdef0",
                error.awsErrorDetails().errorMessage());
    }
}
