package dev.deckhand.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.EventCode;
import software.amazon.awssdk.services.ec2.model.InstanceStatusEvent;

/**
 * Pins emulator/python/deckhand_emulator/ec2_scheduled_events.py to the Amazon EC2 API Reference,
 * DescribeInstanceStatus (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstanceStatus.html:
 * "Scheduled events - Amazon EC2 can schedule events (such as reboot, stop, or terminate) for your
 * instances") and InstanceStatusEvent
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_InstanceStatusEvent.html): "After a
 * scheduled event is completed, it can still be described for up to a week. If the event has been
 * completed, this description starts with the following text: [Completed]." And to the EC2 User
 * Guide, "Reschedule a scheduled event for an EC2 instance"
 * (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/reschedule-event.html): only an event with a
 * deadline, up to it, to at least 60 minutes from now.
 */
@Tag("emulator")
class Ec2ScheduledEventFidelityTest extends EmptyAccountTest {

    private Ec2Client ec2;
    private String instanceId;

    @BeforeEach
    void oneRunningInstance() {
        ec2 = aws.client(Ec2Client.builder(), REGION);
        instanceId = seed.launch("a", false, null).instanceId();
    }

    private List<InstanceStatusEvent> events() {
        return ec2.describeInstanceStatus(r -> r.instanceIds(instanceId).includeAllInstances(true))
                .instanceStatuses().get(0).events();
    }

    private void advance(Duration time) {
        aws.control("clock/advance", Map.of("seconds", time.toSeconds()));
    }

    @Test
    void aScheduledReboot_isDescribedWithItsWindow_thenCompleted_thenGoneAfterAWeek() {
        assertEquals(List.of(), events());
        aws.control("ec2/scheduled-event", Map.of("region", REGION, "instanceId", instanceId, "code", "system-reboot",
                "startsInSeconds", 3600, "lastsSeconds", 7200));

        InstanceStatusEvent upcoming = events().get(0);
        assertEquals(EventCode.SYSTEM_REBOOT, upcoming.code());
        assertTrue(upcoming.instanceEventId().startsWith("instance-event-"), upcoming.instanceEventId());
        assertEquals(Duration.ofHours(2), Duration.between(upcoming.notBefore(), upcoming.notAfter()));
        assertTrue(!upcoming.description().startsWith("[Completed]"), upcoming.description());

        advance(Duration.ofHours(2));
        assertTrue(!events().get(0).description().startsWith("[Completed]"), "inside its window the event is not completed");

        advance(Duration.ofHours(1).plusSeconds(1));
        assertTrue(events().get(0).description().startsWith("[Completed] "), events().get(0).description());

        advance(Duration.ofDays(7));
        assertEquals(List.of(), events());
    }

    @Test
    void anEventWithADeadline_isRescheduledUpToIt_windowKept_andNotPastIt() {
        aws.control("ec2/scheduled-event", Map.of("region", REGION, "instanceId", instanceId, "code", "system-maintenance",
                "startsInSeconds", 7200, "lastsSeconds", 3600, "deadlineInSeconds", Duration.ofDays(7).toSeconds()));
        InstanceStatusEvent scheduled = events().get(0);
        Instant later = scheduled.notBefore().plus(Duration.ofDays(2));

        InstanceStatusEvent moved = ec2.modifyInstanceEventStartTime(r -> r.instanceId(instanceId)
                .instanceEventId(scheduled.instanceEventId()).notBefore(later)).event();

        assertEquals(later, moved.notBefore());
        assertEquals(Duration.ofHours(1), Duration.between(moved.notBefore(), moved.notAfter()));
        assertEquals(later, events().get(0).notBefore());
        Ec2Exception pastDeadline = assertThrows(Ec2Exception.class, () -> ec2.modifyInstanceEventStartTime(r -> r.instanceId(instanceId)
                .instanceEventId(scheduled.instanceEventId()).notBefore(scheduled.notBeforeDeadline().plusSeconds(1))));
        assertEquals("InvalidParameterValue", pastDeadline.awsErrorDetails().errorCode());
        Ec2Exception tooSoon = assertThrows(Ec2Exception.class, () -> ec2.modifyInstanceEventStartTime(r -> r.instanceId(instanceId)
                .instanceEventId(scheduled.instanceEventId()).notBefore(Instant.now().plus(Duration.ofMinutes(30)))));
        assertEquals("InvalidParameterValue", tooSoon.awsErrorDetails().errorCode());
    }
}
