package dev.deckhand.drain.executor;

import dev.deckhand.drain.DrainConfig;
import dev.deckhand.drain.planner.DrainOutcome;
import dev.deckhand.drain.planner.DrainRequest;
import dev.deckhand.drain.planner.RebalanceWatch;
import dev.deckhand.drain.planner.Signal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bound on a drain for a rebalance recommendation. Auto Scaling's Capacity Rebalancing launches a
 * replacement and then terminates the instance, but "being at or near the specified maximum capacity
 * could impede or completely halt rebalancing activities" (EC2 Auto Scaling User Guide, "Capacity
 * Rebalancing in Auto Scaling to replace at-risk Spot Instances"). So each such drain sends a
 * {@link RebalanceWatch} to the recheck queue; {@code DECKHAND_REBALANCE_DRAIN_MAX} after the drain it
 * reads the instance's lifecycle state in its group (DescribeAutoScalingInstances), and an instance
 * still InService is set ACTIVE again ({@link Signal#REBALANCE_UNREPLACED}), if still drained for that.
 *
 * <pre>{@code
 * watcher.start(request, result);          // after a drain for a rebalance recommendation
 * DrainResult back = watcher.check(watch); // from a recheck-queue message; null while it waits or when replaced
 * }</pre>
 */
public final class ReplacementWatcher {

    private static final Logger log = LoggerFactory.getLogger(ReplacementWatcher.class);

    private final InstanceDrainer drainer;
    private final CapacityRebalancing rebalancing;
    private final RecheckQueue queue;
    private final DrainConfig config;
    private final Clock clock;

    public ReplacementWatcher(InstanceDrainer drainer, CapacityRebalancing rebalancing, RecheckQueue queue, DrainConfig config, Clock clock) {
        this.drainer = drainer;
        this.rebalancing = rebalancing;
        this.queue = queue;
        this.config = config;
        this.clock = clock;
    }

    /** Sends the watch's first hop when {@code result} drained the instance for a rebalance recommendation. */
    void start(DrainRequest request, DrainResult result) {
        if (request.signal() != Signal.REBALANCE_RECOMMENDATION || result.decision() != DrainOutcome.DRAIN) {
            return;
        }
        Instant now = clock.instant();
        RebalanceWatch watch = RebalanceWatch.of(request.eventId(), request.instanceId(), now, config.rebalanceDrainMax());
        queue.send(watch, watch.nextCheck(now));
    }

    public DrainResult check(RebalanceWatch watch) {
        Instant now = clock.instant();
        String lifecycleState = watch.due(now) ? rebalancing.lifecycleState(watch.instanceId()) : null;
        switch (watch.step(now, lifecycleState)) {
            case WAIT -> {
                Duration wait = watch.nextCheck(now);
                queue.send(watch.next(), wait);
                log.atDebug().addKeyValue("eventId", watch.eventId()).addKeyValue("instanceId", watch.instanceId())
                        .addKeyValue("hops", watch.hops() + 1).log("waiting for Auto Scaling's replacement; next check in {} s", wait.toSeconds());
                return null;
            }
            case REPLACED -> {
                log.atInfo().addKeyValue("eventId", watch.eventId()).addKeyValue("instanceId", watch.instanceId())
                        .addKeyValue("lifecycleState", lifecycleState)
                        .log("the instance drained for a rebalance recommendation is {}: the drain stays",
                                lifecycleState == null ? "in no Auto Scaling group any more" : lifecycleState);
                return null;
            }
            default -> {
                return drainer.drain(new DrainRequest(watch.eventId(), watch.instanceId(), Signal.REBALANCE_UNREPLACED, null));
            }
        }
    }
}
