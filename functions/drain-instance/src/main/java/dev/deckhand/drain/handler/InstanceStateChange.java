package dev.deckhand.drain.handler;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.deckhand.core.event.BadEventException;
import dev.deckhand.core.event.EventParser;
import java.util.Set;

/**
 * The detail of {@code aws.ec2} / {@code EC2 Instance State-change Notification}. Examples (EC2 User
 * Guide, "Instance state-change events"):
 *
 * <pre>{@code
 * "detail": {"instance-id": "i-1234567890abcdef0", "state": "stopping"}
 * "detail": {"instance-id": "i-1234567890abcdef0", "state": "running"}
 * }</pre>
 * {@code running} is not a drain: a stopped instance is back, and what Deckhand drained for its stop
 * is re-activated. Its own record rather than core's {@code SpotInstanceNotice}: it carries a state,
 * which is required, where a Spot notice carries an action.
 */
record InstanceStateChange(@JsonProperty("instance-id") String instanceId, String state) {

    /** The states whose notification means the instance is going away; template.yaml's rule matches only these. */
    static final Set<String> LEAVING = Set.of("stopping", "shutting-down");

    InstanceStateChange {
        EventParser.requireInstanceId("detail.instance-id", instanceId);
    }

    /** The instance runs again (or for the first time). */
    boolean running() {
        return "running".equals(state);
    }

    /** The instance stops (it comes back), rather than shutting down for termination. */
    boolean stopping() {
        return "stopping".equals(state);
    }

    void requireLeaving() {
        if (state == null) {
            throw new BadEventException("event field `detail.state` is missing");
        }
        if (!LEAVING.contains(state)) {
            throw new BadEventException("event field `detail.state` is " + EventParser.abbreviate(state)
                    + "; drain-instance acts only on stopping, shutting-down and running");
        }
    }
}
