package dev.deckhand.core.event;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The detail of {@code aws.autoscaling} / {@code EC2 Instance Launch Unsuccessful} and {@code EC2 Instance
 * Launch Successful} (EC2 Auto Scaling User Guide, "Amazon EC2 Auto Scaling event reference",
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-event-reference.html), one
 * strictness for every function that takes it (hold-capacity, rotate-ami, open-ticket):
 *
 * <pre>{@code
 * "detail": {"StatusCode": "Failed", "AutoScalingGroupName": "my-auto-scaling-group",
 *   "ActivityId": "87654321-4321-4321-4321-210987654321",
 *   "Details": {"Availability Zone": "us-west-2b", "Subnet ID": "subnet-12345678"},
 *   "RequestId": "12345678-1234-1234-1234-123456789012", "StatusMessage": "message-text",
 *   "EndTime": "...", "EC2InstanceId": "i-1234567890abcdef0", "StartTime": "...", "Cause": "description-text"}
 * }</pre>
 */
public record AutoScalingLaunch(@JsonProperty("AutoScalingGroupName") String group, @JsonProperty("ActivityId") String activityId,
                                @JsonProperty("StatusCode") String statusCode, @JsonProperty("StatusMessage") String statusMessage,
                                @JsonProperty("Cause") String cause, @JsonProperty("EC2InstanceId") String instanceId,
                                @JsonProperty("Details") Map<String, String> details) {

    /** CreateAutoScalingGroup's name: 1-255 characters, no colon (Auto Scaling API Reference); no markup either. */
    private static final Pattern GROUP = Pattern.compile("[\\u0020-\\uD7FF\\uE000-\\uFFFD&&[^:<>\"'`\\\\]]{1,255}");
    private static final Pattern INSTANCE = Pattern.compile("i-[0-9a-f]{8,17}");
    static final int TEXT_MAX = 4096;

    public AutoScalingLaunch {
        if (group == null || group.isBlank()) {
            throw new BadEventException("event field `detail.AutoScalingGroupName` is missing");
        }
        if (!GROUP.matcher(group).matches()) {
            throw new BadEventException("event field `detail.AutoScalingGroupName` is not an Auto Scaling group name: "
                    + EventParser.abbreviate(group));
        }
        text("detail.StatusMessage", statusMessage);
        text("detail.Cause", cause);
        if (instanceId != null && !instanceId.isEmpty() && !INSTANCE.matcher(instanceId).matches()) {
            throw new BadEventException("event field `detail.EC2InstanceId` is not an instance id: " + EventParser.abbreviate(instanceId));
        }
        details = details == null ? Map.of() : Map.copyOf(details);
    }

    /** What AWS's StatusMessage says of the failure (the Cause always speaks of "desired and actual capacity"). */
    public LaunchFailure.Cause failure() {
        return LaunchFailure.ofStatusMessage(statusMessage);
    }

    /** The launch's Availability Zone, or null. */
    public String availabilityZone() {
        String zone = details.get("Availability Zone");
        if (zone != null && zone.length() > 64) {
            throw new BadEventException("event field `detail.Details.Availability Zone` is longer than 64 characters");
        }
        return zone;
    }

    static void text(String field, String value) {
        if (value != null && value.length() > TEXT_MAX) {
            throw new BadEventException("event field `" + field + "` is longer than " + TEXT_MAX + " characters");
        }
    }
}
