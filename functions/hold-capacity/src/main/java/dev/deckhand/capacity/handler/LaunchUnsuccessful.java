package dev.deckhand.capacity.handler;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.deckhand.core.event.BadEventException;
import dev.deckhand.core.event.EventParser;
import dev.deckhand.core.event.LaunchFailure;
import java.util.regex.Pattern;

/**
 * The detail of {@code aws.autoscaling} / {@code EC2 Instance Launch Unsuccessful} (EC2 Auto Scaling
 * User Guide, "Amazon EC2 Auto Scaling event reference"):
 *
 * <pre>{@code
 * "detail": {
 *   "StatusCode": "Failed",
 *   "AutoScalingGroupName": "my-auto-scaling-group",
 *   "ActivityId": "87654321-4321-4321-4321-210987654321",
 *   "Details": {"Availability Zone": "us-west-2b", "Subnet ID": "subnet-12345678"},
 *   "RequestId": "12345678-1234-1234-1234-123456789012",
 *   "StatusMessage": "message-text",
 *   "EndTime": "...", "EC2InstanceId": "i-1234567890abcdef0", "StartTime": "...",
 *   "Cause": "description-text"
 * }
 * }</pre>
 */
record LaunchUnsuccessful(@JsonProperty("AutoScalingGroupName") String group, @JsonProperty("ActivityId") String activityId,
                          @JsonProperty("StatusCode") String statusCode, @JsonProperty("StatusMessage") String statusMessage,
                          @JsonProperty("Cause") String cause) {

    private static final Pattern GROUP = Pattern.compile("[\\u0020-\\uD7FF\\uE000-\\uFFFD&&[^:<>\"'`\\\\]]{1,255}");

    LaunchUnsuccessful {
        if (group == null) {
            throw new BadEventException("event field `detail.AutoScalingGroupName` is missing");
        }
        if (!GROUP.matcher(group).matches()) {
            throw new BadEventException("event field `detail.AutoScalingGroupName` is not an Auto Scaling group name: "
                    + EventParser.abbreviate(group));
        }
        if (statusMessage != null && statusMessage.length() > 4096 || cause != null && cause.length() > 4096) {
            throw new BadEventException("event field `detail.StatusMessage` or `detail.Cause` is longer than 4096 characters");
        }
    }

    /**
     * True when On-Demand would launch where this failed (capacity, a Spot count limit): the shared
     * classifier {@link LaunchFailure}, which open-ticket uses too, says so from the StatusMessage
     * (the Cause always speaks of "desired and actual capacity").
     */
    boolean holdable() {
        return LaunchFailure.ofStatusMessage(statusMessage).holdable();
    }
}
