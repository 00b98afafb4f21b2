package dev.deckhand.core.event;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The schema of {@code deckhand} / {@code Deckhand Instance Retirement Requested}, in this one
 * place: the function that retires an instance (rotate-ami) builds it with {@link #detailJson},
 * drain-instance reads it with {@link EventParser#detail}. Sample: events/instance-retirement-requested.json.
 *
 * <pre>{@code
 * "detail": {
 *   "schemaVersion": 1,
 *   "instance-id": "i-1234567890abcdef0",
 *   "cluster": "demo-batch",
 *   "reason": "AMI ami-0abcdef1234567890 is older than the cluster's recommended ECS-optimized AMI",
 *   "requestedBy": "rotate-ami"
 * }
 * }</pre>
 *
 * @param schemaVersion 1; a reader refuses versions it does not know rather than guess
 * @param instanceId    the EC2 instance to drain (same field name as EC2's own events)
 * @param cluster       the cluster the requester saw it in; drain-instance still looks it up
 * @param reason        shown in drain-instance's log line
 * @param requestedBy   the Deckhand function that asks
 */
public record InstanceRetirementRequested(
        int schemaVersion,
        @JsonProperty("instance-id") String instanceId,
        String cluster,
        String reason,
        String requestedBy) implements DeckhandDetail {

    public static final String SOURCE = EventTypes.SOURCE_DECKHAND;
    public static final String DETAIL_TYPE = "Deckhand Instance Retirement Requested";

    @Override
    public String detailType() {
        return DETAIL_TYPE;
    }
    public static final int SCHEMA_VERSION = 1;
    private static final int MAX_TEXT = 512;

    public InstanceRetirementRequested {
        if (schemaVersion != SCHEMA_VERSION) {
            throw new BadEventException("event field `detail.schemaVersion` must be " + SCHEMA_VERSION
                    + ", got " + schemaVersion);
        }
        EventParser.requireInstanceId("detail.instance-id", instanceId);
        if (reason == null || reason.isBlank()) {
            throw new BadEventException("event field `detail.reason` is missing");
        }
        if (reason.length() > MAX_TEXT || (cluster != null && cluster.length() > 255)
                || (requestedBy != null && requestedBy.length() > 64)) {
            throw new BadEventException("event `detail` has a field longer than its limit (reason 512, cluster 255, requestedBy 64)");
        }
    }

    public static InstanceRetirementRequested of(String instanceId, String cluster, String reason, String requestedBy) {
        return new InstanceRetirementRequested(SCHEMA_VERSION, instanceId, cluster, reason, requestedBy);
    }
}
