package dev.deckhand.drain.planner;

import java.time.Instant;
import java.util.List;

/**
 * The one internal event an AWS Health scheduled change for EC2 becomes.
 *
 * @param eventId       the EventBridge event id
 * @param eventTypeCode the Health event type, such as {@code AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED}
 * @param statusCode    {@code upcoming}, {@code open} or {@code closed}; null when absent
 * @param eventRegion   the region the change happens in; null when absent
 * @param startTime     when the change starts; null when the event type is not one Deckhand drains for
 *                      (then it is not read at all)
 * @param instanceIds   the EC2 instances the event names, in {@code detail.affectedEntities} and
 *                      {@code resources}, each once
 */
public record ScheduledChange(String eventId, String eventTypeCode, String statusCode, String eventRegion, Instant startTime,
                              List<String> instanceIds) implements DrainInstanceRequest {

    public ScheduledChange {
        instanceIds = List.copyOf(instanceIds);
    }

    /** Why this change drains nothing, in words for the log; null when it drains its instances. */
    public String whyIgnored(String region) {
        if (!HealthSchedule.drains(eventTypeCode)) {
            return "AWS Health event type " + eventTypeCode + " is not one drain-instance drains for (it drains for "
                    + HealthSchedule.DRAINING_CODES.stream().sorted().toList() + "); left alone";
        }
        if ("closed".equals(statusCode)) {
            return "the scheduled change is closed (done or cancelled); nothing to drain for";
        }
        if (eventRegion != null && !eventRegion.equals(region)) {
            return "the scheduled change is in region " + eventRegion + " (a backup delivery); this function acts in " + region;
        }
        if (instanceIds.isEmpty()) {
            return "the scheduled change names no EC2 instance";
        }
        return null;
    }
}
