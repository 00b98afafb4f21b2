package dev.deckhand.core.event;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.regex.Pattern;

/**
 * The detail of an {@code EC2 Spot Instance Interruption Warning} or an {@code EC2 Instance Rebalance
 * Recommendation} (EC2 User Guide, "Spot Instance interruption notices", "EC2 instance rebalance
 * recommendations"): both name the Spot instance; the warning adds its action.
 *
 * <pre>{@code
 * "detail": {"instance-id": "i-1234567890abcdef0", "instance-action": "terminate"}
 * }</pre>
 */
public record SpotInstanceNotice(@JsonProperty("instance-id") String instanceId, @JsonProperty("instance-action") String action) {

    private static final Pattern INSTANCE_ACTION = Pattern.compile("[a-z-]{1,32}");

    public SpotInstanceNotice {
        EventParser.requireInstanceId("detail.instance-id", instanceId);
        if (action != null && !INSTANCE_ACTION.matcher(action).matches()) {
            throw new BadEventException("event field `detail.instance-action` is not an instance action: " + EventParser.abbreviate(action));
        }
    }
}
