package dev.deckhand.drain.executor;

import dev.deckhand.core.aws.ClusterDirectory;
import dev.deckhand.core.aws.FoundInstance;
import dev.deckhand.core.aws.TaskReader;
import dev.deckhand.core.log.Metrics;
import dev.deckhand.drain.DrainConfig;
import dev.deckhand.drain.planner.DrainDecision;
import dev.deckhand.drain.planner.DrainOutcome;
import dev.deckhand.drain.planner.DrainPlanner;
import dev.deckhand.drain.planner.DrainRequest;
import dev.deckhand.drain.planner.DrainedFor;
import dev.deckhand.drain.planner.RunningTask;
import dev.deckhand.drain.planner.Signal;
import dev.deckhand.drain.planner.TaskAtRisk;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerInstanceStatus;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.UpdateContainerInstancesStateResponse;

/**
 * Drains one instance: finds it, asks the planner, sets it DRAINING (unless dry run), then reports
 * what the drain will not save. The drain call comes first; the task analysis never delays it.
 *
 * <pre>{@code
 * DrainResult result = drainer.drain(new DrainRequest(eventId, "i-1234567890abcdef0", Signal.SPOT_INTERRUPTION, deadline));
 * DrainResult back = drainer.drain(new DrainRequest(eventId, "i-1234567890abcdef0", Signal.INSTANCE_RUNNING, null));
 * }</pre>
 * A request with {@link Signal#INSTANCE_RUNNING}, {@link Signal#MAINTENANCE_OVER},
 * {@link Signal#MAINTENANCE_MOVED} or {@link Signal#REBALANCE_UNREPLACED} is not a drain:
 * the instance is re-activated if Deckhand drained it for what it came back from ({@link DrainedFor}).
 */
public final class InstanceDrainer {

    private static final Logger log = LoggerFactory.getLogger(InstanceDrainer.class);

    private final EcsClient ecs;
    private final ClusterDirectory directory;
    private final TaskReader tasks;
    private final DrainPlanner planner;
    private final DrainConfig config;
    private final PreDrainCommand preDrain;
    private final Metrics metrics;
    private final Clock clock;
    private final CapacityRebalancing rebalancing;
    private final CapacityProviders providers;

    public InstanceDrainer(EcsClient ecs, ClusterDirectory directory, TaskReader tasks, DrainPlanner planner,
                           PreDrainCommand preDrain, CapacityRebalancing rebalancing, DrainConfig config, Metrics metrics,
                           Clock clock) {
        this(ecs, directory, tasks, planner, preDrain, rebalancing, new CapacityProviders(ecs), config, metrics, clock);
    }

    public InstanceDrainer(EcsClient ecs, ClusterDirectory directory, TaskReader tasks, DrainPlanner planner,
                           PreDrainCommand preDrain, CapacityRebalancing rebalancing, CapacityProviders providers,
                           DrainConfig config, Metrics metrics, Clock clock) {
        this.providers = providers;
        this.ecs = ecs;
        this.rebalancing = rebalancing;
        this.preDrain = preDrain;
        this.directory = directory;
        this.tasks = tasks;
        this.planner = planner;
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
    }

    public DrainResult drain(DrainRequest request) {
        if (request.signal().reactivates()) {
            return reactivate(request.eventId(), request.instanceId(), request.signal(), false);
        }
        if (planner.ignores(request.signal())) {
            DrainDecision ignored = planner.ignored(request);
            log.atInfo().addKeyValue("eventId", request.eventId()).addKeyValue("signal", request.signal().name())
                    .addKeyValue("instanceId", request.instanceId()).addKeyValue("decision", ignored.verdict().name())
                    .log(ignored.reason());
            metrics.count("Decisions", Map.of("Signal", request.signal().metricName(), "Decision", ignored.verdict().name()));
            return DrainResult.of(request.eventId(), request.signal(), request.instanceId(), ignored.verdict(),
                    ignored.reason(), config.dryRun()).build();
        }
        return drain(request, directory.find(request.instanceId()));
    }

    /** Drains with the lookup already done ({@code found} empty: the instance is in no managed cluster). */
    public DrainResult drain(DrainRequest request, Optional<FoundInstance> found) {
        // This event's own drain, cut short before it was reported (a lost answer): finish it. Reported
        // already (a duplicate delivery): it is just DRAINING.
        boolean resumed = found.isPresent() && request.eventId().equals(found.get().tag(TAG_DRAIN_EVENT))
                && !request.eventId().equals(found.get().tag(TAG_DRAIN_REPORTED));
        // ECS drains instances of some capacity providers itself: decided first, so nothing else is read for them.
        String leftToEcs = planner.needsCapacityProvider(request, found.map(FoundInstance::status), resumed)
                ? planner.leftToEcs(request.signal(), providers.of(found.orElseThrow())) : null;
        String replacingGroup = leftToEcs == null && planner.needsReplacement(request, found.map(FoundInstance::status), resumed)
                ? rebalancing.replacingGroup(request.instanceId()) : null;
        DrainDecision decision = planner.decide(request, found.map(FoundInstance::status), resumed, replacingGroup, leftToEcs);
        boolean changed = false;
        String commandId = null;
        if (decision.verdict() == DrainOutcome.DRAIN && !config.dryRun()) {
            if ("ACTIVE".equals(found.orElseThrow().status())) {
                // The tag goes first: if the drain call's answer is lost, the retry finds this event's
                // tag on a DRAINING instance and finishes the work instead of calling it someone else's drain.
                recordOnInstance(found.orElseThrow(), request);
                setDraining(found.orElseThrow());
            }
            changed = true;
            commandId = preDrain.send(request.instanceId(), request.eventId());
        }
        if (decision.verdict() == DrainOutcome.ALREADY_DRAINING && !config.dryRun()
                && planner.supersedes(request, found.orElseThrow().tag(TAG_DRAINED_FOR))) {
            retag(found.orElseThrow(), request);
        }
        DrainOutcome outcome = decision.verdict().reported(config.dryRun());
        // One notification line per instance: only the decision that drains (or notifies) carries it;
        // later signals for the same instance find it DRAINING and log a plain line.
        log.atInfo()
                .addKeyValue("notification", decision.verdict().notifies())
                .addKeyValue("eventId", request.eventId())
                .addKeyValue("signal", request.signal().name())
                .addKeyValue("instanceId", request.instanceId())
                .addKeyValue("cluster", found.map(FoundInstance::cluster).orElse(null))
                .addKeyValue("containerInstanceArn", found.map(FoundInstance::containerInstanceArn).orElse(null))
                .addKeyValue("decision", outcome.name())
                .addKeyValue("dryRun", config.dryRun())
                .log(decision.reason());
        metrics.count("Decisions", Map.of("Signal", request.signal().metricName(), "Decision", outcome.name()));
        if (changed) {
            markReported(found.orElseThrow(), request);
        }

        Instant now = clock.instant();
        List<TaskAtRisk> notSaved = List.of();
        if (decision.verdict() == DrainOutcome.DRAIN) {
            try {
                notSaved = planner.notSaved(runningTasks(found.orElseThrow()), request.deadline(), now);
            } catch (RuntimeException e) {
                // The drain is done and logged; failing now would only make Lambda retry a finished drain.
                log.atWarn().addKeyValue("eventId", request.eventId()).addKeyValue("instanceId", request.instanceId())
                        .log("drained, but the tasks the drain will not save could not be listed: {}", e.getMessage());
                notSaved = null;
            }
        }
        if (notSaved != null && !notSaved.isEmpty()) {
            log.atWarn()
                    .addKeyValue("eventId", request.eventId())
                    .addKeyValue("instanceId", request.instanceId())
                    .addKeyValue("tasks", notSaved.stream().limit(20).map(TaskAtRisk::taskArn).toList())
                    .log("{} task(s) will not be saved by the drain: {}", notSaved.size(),
                            notSaved.stream().map(TaskAtRisk::reason).distinct().toList());
            metrics.put("TasksNotSaved", notSaved.size(), "Count", Map.of("Signal", request.signal().metricName()));
        }
        return DrainResult.of(request.eventId(), request.signal(), request.instanceId(), outcome, decision.reason(), config.dryRun())
                .changed(changed).on(found).deadline(request.deadline(), now).notSaved(notSaved).withTasksOf(found)
                .preDrainCommand(commandId).build();
    }

    /**
     * An instance launches out of the warm pool: sets its container instance ACTIVE if Deckhand
     * drained it on its way into the pool ({@link DrainPlanner#reactivationOutOfWarmPool}).
     */
    DrainResult reactivateOutOfWarmPool(String eventId, String instanceId) {
        return reactivate(eventId, instanceId, Signal.INSTANCE_RUNNING, true);
    }

    /**
     * A stopped instance runs again ({@code EC2 Instance State-change Notification}, state running;
     * {@link Signal#INSTANCE_RUNNING}), EC2 completed the maintenance Deckhand drained it for
     * ({@link Signal#MAINTENANCE_OVER}) or moved it later ({@link Signal#MAINTENANCE_MOVED}), or no
     * replacement came for its rebalance recommendation
     * ({@link Signal#REBALANCE_UNREPLACED}): sets its container instance ACTIVE if Deckhand drained it
     * for that ({@link DrainedFor#undoneBy}), and only then. ACTIVE goes first and the tag after: a failure between the two leaves
     * the instance ACTIVE (never stranded DRAINING), and the failure propagates so the retry rewrites the tag.
     */
    private DrainResult reactivate(String eventId, String instanceId, Signal back, boolean outOfWarmPool) {
        Optional<FoundInstance> found = directory.find(instanceId);
        String drainedFor = found.map(f -> f.tag(TAG_DRAINED_FOR)).orElse(null);
        DrainDecision decision = outOfWarmPool
                ? planner.reactivationOutOfWarmPool(instanceId, found.map(FoundInstance::status),
                        found.map(f -> f.tag(TAG_DRAIN_EVENT)).orElse(null), drainedFor)
                : planner.reactivation(instanceId, found.map(FoundInstance::status), drainedFor, back);
        boolean changed = false;
        DrainOutcome outcome = decision.verdict().reported(config.dryRun());
        if (decision.verdict() == DrainOutcome.REACTIVATE) {
            if (!config.dryRun()) {
                setActive(found.orElseThrow());
                markReactivated(found.orElseThrow());
                changed = true;
            }
        } else if (decision.verdict() == DrainOutcome.NOT_DRAINING && DrainedFor.undoneBy(back, drainedFor)
                && "ACTIVE".equals(found.orElseThrow().status()) && !config.dryRun()) {
            // A retry whose ACTIVE call went through but whose tag did not: finish the record, so an
            // operator's later drain is not taken for Deckhand's.
            markReactivated(found.orElseThrow());
        }
        log.atInfo()
                .addKeyValue("notification", decision.verdict().notifies())
                .addKeyValue("eventId", eventId)
                .addKeyValue("signal", back.name())
                .addKeyValue("instanceId", instanceId)
                .addKeyValue("cluster", found.map(FoundInstance::cluster).orElse(null))
                .addKeyValue("containerInstanceArn", found.map(FoundInstance::containerInstanceArn).orElse(null))
                .addKeyValue("decision", outcome.name())
                .addKeyValue("dryRun", config.dryRun())
                .log(decision.reason());
        metrics.count("Decisions", Map.of("Signal", back.metricName(), "Decision", outcome.name()));
        return DrainResult.of(eventId, back, instanceId, outcome, decision.reason(), config.dryRun())
                .changed(changed).on(found).withTasksOf(found).build();
    }

    private void setActive(FoundInstance instance) {
        UpdateContainerInstancesStateResponse response = ecs.updateContainerInstancesState(r -> r
                .cluster(instance.cluster())
                .containerInstances(instance.containerInstanceArn())
                .status(ContainerInstanceStatus.ACTIVE));
        if (!response.failures().isEmpty()) {
            throw new DrainFailedException("ECS did not set " + instance.containerInstanceArn() + " ACTIVE: "
                    + response.failures().get(0).reason() + " " + response.failures().get(0).detail());
        }
    }

    private void markReactivated(FoundInstance instance) {
        ecs.tagResource(r -> r.resourceArn(instance.containerInstanceArn()).tags(
                Tag.builder().key(TAG_DRAINED_FOR).value(DrainedFor.REACTIVATED).build(),
                Tag.builder().key(TAG_REACTIVATED_AT).value(clock.instant().toString()).build()));
    }

    /**
     * The tasks still on the instance, by lastStatus: those stopping for the drain count until they
     * are STOPPED ({@link TaskReader#tasksLeftOn}). A hook completes only at zero.
     */
    int tasksLeft(FoundInstance instance) {
        return tasks.tasksLeftOn(instance.cluster(), instance.containerInstance());
    }

    /** The instance's own counts (desired RUNNING, and PENDING): what a drain's report shows. */
    static int tasksOn(FoundInstance instance) {
        Integer running = instance.containerInstance().runningTasksCount();
        Integer pending = instance.containerInstance().pendingTasksCount();
        return (running == null ? 0 : running) + (pending == null ? 0 : pending);
    }

    /** Tag keys on a drained container instance: who drained it, for which event, when. */
    public static final String TAG_DRAINED_BY = "deckhand:drained-by";
    public static final String TAG_DRAIN_EVENT = "deckhand:drain-event";
    public static final String TAG_DRAINED_AT = "deckhand:drained-at";
    /** What the drain expects of the instance ({@link DrainedFor}), {@code reactivated} once Deckhand set it ACTIVE again. */
    public static final String TAG_DRAINED_FOR = "deckhand:drained-for";
    public static final String TAG_REACTIVATED_AT = "deckhand:reactivated-at";
    /** Written once the drain's notification line is out: a duplicate delivery of the event says nothing more. */
    public static final String TAG_DRAIN_REPORTED = "deckhand:drain-reported";

    private void markReported(FoundInstance instance, DrainRequest request) {
        try {
            ecs.tagResource(r -> r.resourceArn(instance.containerInstanceArn())
                    .tags(Tag.builder().key(TAG_DRAIN_REPORTED).value(request.eventId()).build()));
        } catch (RuntimeException e) {
            log.atWarn().addKeyValue("eventId", request.eventId())
                    .log("could not mark the drain reported; a duplicate delivery may repeat its notification line: {}", e.getMessage());
        }
    }

    /**
     * Tags the container instance with the drain's signal, event id and time, so anyone looking at
     * a DRAINING instance in the console sees why, and a retry of this event knows the drain was
     * its own. A failure to tag (an account still on the short ARN format cannot tag container
     * instances) is logged and the drain goes on: draining matters more than the record.
     */
    private void recordOnInstance(FoundInstance instance, DrainRequest request) {
        try {
            ecs.tagResource(r -> r.resourceArn(instance.containerInstanceArn()).tags(
                    Tag.builder().key(TAG_DRAINED_BY).value(request.signal().name()).build(),
                    Tag.builder().key(TAG_DRAIN_EVENT).value(request.eventId()).build(),
                    Tag.builder().key(TAG_DRAINED_AT).value(clock.instant().toString()).build(),
                    Tag.builder().key(TAG_DRAINED_FOR).value(request.drainedFor().tag()).build()));
        } catch (RuntimeException e) {
            log.atWarn().addKeyValue("eventId", request.eventId()).addKeyValue("instanceId", request.instanceId())
                    .log("the container instance could not be tagged; draining it anyway: {}", e.getMessage());
        }
    }

    /** A failure is logged: the rebalance drain's bound may then re-activate an instance this signal takes away anyway. */
    private void retag(FoundInstance instance, DrainRequest request) {
        try {
            ecs.tagResource(r -> r.resourceArn(instance.containerInstanceArn())
                    .tags(Tag.builder().key(TAG_DRAINED_FOR).value(request.drainedFor().tag()).build()));
        } catch (RuntimeException e) {
            log.atWarn().addKeyValue("eventId", request.eventId()).addKeyValue("instanceId", request.instanceId())
                    .log("the instance drained for a rebalance recommendation could not be tagged drained for {}: {}",
                            request.drainedFor().tag(), e.getMessage());
        }
    }

    private void setDraining(FoundInstance instance) {
        UpdateContainerInstancesStateResponse response = ecs.updateContainerInstancesState(r -> r
                .cluster(instance.cluster())
                .containerInstances(instance.containerInstanceArn())
                .status(ContainerInstanceStatus.DRAINING));
        if (!response.failures().isEmpty()) {
            throw new DrainFailedException("ECS did not set " + instance.containerInstanceArn() + " DRAINING: "
                    + response.failures().get(0).reason() + " " + response.failures().get(0).detail());
        }
    }

    private List<RunningTask> runningTasks(FoundInstance instance) {
        List<RunningTask> running = new ArrayList<>();
        for (Task task : tasks.runningOn(instance.cluster(), instance.containerInstanceArn())) {
            running.add(new RunningTask(task.taskArn(), task.group(), stopTimeout(task.taskDefinitionArn())));
        }
        return running;
    }

    private Duration stopTimeout(String taskDefinitionArn) {
        TaskDefinition definition = tasks.taskDefinition(taskDefinitionArn);
        Duration longest = Duration.ZERO;
        for (ContainerDefinition container : definition.containerDefinitions()) {
            Duration timeout = container.stopTimeout() == null
                    ? DrainPlanner.DEFAULT_STOP_TIMEOUT : Duration.ofSeconds(container.stopTimeout());
            if (timeout.compareTo(longest) > 0) {
                longest = timeout;
            }
        }
        return longest;
    }
}
