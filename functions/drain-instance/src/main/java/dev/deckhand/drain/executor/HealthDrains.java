package dev.deckhand.drain.executor;

import dev.deckhand.core.aws.ClusterDirectory;
import dev.deckhand.core.aws.FoundInstance;
import dev.deckhand.core.event.IsoInstant;
import dev.deckhand.core.log.Metrics;
import dev.deckhand.drain.DrainConfig;
import dev.deckhand.drain.planner.DrainOutcome;
import dev.deckhand.drain.planner.DrainRequest;
import dev.deckhand.drain.planner.DrainedFor;
import dev.deckhand.drain.planner.HealthSchedule;
import dev.deckhand.drain.planner.MaintenanceStatus;
import dev.deckhand.drain.planner.ScheduledChange;
import dev.deckhand.drain.planner.ScheduledDrain;
import dev.deckhand.drain.planner.Signal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Tag;

/**
 * AWS Health scheduled changes: each instance the change names is drained
 * {@code DECKHAND_HEALTH_DRAIN_LEAD} before the change's start. An event inside the lead drains at
 * once (through {@link InstanceDrainer}, as any signal); an event days ahead sends the first hop of
 * a {@link ScheduledDrain} to the recheck queue, and each hop waits at most SQS's 15-minute delay
 * and sends the next, until the drain time, when the hop drains. Each hop reads the instance's
 * scheduled events: a change the customer moved earlier or later moves the drain with it.
 *
 * <pre>{@code
 * HealthResult now   = drains.start(change);   // from the EventBridge event
 * DrainResult  later = drains.check(hop);      // from a recheck-queue message; null while it still waits (or watches)
 * }</pre>
 *
 * After reboot or network maintenance the instance runs on, with no state change: one drained for
 * that ({@code deckhand:drained-for} maintenance) is watched by the same chain of hops. From the
 * change's start each hop reads the instance's scheduled events (DescribeInstanceStatus), and once EC2
 * describes no reboot or maintenance still ahead, the instance is set ACTIVE again; a maintenance the
 * customer moved later is set ACTIVE too, and drained again by a new chain before its new start.
 *
 * One chain per instance: the container instance is tagged {@code deckhand:drain-scheduled-at}
 * with the drain time once its first hop is sent, and a repeated event that finds a drain
 * scheduled no later than its own sends none. The tag comes after the send: a failure between the
 * two leaves a second chain at worst, never none, and the drain itself is idempotent.
 */
public final class HealthDrains {

    private static final Logger log = LoggerFactory.getLogger(HealthDrains.class);
    /** When the first hop of an instance's scheduled drain was sent, its drain time (ISO-8601). */
    public static final String TAG_DRAIN_SCHEDULED_AT = "deckhand:drain-scheduled-at";

    private final EcsClient ecs;
    private final ClusterDirectory directory;
    private final InstanceDrainer drainer;
    private final RecheckQueue queue;
    private final InstanceStatusReader statuses;
    private final DrainConfig config;
    private final Metrics metrics;
    private final Clock clock;

    public HealthDrains(EcsClient ecs, Ec2Client ec2, ClusterDirectory directory, InstanceDrainer drainer, RecheckQueue queue,
                        DrainConfig config, Metrics metrics, Clock clock) {
        this.ecs = ecs;
        this.directory = directory;
        this.drainer = drainer;
        this.queue = queue;
        this.statuses = new InstanceStatusReader(ec2);
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
    }

    public HealthResult start(ScheduledChange change) {
        String signal = Signal.HEALTH_SCHEDULED_CHANGE.name();
        String ignored = change.whyIgnored(config.region());
        if (ignored != null) {
            log.atInfo().addKeyValue("eventId", change.eventId()).addKeyValue("signal", signal)
                    .addKeyValue("eventTypeCode", change.eventTypeCode()).addKeyValue("statusCode", change.statusCode())
                    .addKeyValue("instanceIds", change.instanceIds()).addKeyValue("decision", "IGNORED").log(ignored);
            metrics.count("Decisions", Map.of("Signal", Signal.HEALTH_SCHEDULED_CHANGE.metricName(), "Decision", "IGNORED"));
            return HealthResult.ignored(change, ignored, config.dryRun());
        }
        HealthSchedule schedule = new HealthSchedule(change.startTime(), config.healthDrainLead());
        Instant now = clock.instant();
        List<DrainResult> instances = new ArrayList<>();
        for (String instanceId : change.instanceIds()) {
            instances.add(schedule.due(now)
                    ? drainNow(change.eventId(), instanceId, change.eventTypeCode(), schedule)
                    : later(change, instanceId, schedule, now));
        }
        return HealthResult.perInstance(change, schedule, instances, config.dryRun());
    }

    /**
     * A hop from the recheck queue: drains when its time has come, else sends the next hop; or a hop of a
     * maintenance watch. Each hop first reads whether the customer moved the change: a chain for the new
     * start replaces this one (or the drain goes now, when the new start is within the lead).
     */
    public DrainResult check(ScheduledDrain hop) {
        if (hop.watches()) {
            return watch(hop);
        }
        HealthSchedule schedule = hop.schedule();
        Instant now = clock.instant();
        HealthSchedule moved = rescheduled(hop);
        if (moved != null) {
            schedule = moved;
            log.atInfo().addKeyValue("eventId", hop.eventId()).addKeyValue("instanceId", hop.instanceId())
                    .addKeyValue("signal", Signal.HEALTH_SCHEDULED_CHANGE.name()).addKeyValue("drainAt", schedule.drainAt().toString())
                    .log("EC2 describes the change moved from {} to {}: the drain moves to {}", hop.schedule().startTime(),
                            schedule.startTime(), schedule.drainAt());
            if (!schedule.due(now)) {
                queue.send(ScheduledDrain.of(hop.eventId(), hop.instanceId(), hop.eventTypeCode(), schedule), schedule.nextCheck(now));
                return null;
            }
        }
        if (schedule.due(now)) {
            return drainNow(hop.eventId(), hop.instanceId(), hop.eventTypeCode(), schedule);
        }
        Duration wait = schedule.nextCheck(now);
        queue.send(hop.next(), wait);
        log.atDebug().addKeyValue("eventId", hop.eventId()).addKeyValue("instanceId", hop.instanceId())
                .addKeyValue("hops", hop.hops() + 1).addKeyValue("drainAt", hop.drainAt())
                .log("scheduled drain waits until {}; next check in {} s", hop.drainAt(), wait.toSeconds());
        return null;
    }

    /**
     * Whether the customer moved the change (EC2 User Guide, "Reschedule a scheduled event for an EC2
     * instance": earlier or later, at least an hour ahead): one DescribeInstanceStatus a hop, so a move
     * is seen within a hop's 15 minutes. A failed read keeps the plan: the drain matters more than the move.
     */
    private HealthSchedule rescheduled(ScheduledDrain hop) {
        try {
            return hop.rescheduled(statuses.read(hop.instanceId()));
        } catch (RuntimeException e) {
            log.atWarn().addKeyValue("eventId", hop.eventId()).addKeyValue("instanceId", hop.instanceId())
                    .log("could not read whether the change moved; keeping the drain at {}: {}", hop.drainAt(), e.getMessage());
            return null;
        }
    }

    /**
     * A scheduled stop drains as a stop ({@code deckhand:drained-for} stop): the instance may be started
     * again. Reboot and network maintenance drain as maintenance, and the watch's first hop is sent.
     */
    private DrainResult drainNow(String eventId, String instanceId, String eventTypeCode, HealthSchedule schedule) {
        DrainedFor drainedFor = HealthSchedule.drainedFor(eventTypeCode);
        DrainResult result = drainer.drain(new DrainRequest(eventId, instanceId, Signal.HEALTH_SCHEDULED_CHANGE, schedule.startTime(),
                drainedFor));
        if (drainedFor == DrainedFor.MAINTENANCE && result.decision() == DrainOutcome.DRAIN) {
            queue.send(ScheduledDrain.watching(eventId, instanceId, eventTypeCode, schedule),
                    ScheduledDrain.nextWatch(clock.instant(), schedule.startTime()));
        }
        return result;
    }

    /**
     * A hop of a maintenance watch: re-activates the instance once EC2 completed its maintenance; sends
     * the next hop while it is ahead or pending; ends when the instance stopped or is gone (a stopped
     * instance is re-activated when it runs again), or, the maintenance still pending at the hop's
     * {@code giveUpAt}, with a warning and the instance left DRAINING.
     */
    private DrainResult watch(ScheduledDrain hop) {
        Instant now = clock.instant();
        MaintenanceStatus status = hop.needsStatus(now) ? statuses.read(hop.instanceId()) : null;
        switch (hop.watchStep(now, status)) {
            case OVER -> {
                return drainer.drain(new DrainRequest(hop.eventId(), hop.instanceId(), Signal.MAINTENANCE_OVER, null));
            }
            case MOVED -> {
                // ACTIVE first, then the new chain: a failed send brings this hop back, and the re-activation is done once.
                HealthSchedule moved = hop.rescheduled(status);
                DrainResult back = drainer.drain(new DrainRequest(hop.eventId(), hop.instanceId(), Signal.MAINTENANCE_MOVED, null));
                queue.send(ScheduledDrain.of(hop.eventId(), hop.instanceId(), hop.eventTypeCode(), moved), moved.nextCheck(now));
                log.atInfo().addKeyValue("eventId", hop.eventId()).addKeyValue("instanceId", hop.instanceId())
                        .addKeyValue("signal", Signal.MAINTENANCE_MOVED.name()).addKeyValue("drainAt", moved.drainAt().toString())
                        .log("EC2 describes the maintenance moved from {} to {}: drains again at {}", hop.schedule().startTime(),
                                moved.startTime(), moved.drainAt());
                return back;
            }
            case WAIT -> {
                Duration wait = ScheduledDrain.nextWatch(now, hop.schedule().startTime());
                queue.send(hop.next(), wait);
                log.atDebug().addKeyValue("eventId", hop.eventId()).addKeyValue("instanceId", hop.instanceId())
                        .addKeyValue("hops", hop.hops() + 1).log("maintenance not over yet; next check in {} s", wait.toSeconds());
            }
            case NOT_RUNNING -> log.atInfo().addKeyValue("eventId", hop.eventId()).addKeyValue("instanceId", hop.instanceId())
                    .addKeyValue("signal", Signal.MAINTENANCE_OVER.name()).addKeyValue("instanceState", status.instanceState())
                    .log("the instance drained for maintenance is {}: the watch ends (a stopped instance is re-activated when it runs again)",
                            status.instanceState() == null ? "gone" : status.instanceState());
            case GIVE_UP -> {
                log.atWarn().addKeyValue("eventId", hop.eventId()).addKeyValue("instanceId", hop.instanceId())
                        .addKeyValue("signal", Signal.MAINTENANCE_OVER.name()).addKeyValue("decision", DrainOutcome.LEFT_DRAINING.name())
                        .log("EC2 still describes the maintenance as pending {} days after its scheduled start: the watch ends and the "
                                + "instance stays DRAINING; set it ACTIVE once the maintenance is over", ScheduledDrain.WATCH_FOR.toDays());
                metrics.count("Decisions", Map.of("Signal", Signal.MAINTENANCE_OVER.metricName(), "Decision", DrainOutcome.LEFT_DRAINING.name()));
            }
        }
        return null;
    }

    private DrainResult later(ScheduledChange change, String instanceId, HealthSchedule schedule, Instant now) {
        Optional<FoundInstance> found = directory.find(instanceId);
        DrainOutcome decision;
        String reason;
        boolean changed = false;
        if (found.isEmpty()) {
            decision = DrainOutcome.NOT_MANAGED;
            reason = "instance " + instanceId + " is not a container instance of any managed cluster; no drain scheduled";
        } else if ("DRAINING".equals(found.get().status())) {
            decision = DrainOutcome.ALREADY_DRAINING;
            reason = "already DRAINING; no drain scheduled";
        } else if (scheduledNoLaterThan(found.get(), schedule.drainAt(), now)) {
            decision = DrainOutcome.ALREADY_SCHEDULED;
            reason = "a drain is already scheduled at " + found.get().tag(TAG_DRAIN_SCHEDULED_AT)
                    + " (no later than this change's " + schedule.drainAt() + ")";
        } else if (config.dryRun()) {
            decision = DrainOutcome.DRY_RUN_SCHEDULE;
            reason = "dry run: would drain at " + schedule.drainAt() + ", " + config.healthDrainLead().toMinutes()
                    + " min before the change starts at " + schedule.startTime();
        } else {
            Duration wait = schedule.nextCheck(now);
            queue.send(ScheduledDrain.of(change.eventId(), instanceId, change.eventTypeCode(), schedule), wait);
            recordSchedule(found.get(), change.eventId(), schedule.drainAt());
            decision = DrainOutcome.SCHEDULED;
            changed = true;
            reason = "drains at " + schedule.drainAt() + ", " + config.healthDrainLead().toMinutes()
                    + " min before the change starts at " + schedule.startTime() + "; first check in " + wait.toSeconds() + " s";
        }
        log.atInfo()
                .addKeyValue("eventId", change.eventId())
                .addKeyValue("signal", Signal.HEALTH_SCHEDULED_CHANGE.name())
                .addKeyValue("eventTypeCode", change.eventTypeCode())
                .addKeyValue("instanceId", instanceId)
                .addKeyValue("cluster", found.map(FoundInstance::cluster).orElse(null))
                .addKeyValue("containerInstanceArn", found.map(FoundInstance::containerInstanceArn).orElse(null))
                .addKeyValue("decision", decision.name())
                .addKeyValue("drainAt", schedule.drainAt().toString())
                .addKeyValue("dryRun", config.dryRun())
                .log(reason);
        metrics.count("Decisions", Map.of("Signal", Signal.HEALTH_SCHEDULED_CHANGE.metricName(), "Decision", decision.name()));
        // The drain is still ahead: what it will not save is not known yet.
        return DrainResult.of(change.eventId(), Signal.HEALTH_SCHEDULED_CHANGE, instanceId, decision, reason, config.dryRun())
                .changed(changed).on(found).deadline(schedule.startTime(), now).notSaved(null).withTasksOf(found).build();
    }

    /** A drain of this instance is scheduled, still ahead, and no later than {@code drainAt}. */
    private static boolean scheduledNoLaterThan(FoundInstance instance, Instant drainAt, Instant now) {
        String tagged = instance.tag(TAG_DRAIN_SCHEDULED_AT);
        if (tagged == null) {
            return false;
        }
        try {
            Instant at = IsoInstant.parse(tagged);
            return at.isAfter(now) && !at.isAfter(drainAt);
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /** Tags the drain time on the container instance; a failure is logged (a repeated event may then schedule a second chain). */
    private void recordSchedule(FoundInstance instance, String eventId, Instant drainAt) {
        try {
            ecs.tagResource(r -> r.resourceArn(instance.containerInstanceArn())
                    .tags(Tag.builder().key(TAG_DRAIN_SCHEDULED_AT).value(drainAt.toString()).build()));
        } catch (RuntimeException e) {
            log.atWarn().addKeyValue("eventId", eventId).addKeyValue("instanceId", instance.containerInstance().ec2InstanceId())
                    .log("the scheduled drain could not be tagged on the container instance; a repeated event may schedule it again: {}",
                            e.getMessage());
        }
    }
}
