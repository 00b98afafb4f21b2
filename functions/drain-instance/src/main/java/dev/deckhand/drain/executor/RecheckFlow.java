package dev.deckhand.drain.executor;

import dev.deckhand.drain.DrainConfig;
import dev.deckhand.drain.planner.HookWaitState;
import dev.deckhand.drain.planner.RebalanceWatch;
import dev.deckhand.drain.planner.Recheck;
import dev.deckhand.drain.planner.RetirementDeferral;
import dev.deckhand.drain.planner.ScheduledDrain;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One message from the recheck queue to its flow: a lifecycle hook's next check to {@link HookFlow},
 * a scheduled drain's next hop to {@link HealthDrains}, a deferred retirement to {@link RetirementGate},
 * a rebalance drain's bound to {@link ReplacementWatcher}.
 * A failure is not thrown but reported (false), so SQS redelivers only that message of the batch:
 * a hook check that may be retried comes back sooner, within the hook's time left; on its last receive
 * a failing hook check completes the hook instead.
 *
 * <pre>{@code
 * boolean done = rechecks.run(new Recheck(messageId, receiptHandle, receives, message));
 * }</pre>
 */
public final class RecheckFlow {

    private static final Logger log = LoggerFactory.getLogger(RecheckFlow.class);

    private final HookFlow hooks;
    private final HealthDrains health;
    private final RetirementGate retirements;
    private final ReplacementWatcher replacementWatcher;
    private final DrainConfig config;

    public RecheckFlow(HookFlow hooks, HealthDrains health, RetirementGate retirements, ReplacementWatcher replacementWatcher,
                       DrainConfig config) {
        this.hooks = hooks;
        this.health = health;
        this.retirements = retirements;
        this.replacementWatcher = replacementWatcher;
        this.config = config;
    }

    /** True when the message is done; false when it failed and is to be reported in {@code batchItemFailures}. */
    public boolean run(Recheck recheck) {
        MDC.put("eventId", recheck.message().eventId());
        if (recheck.message() instanceof RetirementDeferral deferral) {
            return redeliveredOnFailure("deferred retirement", deferral.instanceId(), recheck.messageId(), () -> retirements
                    .request(deferral.eventId(), deferral.instanceId(), deferral.reason(), deferral.requestedBy(), deferral.deferrals()));
        }
        if (recheck.message() instanceof ScheduledDrain hop) {
            return redeliveredOnFailure("scheduled drain check", hop.instanceId(), recheck.messageId(), () -> health.check(hop));
        }
        if (recheck.message() instanceof RebalanceWatch watch) {
            return redeliveredOnFailure("rebalance watch", watch.instanceId(), recheck.messageId(), () -> replacementWatcher.check(watch));
        }
        return hookCheck((HookWaitState) recheck.message(), recheck);
    }

    private boolean hookCheck(HookWaitState check, Recheck recheck) {
        int receives = recheck.receives();
        try {
            hooks.check(check);
            return true;
        } catch (RuntimeException e) {
            if (receives >= config.recheckMaxReceives()) {
                try {
                    hooks.giveUp(check, e);
                    return true;
                } catch (RuntimeException giveUpFailure) {
                    e.addSuppressed(giveUpFailure);
                }
                log.atWarn().setCause(e).addKeyValue("messageId", recheck.messageId()).addKeyValue("receives", receives)
                        .log("lifecycle hook check failed, and so did completing the hook; SQS delivers it again");
            } else {
                hooks.retrySoon(check, recheck.receiptHandle(), receives, e);
            }
            return false;
        }
    }

    /**
     * A scheduled drain's hop, a deferred retirement, a rebalance drain's bound. A failure is reported
     * in {@code batchItemFailures}: SQS delivers it again after the queue's visibility timeout (360 s,
     * well inside a drain lead), and after the queue's last receive it goes to the failure queue,
     * whose alarm fires.
     */
    private static boolean redeliveredOnFailure(String what, String instanceId, String messageId, Runnable work) {
        try {
            work.run();
            return true;
        } catch (RuntimeException e) {
            log.atWarn().setCause(e).addKeyValue("messageId", messageId).addKeyValue("instanceId", instanceId)
                    .log("{} failed; SQS delivers it again after the queue's visibility timeout", what);
            return false;
        }
    }
}
