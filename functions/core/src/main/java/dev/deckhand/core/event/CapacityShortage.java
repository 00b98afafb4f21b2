package dev.deckhand.core.event;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The schema of {@code deckhand} / {@code Deckhand Capacity Shortage}, in this one place:
 * hold-capacity builds it with {@link #detailJson} when a cluster's lever is at its cap and the Spot
 * side is still short after the hold window (SHORT), and again when capacity is back (RESOLVED);
 * open-ticket reads it with {@link EventParser#detail} and opens, then closes, one ticket per lever.
 * Sample: events/capacity-shortage.json.
 *
 * <pre>{@code
 * "detail": {
 *   "schemaVersion": 1,
 *   "status": "SHORT",
 *   "cluster": "demo-batch",
 *   "leverKind": "ON_DEMAND_GROUP",
 *   "lever": "demo-batch-ondemand",
 *   "setting": "DesiredCapacity",
 *   "leverValue": 3,
 *   "held": 2,
 *   "cap": 2,
 *   "spotDesired": 6,
 *   "spotInService": 2,
 *   "raisedAt": "2026-11-22T09:40:00Z",
 *   "requestedBy": "hold-capacity"
 * }
 * }</pre>
 *
 * @param status        SHORT (the lever is capped and Spot plus what it holds is still below the Spot side's desired
 *                      capacity after the hold window) or RESOLVED (Spot in service plus what is held covers it again)
 * @param cluster       the ECS cluster whose capacity is held
 * @param leverKind     ON_DEMAND_GROUP, MIXED_GROUP, EC2_FLEET or SPOT_FLEET
 * @param lever         the Auto Scaling group's name or the fleet's id: one ticket per lever
 * @param setting       the setting hold-capacity raises (DesiredCapacity, OnDemandBaseCapacity, OnDemandTargetCapacity)
 * @param leverValue    that setting now
 * @param held          what hold-capacity bought: the On-Demand capacity it added and holds
 * @param cap           the most it may add there ({@code deckhand:hold-max}, else HoldCapacityMax)
 * @param spotDesired   the Spot capacity the cluster asks for
 * @param spotInService the Spot capacity in service
 * @param raisedAt      hold-capacity's last raise (ISO-8601), when known
 * @param requestedBy   the Deckhand function that publishes it
 */
public record CapacityShortage(int schemaVersion, String status, String cluster, String leverKind, String lever, String setting,
                               int leverValue, int held, int cap, int spotDesired, int spotInService, String raisedAt,
                               String requestedBy) implements DeckhandDetail {

    public static final String SOURCE = EventTypes.SOURCE_DECKHAND;
    public static final String DETAIL_TYPE = "Deckhand Capacity Shortage";

    @Override
    public String detailType() {
        return DETAIL_TYPE;
    }
    public static final int SCHEMA_VERSION = 1;
    public static final String SHORT = "SHORT";
    public static final String RESOLVED = "RESOLVED";
    private static final Set<String> KINDS = Set.of("ON_DEMAND_GROUP", "MIXED_GROUP", "EC2_FLEET", "SPOT_FLEET");
    /** An Auto Scaling group name (1-255 characters, no control characters), or a fleet id. */
    private static final Pattern GROUP = Pattern.compile("[^\\p{Cntrl}]{1,255}");
    private static final Pattern FLEET = Pattern.compile("(fleet|sfr)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern CLUSTER = Pattern.compile("[A-Za-z0-9_-]{1,255}");
    private static final Pattern SETTING = Pattern.compile("[A-Za-z]{1,64}");

    public CapacityShortage {
        if (schemaVersion != SCHEMA_VERSION) {
            throw new BadEventException("event field `detail.schemaVersion` must be " + SCHEMA_VERSION + ", got " + schemaVersion);
        }
        if (!SHORT.equals(status) && !RESOLVED.equals(status)) {
            throw new BadEventException("event field `detail.status` must be SHORT or RESOLVED, got "
                    + (status == null ? "nothing" : EventParser.abbreviate(status)));
        }
        if (cluster == null || !CLUSTER.matcher(cluster).matches()) {
            throw new BadEventException("event field `detail.cluster` must be an ECS cluster name");
        }
        if (leverKind == null || !KINDS.contains(leverKind)) {
            throw new BadEventException("event field `detail.leverKind` must be one of ON_DEMAND_GROUP, MIXED_GROUP, EC2_FLEET, SPOT_FLEET");
        }
        boolean fleet = leverKind.endsWith("FLEET");
        if (lever == null || !(fleet ? FLEET : GROUP).matcher(lever).matches()
                || fleet && lever.startsWith("sfr-") != leverKind.equals("SPOT_FLEET")) {
            throw new BadEventException("event field `detail.lever` must be " + (fleet ? "the fleet's id" : "an Auto Scaling group name")
                    + " for leverKind " + leverKind);
        }
        if (setting != null && !SETTING.matcher(setting).matches()) {
            throw new BadEventException("event field `detail.setting` is not a setting name");
        }
        if (leverValue < 0 || held < 0 || cap < 0 || spotDesired < 0 || spotInService < 0) {
            throw new BadEventException("event fields `detail.leverValue`, `held`, `cap`, `spotDesired`, `spotInService` must not be negative");
        }
        if (raisedAt != null) {
            try {
                IsoInstant.parse(raisedAt);
            } catch (DateTimeParseException e) {
                throw new BadEventException("event field `detail.raisedAt` is not an ISO-8601 time");
            }
        }
        if (requestedBy != null && requestedBy.length() > 64) {
            throw new BadEventException("event field `detail.requestedBy` is longer than 64 characters");
        }
    }

    /** True for SHORT: a ticket opens; RESOLVED closes it. */
    @JsonIgnore
    public boolean isShort() {
        return SHORT.equals(status);
    }

    /** What is still missing: the Spot side's desired capacity less Spot in service and what is held. */
    @JsonIgnore
    public int uncovered() {
        return Math.max(0, spotDesired - spotInService - held);
    }
}
