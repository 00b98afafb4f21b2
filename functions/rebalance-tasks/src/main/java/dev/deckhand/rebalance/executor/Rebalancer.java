package dev.deckhand.rebalance.executor;

import dev.deckhand.core.aws.EcsGone;
import dev.deckhand.core.log.Metrics;
import dev.deckhand.rebalance.RebalanceConfig;
import dev.deckhand.rebalance.planner.Node;
import dev.deckhand.rebalance.planner.Plan;
import dev.deckhand.rebalance.planner.RebalancePlanner;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;

/**
 * Rebalances one cluster (or one service of it): reads it, asks {@link RebalancePlanner}, stops the
 * chosen tasks (StopTask, with a reason naming Deckhand), each service's after tagging it with
 * {@code deckhand:rebalanced-at} for the cooldown. The ECS service scheduler starts the
 * replacements, spread by its placement strategy. Dry run: plans and logs, stops nothing.
 *
 * <pre>{@code
 * RebalanceResult.ClusterResult done = rebalancer.rebalance("demo-web", "web-frontend", eventId);
 * }</pre>
 */
public final class Rebalancer {

    private static final Logger log = LoggerFactory.getLogger(Rebalancer.class);

    private final EcsClient ecs;
    private final ClusterTasksReader reader;
    private final RebalancePlanner planner;
    private final RebalanceConfig config;
    private final Metrics metrics;
    private final Clock clock;

    public Rebalancer(EcsClient ecs, ClusterTasksReader reader, RebalancePlanner planner, RebalanceConfig config, Metrics metrics,
                      Clock clock) {
        this.ecs = ecs;
        this.reader = reader;
        this.planner = planner;
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
    }

    public RebalanceResult.ClusterResult rebalance(String cluster, String onlyService, String eventId) {
        // A cluster or service deleted since the event is GONE, not a failure: EcsGone, where every function decides it.
        return EcsGone.orElse(eventId, cluster, onlyService, () -> rebalanceExisting(cluster, onlyService, eventId),
                why -> RebalanceResult.ClusterResult.gone(cluster, onlyService, why));
    }

    private RebalanceResult.ClusterResult rebalanceExisting(String cluster, String onlyService, String eventId) {
        ClusterTasksReader.Snapshot snapshot = reader.read(cluster, onlyService);
        if (onlyService != null && !snapshot.serviceArns().containsKey(onlyService)) {
            // DescribeServices reports it MISSING, or DRAINING / INACTIVE: deleted since the event.
            throw new EcsGone.ServiceGoneException("service " + cluster + "/" + onlyService + " no longer exists (deleted: not ACTIVE)");
        }
        Plan plan = planner.plan(snapshot.nodes(), snapshot.services(), config.budget(), clock.instant());
        Map<String, String> instanceOf = new HashMap<>();
        for (Node node : snapshot.nodes()) {
            instanceOf.put(node.arn(), node.ec2InstanceId());
        }
        List<RebalanceResult.Stopped> stopped = new ArrayList<>();
        Set<String> tagged = new HashSet<>();
        String now = clock.instant().toString();
        for (Plan.TaskStop stop : plan.stops()) {
            if (!config.dryRun() && tagged.add(stop.service())) {
                // The cooldown tag goes first: if this run fails halfway, its retry finds the service
                // cooling down and stops no more of its tasks, so no part is done twice.
                ecs.tagResource(r -> r.resourceArn(snapshot.serviceArns().get(stop.service()))
                        .tags(t -> t.key(ClusterTasksReader.REBALANCED_AT_TAG).value(now)));
            }
            if (!config.dryRun()) {
                try {
                    ecs.stopTask(r -> r.cluster(cluster).task(stop.taskArn()).reason(
                            "Deckhand rebalance-tasks: evening out " + stop.service() + " (" + stop.reason() + "); event " + eventId));
                } catch (InvalidParameterException e) {
                    // Gone since it was read (stopped, or the scheduler replaced it): nothing to stop.
                    log.atInfo().addKeyValue("taskArn", stop.taskArn()).log("task already gone: {}", e.awsErrorDetails().errorMessage());
                    continue;
                }
            }
            stopped.add(new RebalanceResult.Stopped(stop.service(), stop.taskArn(), instanceOf.get(stop.fromNode()),
                    instanceOf.get(stop.toNode()), stop.reason()));
            log.atInfo().addKeyValue("eventId", eventId).addKeyValue("cluster", cluster).addKeyValue("service", stop.service())
                    .addKeyValue("taskArn", stop.taskArn()).addKeyValue("from", instanceOf.get(stop.fromNode()))
                    .addKeyValue("dryRun", config.dryRun())
                    .log("{} task: {}", config.dryRun() ? "dry run, would stop" : "stopped", stop.reason());
        }
        Plan.Skew skew = plan.skew();
        log.atInfo().addKeyValue("eventId", eventId).addKeyValue("cluster", cluster).addKeyValue("service", onlyService)
                .addKeyValue("stopped", stopped.size()).addKeyValue("skipped", plan.skipped())
                .addKeyValue("maxReservedCpu", skew.maxReservedCpu()).addKeyValue("medianReservedCpu", skew.medianReservedCpu())
                .log("rebalanced {}: {} task(s) {}", cluster, stopped.size(), config.dryRun() ? "would be stopped" : "stopped");
        metrics.put("TasksRebalanced", stopped.size(), "Count", Map.of("Cluster", cluster));
        metrics.put("ReservedCpuSkew", skew.medianReservedCpu() == 0 ? skew.maxReservedCpu() : (double) skew.maxReservedCpu() / skew.medianReservedCpu(),
                "None", Map.of("Cluster", cluster));
        return new RebalanceResult.ClusterResult(cluster, onlyService, stopped, plan.skipped(), skew, null);
    }
}
