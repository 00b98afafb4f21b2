package dev.deckhand.drain.planner;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.deckhand.core.aws.ClusterDirectory;
import java.time.Duration;

/**
 * A retirement request waiting for the cluster's disruption budget: the recheck queue's message
 * that brings it back ({@link #DEFER_FOR} later, at most {@link #MAX_DEFERRALS} times). Its key {@code retireInstanceId}
 * tells it from a lifecycle hook check and a scheduled drain.
 *
 * <pre>{@code
 * {"eventId":"6a7e8feb-b491-4cf7-a9f1-bf3703467718","retireInstanceId":"i-1234567890abcdef0",
 *  "reason":"AMI ami-0abc is not the template's","requestedBy":"rotate-ami","deferrals":1}
 * }</pre>
 *
 * @param deferrals how many times it has been deferred, this one included (1 to {@link #MAX_DEFERRALS})
 */
public record RetirementDeferral(String eventId, @JsonProperty("retireInstanceId") String instanceId, String reason,
                                 String requestedBy, int deferrals) implements RecheckMessage {

    public static final String KEY = "retireInstanceId";
    /** The wait between two looks at a full budget: a drain takes minutes (tasks stop, targets deregister). */
    public static final Duration DEFER_FOR = Duration.ofMinutes(5);
    /**
     * Looks before a request is given up (an hour): its requester asks again (rotate-ami on its next run
     * for an instance marked retiring and still ACTIVE; hold-capacity retires after its drain wait).
     */
    public static final int MAX_DEFERRALS = 12;

    public RetirementDeferral {
        if (eventId == null || eventId.isBlank() || eventId.length() > 128) {
            throw new BadRecheckMessageException("retirement deferral field `eventId` is missing or longer than 128");
        }
        if (!ClusterDirectory.isInstanceId(instanceId)) {
            throw new BadRecheckMessageException("retirement deferral field `" + KEY + "` is missing or not an EC2 instance id");
        }
        if (deferrals < 1 || deferrals > MAX_DEFERRALS) {
            throw new BadRecheckMessageException("retirement deferral field `deferrals` must be 1 to " + MAX_DEFERRALS + ", got " + deferrals);
        }
        if ((reason != null && reason.length() > 512) || (requestedBy != null && requestedBy.length() > 64)) {
            throw new BadRecheckMessageException("retirement deferral has a field longer than its limit (reason 512, requestedBy 64)");
        }
    }
}
