package dev.deckhand.ticket.handler;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.deckhand.core.event.BadEventException;
import dev.deckhand.core.event.EventParser;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The detail of {@code aws.autoscaling} / {@code EC2 Instance Launch Unsuccessful} and
 * {@code EC2 Instance Launch Successful} (EC2 Auto Scaling User Guide, "Amazon EC2 Auto Scaling event
 * reference", https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-event-reference.html):
 *
 * <pre>{@code
 * "detail": {"StatusCode": "Failed", "AutoScalingGroupName": "my-auto-scaling-group",
 *   "ActivityId": "87654321-4321-4321-4321-210987654321",
 *   "Details": {"Availability Zone": "us-west-2b", "Subnet ID": "subnet-12345678"},
 *   "RequestId": "12345678-1234-1234-1234-123456789012", "StatusMessage": "message-text",
 *   "EndTime": "...", "EC2InstanceId": "i-1234567890abcdef0", "StartTime": "...", "Cause": "description-text"}
 * }</pre>
 */
record LaunchActivity(@JsonProperty("AutoScalingGroupName") String group, @JsonProperty("StatusCode") String statusCode,
                      @JsonProperty("StatusMessage") String statusMessage, @JsonProperty("EC2InstanceId") String instanceId,
                      @JsonProperty("Details") Map<String, String> details) {

    /** CreateAutoScalingGroup's name: 1-255 characters, no colon (Auto Scaling API Reference). */
    private static final Pattern GROUP = Pattern.compile("[\\u0020-\\uD7FF\\uE000-\\uFFFD&&[^:<>\"'`\\\\]]{1,255}");
    private static final Pattern INSTANCE = Pattern.compile("i-[0-9a-f]{8,17}");

    LaunchActivity {
        EventFieldChecks.require("detail.AutoScalingGroupName", group);
        if (!GROUP.matcher(group).matches()) {
            throw new BadEventException("event field `detail.AutoScalingGroupName` is not an Auto Scaling group name: "
                    + EventParser.abbreviate(group));
        }
        EventFieldChecks.text("detail.StatusMessage", statusMessage, 4096);
        if (instanceId != null && !instanceId.isEmpty() && !INSTANCE.matcher(instanceId).matches()) {
            throw new BadEventException("event field `detail.EC2InstanceId` is not an instance id: " + EventParser.abbreviate(instanceId));
        }
        details = details == null ? Map.of() : details;
    }

    String availabilityZone() {
        return EventFieldChecks.text("detail.Details.Availability Zone", details.get("Availability Zone"), 64);
    }
}
