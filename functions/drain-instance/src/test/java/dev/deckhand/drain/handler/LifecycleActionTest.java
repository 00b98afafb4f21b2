package dev.deckhand.drain.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deckhand.core.event.BadEventException;
import org.junit.jupiter.api.Test;

/**
 * The lifecycle action token is opaque (issue: real inputs are not over-validated). AWS's own
 * documented events carry tokens that are no UUID: "71514b9d-6a40-4b26-8523-05e7eEXAMPLE" (Amazon EC2
 * Auto Scaling User Guide, "Amazon EC2 Auto Scaling event reference", EC2 Instance-terminate Lifecycle
 * Action); the API bounds it to exactly 36 characters (API Reference, CompleteLifecycleAction).
 */
class LifecycleActionTest {

    private static LifecycleAction action(String token) {
        return new LifecycleAction(token, "my-asg", "deckhand-drain", "i-1234567890abcdef0",
                "autoscaling:EC2_INSTANCE_TERMINATING", "AutoScalingGroup", "EC2");
    }

    @Test
    void awsDocumentedExampleToken_isAccepted() {
        assertEquals("71514b9d-6a40-4b26-8523-05e7eEXAMPLE", action("71514b9d-6a40-4b26-8523-05e7eEXAMPLE").token());
    }

    @Test
    void anyThirtySixPrintableCharacters_areAccepted() {
        assertEquals(36, action("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789").token().length());
    }

    @Test
    void wrongLengthOrControlCharacters_areRefusedNamingTheField() {
        for (String token : new String[] {"$(reboot)", "71514b9d-6a40-4b26-8523-05e7eEXAMPLEX", "71514b9d 6a40-4b26-8523-05e7eEXAMPLE"}) {
            BadEventException e = assertThrows(BadEventException.class, () -> action(token));
            assertTrue(e.getMessage().contains("detail.LifecycleActionToken"), e.getMessage());
        }
    }
}
