package dev.deckhand.drain.planner;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.deckhand.core.aws.ClusterDirectory;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * A drain waiting for its time, carried from hop to hop in the recheck queue's message body (each
 * hop at most SQS's 15-minute delay), so no table and no other service is needed. Told apart from
 * a lifecycle hook's {@link HookWaitState} by its {@code drainAt} field. Times are ISO-8601 strings
 * ending in {@code At} (a replay moves them back by the time it skips).
 *
 * <pre>{@code
 * {"version":1,"eventId":"7bf73129-1428-4cd3-a780-95db273d1602","instanceId":"i-1234567890abcdef0",
 *  "eventTypeCode":"AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED","startAt":"2026-08-27T13:19:03Z",
 *  "drainAt":"2026-08-27T12:19:03Z","hops":3}
 * }</pre>
 *
 * @param eventId       the AWS Health event's EventBridge id: the drain's tags and log lines carry it
 * @param eventTypeCode the Health event type, for the log and the drain (a scheduled stop drains as a stop)
 * @param startAt       the scheduled change's start: the drain's deadline
 * @param drainAt       when to drain: the configured lead before {@code startAt}
 * @param hops          how many messages came before this one
 */
public record ScheduledDrain(int version, String eventId, String instanceId, String eventTypeCode, String startAt,
                             String drainAt, int hops) implements RecheckMessage {

    public static final int VERSION = 1;

    public ScheduledDrain {
        if (version != VERSION) {
            throw new BadRecheckMessageException("scheduled drain message field `version` must be " + VERSION + ", got " + version);
        }
        if (!ClusterDirectory.isInstanceId(instanceId)) {
            throw new BadRecheckMessageException("scheduled drain message field `instanceId` is not an EC2 instance id");
        }
        for (String[] field : new String[][] {{"eventId", eventId}, {"eventTypeCode", eventTypeCode}}) {
            if (field[1] == null || field[1].isBlank() || field[1].length() > 256) {
                throw new BadRecheckMessageException("scheduled drain message field `" + field[0] + "` is missing or too long");
            }
        }
        Instant start = instant("startAt", startAt);
        Instant drain = instant("drainAt", drainAt);
        if (drain.isAfter(start)) {
            throw new BadRecheckMessageException("scheduled drain message field `drainAt` is after `startAt`");
        }
        if (hops < 0) {
            throw new BadRecheckMessageException("scheduled drain message field `hops` must not be negative");
        }
    }

    public static ScheduledDrain of(String eventId, String instanceId, String eventTypeCode, HealthSchedule schedule) {
        return new ScheduledDrain(VERSION, eventId, instanceId, eventTypeCode, schedule.startTime().toString(),
                schedule.drainAt().toString(), 0);
    }

    private static Instant instant(String field, String value) {
        if (value == null) {
            throw new BadRecheckMessageException("scheduled drain message field `" + field + "` is missing");
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new BadRecheckMessageException("scheduled drain message field `" + field + "` is not an ISO-8601 time");
        }
    }

    /** The schedule this message carries (its lead is the one in force when the event arrived). */
    @JsonIgnore
    public HealthSchedule schedule() {
        Instant start = Instant.parse(startAt);
        return new HealthSchedule(start, Duration.between(Instant.parse(drainAt), start));
    }

    public ScheduledDrain next() {
        return new ScheduledDrain(version, eventId, instanceId, eventTypeCode, startAt, drainAt, hops + 1);
    }
}
