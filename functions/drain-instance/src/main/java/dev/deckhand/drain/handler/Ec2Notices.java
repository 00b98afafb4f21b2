package dev.deckhand.drain.handler;

import dev.deckhand.core.event.EventEnvelope;
import dev.deckhand.core.event.SpotInstanceNotice;
import dev.deckhand.drain.planner.DrainRequest;
import dev.deckhand.drain.planner.DrainedFor;
import dev.deckhand.drain.planner.Signal;
import java.time.Duration;

/**
 * The EC2 notices drain-instance acts on, each as the {@link DrainRequest} it becomes.
 *
 * <pre>{@code
 * DrainRequest request = Ec2Notices.spotWarning(event, parser.detail(event, SpotInstanceNotice.class));
 * }</pre>
 */
final class Ec2Notices {

    /** A Spot interruption warning comes two minutes ahead (EC2 User Guide, "Spot Instance interruption notices"). */
    static final Duration SPOT_WARNING = Duration.ofMinutes(2);

    private Ec2Notices() {
    }

    /**
     * EC2 sends the warning two minutes before it stops, terminates or hibernates a Spot Instance;
     * hibernation starts at once.
     */
    static DrainRequest spotWarning(EventEnvelope event, SpotInstanceNotice notice) {
        boolean immediate = "hibernate".equals(notice.action());
        // stop and hibernate bring the instance back with the same container instance: re-activated when it runs
        boolean stop = "stop".equals(notice.action()) || immediate;
        return new DrainRequest(event.id(), notice.instanceId(), Signal.SPOT_INTERRUPTION,
                immediate ? event.time() : event.time().plus(SPOT_WARNING), stop ? DrainedFor.STOP : DrainedFor.TERMINATION);
    }

    static DrainRequest rebalanceRecommendation(EventEnvelope event, SpotInstanceNotice notice) {
        return new DrainRequest(event.id(), notice.instanceId(), Signal.REBALANCE_RECOMMENDATION, null, DrainedFor.REBALANCE);
    }

    /** Running: re-activate what Deckhand drained for a stop; stopping or shutting down: drain; any other state is refused. */
    static DrainRequest stateChange(EventEnvelope event, InstanceStateChange change) {
        if (change.running()) {
            return new DrainRequest(event.id(), change.instanceId(), Signal.INSTANCE_RUNNING, null);
        }
        change.requireLeaving();
        return new DrainRequest(event.id(), change.instanceId(), Signal.STATE_CHANGE, null,
                change.stopping() ? DrainedFor.STOP : DrainedFor.TERMINATION);
    }
}
