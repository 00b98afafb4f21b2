package dev.deckhand.drain.executor;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.deckhand.core.aws.FoundInstance;
import dev.deckhand.core.event.DeckhandResult;
import dev.deckhand.drain.planner.DrainOutcome;
import dev.deckhand.drain.planner.Signal;
import dev.deckhand.drain.planner.TaskAtRisk;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What drain-instance returns (and what {@code deckhand replay} prints): the decision, why, what
 * it changed, what the drain will not save.
 *
 * <pre>{@code
 * DrainResult result = DrainResult.of(eventId, Signal.RETIREMENT, instanceId, DrainOutcome.DEFERRED, why, dryRun)
 *         .on(instance).build();
 * }</pre>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DrainResult(
        String eventId,
        Signal trigger,
        DrainOutcome decision,
        String reason,
        boolean dryRun,
        String instanceId,
        boolean changed,
        String cluster,
        String containerInstanceArn,
        String previousStatus,
        String deadline,
        Long secondsLeft,
        List<TaskAtRisk> notSaved,
        Integer tasksOnInstance,
        String preDrainCommandId) implements DeckhandResult {

    /** A result for {@code instanceId}; the rest is added by the builder's named steps. */
    static Builder of(String eventId, Signal trigger, String instanceId, DrainOutcome decision, String reason, boolean dryRun) {
        return new Builder(eventId, trigger, instanceId, decision, reason, dryRun);
    }

    /** The optional parts of a result; what is not set stays out of the JSON (no task at risk: an empty {@code notSaved}). */
    static final class Builder {
        private final String eventId;
        private final Signal trigger;
        private final String instanceId;
        private final DrainOutcome decision;
        private final String reason;
        private final boolean dryRun;
        private boolean changed;
        private String cluster;
        private String containerInstanceArn;
        private String previousStatus;
        private String deadline;
        private Long secondsLeft;
        private List<TaskAtRisk> notSaved = List.of();
        private Integer tasksOnInstance;
        private String preDrainCommandId;

        private Builder(String eventId, Signal trigger, String instanceId, DrainOutcome decision, String reason, boolean dryRun) {
            this.eventId = eventId;
            this.trigger = trigger;
            this.instanceId = instanceId;
            this.decision = decision;
            this.reason = reason;
            this.dryRun = dryRun;
        }

        /** The container instance as found before any change: its cluster, ARN and status. */
        Builder on(FoundInstance instance) {
            cluster = instance.cluster();
            containerInstanceArn = instance.containerInstanceArn();
            previousStatus = instance.status();
            return this;
        }

        /** {@link #on(FoundInstance)} when found; nothing when the instance is in no managed cluster. */
        Builder on(Optional<FoundInstance> found) {
            found.ifPresent(this::on);
            return this;
        }

        /** The instance's own task counts ({@link InstanceDrainer#tasksOn}), when found. */
        Builder withTasksOf(Optional<FoundInstance> found) {
            tasksOnInstance = found.map(InstanceDrainer::tasksOn).orElse(null);
            return this;
        }

        /** The signal's deadline (the interruption, the change's start) and the seconds left to it at {@code now}. */
        Builder deadline(Instant at, Instant now) {
            if (at != null) {
                deadline = at.toString();
                secondsLeft = Math.max(0, Duration.between(now, at).toSeconds());
            }
            return this;
        }

        /** Set the instance DRAINING (or ACTIVE again), or put a drain on the recheck queue. */
        Builder changed(boolean changed) {
            this.changed = changed;
            return this;
        }

        /** The tasks the drain will not save; null when they could not be listed, or the drain is still ahead. */
        Builder notSaved(List<TaskAtRisk> tasks) {
            notSaved = tasks;
            return this;
        }

        /** The pre-drain command sent to the instance, if any. */
        Builder preDrainCommand(String commandId) {
            preDrainCommandId = commandId;
            return this;
        }

        DrainResult build() {
            return new DrainResult(eventId, trigger, decision, reason, dryRun, instanceId, changed, cluster, containerInstanceArn,
                    previousStatus, deadline, secondsLeft, notSaved, tasksOnInstance, preDrainCommandId);
        }
    }
}
