package dev.deckhand.drain.planner;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.deckhand.core.aws.ClusterDirectory;
import dev.deckhand.core.event.IsoInstant;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * A drain waiting for its time, carried from hop to hop in the recheck queue's message body (each
 * hop at most SQS's 15-minute delay), so no table and no other service is needed. Once an instance
 * is drained for reboot or network maintenance, the same message watches the maintenance
 * ({@code giveUpAt} set): each hop from the change's start reads the instance's scheduled events,
 * until EC2 completes the maintenance and the instance is re-activated. Told apart from a lifecycle
 * hook's {@link HookWaitState} by its {@code drainAt} field. Times are ISO-8601 strings ending in
 * {@code At} (a replay moves them back by the time it skips).
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
 * @param giveUpAt    null while the drain waits; once drained for maintenance, when the watch gives up
 *                      (the maintenance still pending, the instance left DRAINING and a warning logged)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScheduledDrain(int version, String eventId, String instanceId, String eventTypeCode, String startAt,
                             String drainAt, int hops, String giveUpAt) implements RecheckMessage {

    public static final int VERSION = 1;
    /** The field that tells this message apart. */
    public static final String KEY = "drainAt";
    /** How long after the change's start a maintenance is watched: EC2 lets a maintenance be rescheduled within its deadline. */
    public static final Duration WATCH_FOR = Duration.ofDays(14);

    /** What a hop of the maintenance watch does. */
    public enum WatchStep {
        /** The change's start is ahead, or the maintenance still pending: the next hop. */
        WAIT,
        /** EC2 completed the maintenance and the instance runs: re-activate it. */
        OVER,
        /**
         * The customer moved the maintenance later, its new drain time over a hop away: re-activate the
         * instance and schedule a drain before the new start ({@link #rescheduled}).
         */
        MOVED,
        /** The instance is stopped or gone: the watch ends (a stopped instance is re-activated when it runs again). */
        NOT_RUNNING,
        /** The maintenance is still pending at {@code giveUpAt}: the watch ends, the instance stays DRAINING. */
        GIVE_UP
    }

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
        if (giveUpAt != null) {
            instant("giveUpAt", giveUpAt);
        }
    }

    public static ScheduledDrain of(String eventId, String instanceId, String eventTypeCode, HealthSchedule schedule) {
        return new ScheduledDrain(VERSION, eventId, instanceId, eventTypeCode, schedule.startTime().toString(),
                schedule.drainAt().toString(), 0, null);
    }

    private static Instant instant(String field, String value) {
        if (value == null) {
            throw new BadRecheckMessageException("scheduled drain message field `" + field + "` is missing");
        }
        try {
            return IsoInstant.parse(value);
        } catch (DateTimeParseException e) {
            throw new BadRecheckMessageException("scheduled drain message field `" + field + "` is not an ISO-8601 time");
        }
    }

    /** The schedule this message carries (its lead is the one in force when the event arrived). */
    @JsonIgnore
    public HealthSchedule schedule() {
        Instant start = IsoInstant.parse(startAt);
        return new HealthSchedule(start, Duration.between(IsoInstant.parse(drainAt), start));
    }

    public ScheduledDrain next() {
        return new ScheduledDrain(version, eventId, instanceId, eventTypeCode, startAt, drainAt, hops + 1, giveUpAt);
    }

    /** The first hop of the maintenance watch, once the instance is drained for this change. */
    public static ScheduledDrain watching(String eventId, String instanceId, String eventTypeCode, HealthSchedule schedule) {
        return new ScheduledDrain(VERSION, eventId, instanceId, eventTypeCode, schedule.startTime().toString(),
                schedule.drainAt().toString(), 0, schedule.startTime().plus(WATCH_FOR).toString());
    }

    /** True once the instance is drained and the message watches its maintenance. */
    @JsonIgnore
    public boolean watches() {
        return giveUpAt != null;
    }

    /** True when this hop of the watch reads the instance's status: from the change's start on. */
    public boolean needsStatus(Instant now) {
        return !now.isBefore(IsoInstant.parse(startAt));
    }

    /** What this hop of the watch does, from what EC2 describes of the instance now (null before the change's start). */
    public WatchStep watchStep(Instant now, MaintenanceStatus status) {
        if (!needsStatus(now)) {
            return WatchStep.WAIT;
        }
        if (status.instanceState() == null || !Set.of("running", "pending").contains(status.instanceState())) {
            return WatchStep.NOT_RUNNING;
        }
        if (status.maintenancePending() || "pending".equals(status.instanceState())) {
            HealthSchedule moved = rescheduled(status);
            boolean later = moved != null && moved.startTime().isAfter(IsoInstant.parse(startAt));
            if (later && moved.drainAt().isAfter(now.plus(HealthSchedule.MAX_HOP))) {
                return WatchStep.MOVED;
            }
            return now.isBefore(IsoInstant.parse(giveUpAt)) ? WatchStep.WAIT : WatchStep.GIVE_UP;
        }
        return WatchStep.OVER;
    }

    /**
     * The change's schedule for its new start, with the same lead, when EC2 describes it moved earlier
     * or later than this message's start ({@link MaintenanceStatus#movedTo}); null when it is not.
     */
    public HealthSchedule rescheduled(MaintenanceStatus status) {
        HealthSchedule schedule = schedule();
        Instant moved = status.movedTo(HealthSchedule.ec2EventCodes(eventTypeCode), schedule.startTime());
        return moved == null ? null : new HealthSchedule(moved, schedule.lead());
    }

    /** How long until the watch's next hop: up to the change's start, then SQS's longest delay. */
    public static Duration nextWatch(Instant now, Instant startTime) {
        return now.isBefore(startTime) ? HealthSchedule.hopUntil(now, startTime) : HealthSchedule.MAX_HOP;
    }
}
