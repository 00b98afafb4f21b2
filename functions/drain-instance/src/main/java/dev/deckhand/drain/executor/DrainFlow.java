package dev.deckhand.drain.executor;

import dev.deckhand.core.event.DeckhandResult;
import dev.deckhand.drain.planner.DrainInstanceRequest;
import dev.deckhand.drain.planner.DrainRequest;
import dev.deckhand.drain.planner.HookStart;
import dev.deckhand.drain.planner.RetirementRequest;
import dev.deckhand.drain.planner.ScheduledChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where every event's request goes from the handler: to the flow that carries it out (a drain to
 * {@link InstanceDrainer}, and for a rebalance recommendation its bound to {@link ReplacementWatcher};
 * a scheduled change to {@link HealthDrains}, a retirement to {@link RetirementGate}, a hook's wait
 * to {@link HookFlow}), and back as the invocation's result.
 *
 * <pre>{@code
 * DeckhandResult result = flow.run(new DrainRequest(eventId, instanceId, Signal.SPOT_INTERRUPTION, deadline));
 * }</pre>
 */
public final class DrainFlow {

    private static final Logger log = LoggerFactory.getLogger(DrainFlow.class);

    private final InstanceDrainer drainer;
    private final HealthDrains health;
    private final RetirementGate retirements;
    private final HookFlow hooks;
    private final ReplacementWatcher replacementWatcher;

    public DrainFlow(InstanceDrainer drainer, HealthDrains health, RetirementGate retirements, HookFlow hooks,
                     ReplacementWatcher replacementWatcher) {
        this.drainer = drainer;
        this.health = health;
        this.retirements = retirements;
        this.hooks = hooks;
        this.replacementWatcher = replacementWatcher;
    }

    public DeckhandResult run(DrainInstanceRequest request) {
        if (request instanceof DrainRequest drain) {
            DrainResult result = drainer.drain(drain);
            replacementWatcher.start(drain, result);
            return result;
        }
        if (request instanceof ScheduledChange change) {
            return health.start(change);
        }
        if (request instanceof RetirementRequest retirement) {
            log.atInfo().addKeyValue("instanceId", retirement.instanceId()).addKeyValue("requestedBy", retirement.requestedBy())
                    .log("retirement requested: {}", retirement.reason());
            return retirements.request(retirement.eventId(), retirement.instanceId(), retirement.reason(), retirement.requestedBy(), 0);
        }
        HookStart hook = (HookStart) request;
        return hooks.start(hook.kind(), hook.eventId(), hook.instanceId(), hook.group(), hook.hook(), hook.token(), hook.eventTime(),
                hook.origin(), hook.destination());
    }
}
