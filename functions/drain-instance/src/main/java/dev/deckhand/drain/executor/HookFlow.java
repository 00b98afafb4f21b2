package dev.deckhand.drain.executor;

import dev.deckhand.core.aws.ClusterDirectory;
import dev.deckhand.core.aws.FoundInstance;
import dev.deckhand.core.event.IsoInstant;
import dev.deckhand.core.log.Metrics;
import dev.deckhand.drain.DrainConfig;
import dev.deckhand.drain.planner.DrainRequest;
import dev.deckhand.drain.planner.DrainedFor;
import dev.deckhand.drain.planner.HookDecision;
import dev.deckhand.drain.planner.HookWaitState;
import dev.deckhand.drain.planner.HookKind;
import dev.deckhand.drain.planner.HookPlanner;
import dev.deckhand.drain.planner.HookStep;
import dev.deckhand.drain.planner.Signal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.ContainerInstanceField;

/**
 * A lifecycle hook from its event to its completion. Each check looks at the instance, drains it
 * if it is still ACTIVE (terminate), asks {@link HookPlanner} what to do, then either completes the
 * hook or sends the next check to the recheck queue (with a heartbeat first when due). No Lambda
 * waits: the queue's message delay is the wait.
 *
 * <pre>{@code
 * HookResult first = flow.start(check);      // from the EventBridge event
 * HookResult later = flow.check(check);      // from a recheck-queue message
 * HookResult last  = flow.giveUp(check, e);  // the last retry failed: complete rather than hang
 * }</pre>
 *
 * Failures: a failing first check schedules a recheck (which redoes everything, idempotently);
 * if even that fails the error propagates and Lambda retries the event. A failing recheck is
 * redelivered by SQS after a short delay bounded by the hook's time left ({@link #retrySoon});
 * on its last receive the handler calls {@link #giveUp}. A hook is never left to its own timeout.
 */
public final class HookFlow {

    private static final Logger log = LoggerFactory.getLogger(HookFlow.class);
    /** How soon a failed first check is retried through the queue: as soon as a failed recheck at most. */
    static final Duration RETRY_DELAY = HookPlanner.MAX_RETRY_DELAY;

    private final EcsClient ecs;
    private final ClusterDirectory directory;
    private final InstanceDrainer drainer;
    private final LifecycleHooks hooks;
    private final RecheckQueue queue;
    private final HookPlanner planner;
    private final DrainConfig config;
    private final Metrics metrics;
    private final Clock clock;

    public HookFlow(EcsClient ecs, ClusterDirectory directory, InstanceDrainer drainer, LifecycleHooks hooks,
                    RecheckQueue queue, DrainConfig config, Metrics metrics, Clock clock) {
        this.ecs = ecs;
        this.directory = directory;
        this.drainer = drainer;
        this.hooks = hooks;
        this.queue = queue;
        this.planner = new HookPlanner(config.recheckInterval());
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * The first check, from the lifecycle event; the hook's timeouts are filled in here, and the
     * deadline: the configured one, or shortly before the hook's GlobalTimeout when that is sooner.
     *
     * @param origin      the event's {@code detail.Origin} (EC2, AutoScalingGroup, WarmPool), null if absent
     * @param destination the event's {@code detail.Destination}, null if absent
     */
    public HookResult start(HookKind kind, String eventId, String instanceId, String group, String hook, String token,
                            Instant eventTime, String origin, String destination) {
        if (!hook.startsWith(config.lifecycleHookPrefix())) {
            String reason = "lifecycle hook " + hook + " is not Deckhand's (its name does not start with "
                    + config.lifecycleHookPrefix() + "); left to whoever owns it";
            log.atInfo().addKeyValue("eventId", eventId).addKeyValue("instanceId", instanceId)
                    .addKeyValue("lifecycleHookName", hook).log(reason);
            return HookResult.notDeckhands(kind, eventId, instanceId, group, hook, reason, config.dryRun());
        }
        LifecycleHooks.Timeouts timeouts = hooks.timeouts(group, hook);
        HookPlanner.Deadline deadline = HookPlanner.deadline(kind, eventTime,
                kind == HookKind.TERMINATE ? config.drainDeadline() : config.launchDeadline(), timeouts.global());
        HookWaitState check = new HookWaitState(HookWaitState.VERSION, kind, eventId, instanceId, group, hook, token, null, null,
                eventTime.toString(), deadline.at().toString(), eventTime.toString(), timeouts.heartbeat(), 0,
                timeouts.global(), kind == HookKind.TERMINATE && HookPlanner.WARM_POOL.equals(destination));
        HookStep atOnce = HookPlanner.atStart(kind, origin, destination);
        if (atOnce != null) {
            if (config.dryRun()) {
                log.atInfo().addKeyValue("eventId", eventId).addKeyValue("instanceId", instanceId)
                        .addKeyValue("lifecycleHookName", hook).addKeyValue("dryRun", true)
                        .log("{}; dry run: would complete the hook with {}", atOnce.reason(), atOnce.result());
                return HookResult.dryRun(check, atOnce.result(), atOnce.reason(), null, null, null);
            }
            return complete(check, HookDecision.COMPLETED, atOnce.result(), atOnce.reason(), null, null, null);
        }
        log.atInfo().addKeyValue("eventId", eventId).addKeyValue("instanceId", instanceId)
                .addKeyValue("lifecycleHookName", hook).addKeyValue("origin", origin).addKeyValue("destination", destination)
                .addKeyValue("deadline", deadline.at().toString()).addKeyValue("deadlineBy", deadline.by())
                .addKeyValue("heartbeatTimeoutSeconds", timeouts.heartbeat())
                .addKeyValue("globalTimeoutSeconds", timeouts.global())
                .log("lifecycle hook wait starts; it ends at {} at the latest: {}", deadline.at(), deadline.why());
        try {
            if (kind == HookKind.LAUNCH && HookPlanner.WARM_POOL.equals(origin)) {
                // Back from the pool, the same container instance is still DRAINING if Deckhand drained it
                // on its way in: ACTIVE again (dry run: decided and logged only), then the ordinary wait.
                drainer.reactivateOutOfWarmPool(eventId, instanceId);
            }
            return check(check);
        } catch (RuntimeException e) {
            if (config.dryRun()) {
                throw e;
            }
            try {
                queue.send(check, RETRY_DELAY);
            } catch (RuntimeException queueFailure) {
                e.addSuppressed(queueFailure);
                throw e;
            }
            log.atWarn().setCause(e).addKeyValue("eventId", eventId).addKeyValue("instanceId", instanceId)
                    .log("first check of the lifecycle hook failed; it is retried through the recheck queue in {} s",
                            RETRY_DELAY.toSeconds());
            return HookResult.retrying(kind, eventId, instanceId, group, hook, "first check failed: " + e.getMessage(),
                    RETRY_DELAY.toSeconds(), config.dryRun());
        }
    }

    public HookResult check(HookWaitState check) {
        Optional<FoundInstance> found = locate(check);
        if (found.isPresent() && check.cluster() == null) {
            check = check.located(found.get().cluster(), found.get().containerInstanceArn());
        }
        DrainResult drain = null;
        if (check.kind() == HookKind.TERMINATE && found.isPresent() && "ACTIVE".equals(found.get().status())) {
            // Back into the warm pool, the instance stops and comes back: drained for a stop, so that it is
            // re-activated when it runs again, with or without a launch hook on its way out of the pool.
            drain = drainer.drain(new DrainRequest(check.eventId(), check.instanceId(), Signal.LIFECYCLE_TERMINATE,
                    check.deadline(), check.toWarmPool() ? DrainedFor.STOP : DrainedFor.TERMINATION), found);
        }
        String status = found.map(FoundInstance::status).orElse(null);
        // A terminating instance is drained when its tasks are STOPPED, not when they left runningTasksCount.
        boolean terminating = check.kind() == HookKind.TERMINATE;
        int tasks = found.map(f -> terminating ? drainer.tasksLeft(f) : InstanceDrainer.tasksOn(f)).orElse(0);
        boolean agentConnected = found.map(f -> Boolean.TRUE.equals(f.containerInstance().agentConnected())).orElse(false);
        Instant now = clock.instant();
        HookStep step = planner.next(check, status, tasks, agentConnected, now);
        String cluster = found.map(FoundInstance::cluster).orElse(null);

        if (config.dryRun()) {
            String would = step.complete() ? "would complete the hook with " + step.result() : "would check again in "
                    + step.delay().toSeconds() + " s" + (step.heartbeat() ? " after a heartbeat" : "");
            log.atInfo().addKeyValue("eventId", check.eventId()).addKeyValue("instanceId", check.instanceId())
                    .addKeyValue("lifecycleHookName", check.lifecycleHookName()).addKeyValue("dryRun", true)
                    .log("{}; dry run: {}, and the hook is left to its own timeout", step.reason(), would);
            return HookResult.dryRun(check, step.result(), step.reason(), cluster, tasks, drain);
        }
        if (step.complete()) {
            return complete(check, HookDecision.COMPLETED, step.result(), step.reason(), cluster, tasks, drain);
        }
        Instant beat = null;
        if (step.heartbeat()) {
            if (!hooks.heartbeat(check)) {
                return noLongerWaiting(check, cluster, tasks, drain);
            }
            beat = now;
            metrics.count("HookHeartbeats", Map.of("Transition", check.kind().name()));
        }
        queue.send(check.next(beat), step.delay());
        log.atInfo().addKeyValue("eventId", check.eventId()).addKeyValue("instanceId", check.instanceId())
                .addKeyValue("lifecycleHookName", check.lifecycleHookName()).addKeyValue("check", check.checks())
                .addKeyValue("tasks", tasks).addKeyValue("heartbeat", beat != null)
                .log("{}; checking again in {} s", step.reason(), step.delay().toSeconds());
        return HookResult.waiting(check, step.reason(), cluster, tasks, beat != null, step.delay().toSeconds(), drain, config.dryRun());
    }

    /**
     * A recheck failed and may be retried: its message ({@code receiptHandle}) comes back after a
     * short delay that leaves room for every retry left before the hook would time out, rather
     * than after the queue's visibility timeout. The caller still reports the message in
     * {@code batchItemFailures}, so SQS counts the receive.
     *
     * @return the delay, or null when the visibility could not be changed (then SQS delivers it
     *         again after the visibility timeout, as before)
     */
    public Duration retrySoon(HookWaitState check, String receiptHandle, int receives, RuntimeException cause) {
        Duration delay = HookPlanner.retryDelay(check, config.recheckMaxReceives() - receives, clock.instant());
        try {
            queue.retryAfter(receiptHandle, delay);
        } catch (RuntimeException visibilityFailure) {
            cause.addSuppressed(visibilityFailure);
            log.atWarn().setCause(cause).addKeyValue("eventId", check.eventId()).addKeyValue("instanceId", check.instanceId())
                    .addKeyValue("receives", receives)
                    .log("lifecycle hook check failed, and so did shortening its retry; SQS delivers it again after the "
                            + "queue's visibility timeout");
            return null;
        }
        log.atWarn().setCause(cause).addKeyValue("eventId", check.eventId()).addKeyValue("instanceId", check.instanceId())
                .addKeyValue("receives", receives).addKeyValue("retryInSeconds", delay.toSeconds())
                .log("lifecycle hook check failed (receive {} of {}); it runs again in {} s, within the hook's time left",
                        receives, config.recheckMaxReceives(), delay.toSeconds());
        return delay;
    }

    /** The last retry of a check failed: complete the hook now rather than leave it to its timeout. */
    public HookResult giveUp(HookWaitState check, RuntimeException cause) {
        String result = check.kind().resultWhenGivingUp();
        log.atError().setCause(cause).addKeyValue("eventId", check.eventId()).addKeyValue("instanceId", check.instanceId())
                .log("checks of the lifecycle hook kept failing; completing it with {} rather than leave it to its timeout", result);
        metrics.count("HookGaveUp", Map.of("Transition", check.kind().name()));
        return complete(check, HookDecision.GAVE_UP, result, "checks kept failing: " + cause.getMessage(), check.cluster(), null, null);
    }

    /** @param how COMPLETED, or GAVE_UP when the checks kept failing */
    private HookResult complete(HookWaitState check, HookDecision how, String result, String reason, String cluster, Integer tasks,
                                DrainResult drain) {
        if (!hooks.complete(check, result)) {
            return noLongerWaiting(check, cluster, tasks, drain);
        }
        long waited = Duration.between(IsoInstant.parse(check.startedAt()), clock.instant()).toSeconds();
        log.atInfo().addKeyValue("eventId", check.eventId()).addKeyValue("instanceId", check.instanceId())
                .addKeyValue("autoScalingGroupName", check.autoScalingGroupName())
                .addKeyValue("lifecycleHookName", check.lifecycleHookName()).addKeyValue("result", result)
                .addKeyValue("checks", check.checks() + 1).addKeyValue("waitedSeconds", waited)
                .log("lifecycle hook completed with {}: {}", result, reason);
        metrics.count("HookCompletions", Map.of("Transition", check.kind().name(), "Result", result));
        metrics.put("HookWaitSeconds", waited, "Seconds", Map.of("Transition", check.kind().name()));
        return HookResult.completed(check, how, result, reason, cluster, tasks, drain, config.dryRun());
    }

    private HookResult noLongerWaiting(HookWaitState check, String cluster, Integer tasks, DrainResult drain) {
        String reason = clock.instant().isBefore(check.globalTimeoutAt())
                ? "the lifecycle action is no longer waiting (completed by an earlier delivery, or timed out)"
                : "the lifecycle action is no longer waiting: its GlobalTimeout passed at " + check.globalTimeoutAt()
                        + " and Auto Scaling ended it with the hook's DefaultResult";
        log.atInfo().addKeyValue("eventId", check.eventId()).addKeyValue("instanceId", check.instanceId())
                .addKeyValue("lifecycleHookName", check.lifecycleHookName()).log(reason);
        return HookResult.alreadyCompleted(check, reason, cluster, tasks, drain, config.dryRun());
    }

    /** Where the instance is now: the remembered container instance (one call), or a search of the managed clusters. */
    private Optional<FoundInstance> locate(HookWaitState check) {
        if (check.cluster() == null) {
            return directory.find(check.instanceId());
        }
        try {
            for (ContainerInstance instance : ecs.describeContainerInstances(r -> r.cluster(check.cluster())
                    .containerInstances(check.containerInstanceArn()).include(ContainerInstanceField.TAGS)).containerInstances()) {
                if (check.instanceId().equals(instance.ec2InstanceId()) && !"INACTIVE".equals(instance.status())) {
                    return Optional.of(new FoundInstance(check.cluster(), instance));
                }
            }
        } catch (ClusterNotFoundException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
