package dev.deckhand.drain.executor;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.deckhand.core.event.DeckhandResult;
import dev.deckhand.drain.planner.DrainOutcome;
import dev.deckhand.drain.planner.HealthSchedule;
import dev.deckhand.drain.planner.ScheduledChange;
import dev.deckhand.drain.planner.Signal;
import java.util.List;

/**
 * What drain-instance returns for an AWS Health scheduled change: when the change starts, when its
 * instances drain, and per instance what was done now (DRAIN, SCHEDULED, ALREADY_SCHEDULED,
 * NOT_MANAGED, ...), with no {@code decision} of its own; or, for a change it drains nothing for,
 * {@code decision} IGNORED and why.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HealthResult(
        String eventId,
        Signal trigger,
        DrainOutcome decision,
        String reason,
        boolean dryRun,
        String eventTypeCode,
        String startTime,
        String drainAt,
        List<DrainResult> instances) implements DeckhandResult {

    /** A change drain-instance drains nothing for ({@link ScheduledChange#whyIgnored}). */
    static HealthResult ignored(ScheduledChange change, String why, boolean dryRun) {
        return new HealthResult(change.eventId(), Signal.HEALTH_SCHEDULED_CHANGE, DrainOutcome.IGNORED, why, dryRun,
                change.eventTypeCode(), change.startTime() == null ? null : change.startTime().toString(), null, List.of());
    }

    /** A change whose instances each drain now or are scheduled to: each one's own result says which. */
    static HealthResult perInstance(ScheduledChange change, HealthSchedule schedule, List<DrainResult> instances, boolean dryRun) {
        return new HealthResult(change.eventId(), Signal.HEALTH_SCHEDULED_CHANGE, null, null, dryRun, change.eventTypeCode(),
                change.startTime().toString(), schedule.drainAt().toString(), instances);
    }
}
