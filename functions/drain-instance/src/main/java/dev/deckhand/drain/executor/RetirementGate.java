package dev.deckhand.drain.executor;

import dev.deckhand.core.aws.ClusterDirectory;
import dev.deckhand.core.aws.ContainerInstanceReader;
import dev.deckhand.core.aws.FoundInstance;
import dev.deckhand.core.config.DisruptionBudget;
import dev.deckhand.core.log.Metrics;
import dev.deckhand.drain.DrainConfig;
import dev.deckhand.drain.planner.DrainOutcome;
import dev.deckhand.drain.planner.DrainRequest;
import dev.deckhand.drain.planner.RetirementDeferral;
import dev.deckhand.drain.planner.Signal;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerInstanceStatus;

/**
 * A retirement request (rotate-ami's, hold-capacity's) within the cluster's disruption budget: an
 * ACTIVE instance is drained only while the cluster's DRAINING instances are under
 * {@link DisruptionBudget#allowedDraining}; otherwise the request waits on the recheck queue and
 * comes back {@link RetirementDeferral#DEFER_FOR} later, at most {@link RetirementDeferral#MAX_DEFERRALS}
 * times. An instance already DRAINING, or in no managed cluster, goes to the drain as any signal does.
 *
 * <pre>{@code
 * DrainResult result = gate.request(event.id(), retirement.instanceId(), retirement.reason(), retirement.requestedBy(), 0);
 * }</pre>
 *
 * The count is read when each request arrives: requests handled at the same moment may each see the
 * same count (drain-instance is not serialized: a Spot warning must not wait behind a retirement).
 */
public final class RetirementGate {

    private static final Logger log = LoggerFactory.getLogger(RetirementGate.class);

    private final ContainerInstanceReader containerInstances;
    private final ClusterDirectory directory;
    private final InstanceDrainer drainer;
    private final RecheckQueue queue;
    private final DrainConfig config;
    private final Metrics metrics;

    public RetirementGate(EcsClient ecs, ClusterDirectory directory, InstanceDrainer drainer, RecheckQueue queue, DrainConfig config,
                          Metrics metrics) {
        this.containerInstances = new ContainerInstanceReader(ecs);
        this.directory = directory;
        this.drainer = drainer;
        this.queue = queue;
        this.config = config;
        this.metrics = metrics;
    }

    /** @param deferrals how many times this request has waited already (0 for the event itself) */
    public DrainResult request(String eventId, String instanceId, String reason, String requestedBy, int deferrals) {
        DrainRequest request = new DrainRequest(eventId, instanceId, Signal.RETIREMENT, null);
        Optional<FoundInstance> found = directory.find(instanceId);
        if (found.isEmpty() || !"ACTIVE".equals(found.get().status())) {
            return drainer.drain(request, found);
        }
        FoundInstance instance = found.get();
        DisruptionBudget budget = config.retirementBudget();
        int draining = count(instance.cluster(), ContainerInstanceStatus.DRAINING);
        int registered = count(instance.cluster(), null);
        int allowed = budget.allowedDraining(registered);
        if (budget.allows(draining, registered)) {
            return drainer.drain(request, found);
        }
        String full = "cluster " + instance.cluster() + " has " + draining + " of " + registered + " instances DRAINING, its budget "
                + allowed + " (RotateMaxDraining " + budget.maxDraining() + ", RotateMaxDrainingPercent " + budget.maxDrainingPercent() + "%)";
        DrainOutcome decision;
        String why;
        if (deferrals >= RetirementDeferral.MAX_DEFERRALS) {
            decision = DrainOutcome.GIVEN_UP;
            why = full + "; waited " + deferrals + " times, given up: " + (requestedBy == null ? "the requester" : requestedBy)
                    + " asks again";
        } else {
            decision = config.dryRun() ? DrainOutcome.DRY_RUN_DEFERRED : DrainOutcome.DEFERRED;
            why = full + "; looked at again in " + RetirementDeferral.DEFER_FOR.toMinutes() + " min (wait " + (deferrals + 1) + " of "
                    + RetirementDeferral.MAX_DEFERRALS + ")";
            if (!config.dryRun()) {
                queue.send(new RetirementDeferral(eventId, instanceId, reason, requestedBy, deferrals + 1), RetirementDeferral.DEFER_FOR);
            }
        }
        log.atInfo().addKeyValue("eventId", eventId).addKeyValue("signal", Signal.RETIREMENT.name()).addKeyValue("instanceId", instanceId)
                .addKeyValue("cluster", instance.cluster()).addKeyValue("decision", decision.name()).addKeyValue("dryRun", config.dryRun())
                .log(why);
        metrics.count("Decisions", Map.of("Signal", Signal.RETIREMENT.metricName(), "Decision", decision.name()));
        return DrainResult.of(eventId, Signal.RETIREMENT, instanceId, decision, why, config.dryRun()).on(instance).build();
    }

    /** The cluster's container instances in {@code status}; null: every status ListContainerInstances lists by default (not INACTIVE). */
    private int count(String cluster, ContainerInstanceStatus status) {
        return containerInstances.arns(cluster, status).size();
    }
}
