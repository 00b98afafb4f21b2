package dev.deckhand.rebalance.executor;

import dev.deckhand.core.aws.ClusterDirectory;
import dev.deckhand.rebalance.RebalanceConfig;
import dev.deckhand.rebalance.executor.RebalanceResult.ClusterResult;
import dev.deckhand.rebalance.planner.Outcome;
import dev.deckhand.rebalance.planner.RebalanceRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One rebalance request from start to result: the clusters it names (the sweep lists every managed
 * cluster through {@link ClusterDirectory}), those Deckhand does not manage left out before any AWS
 * call, each of the rest through {@link Rebalancer}, and the run's {@link Outcome}.
 *
 * <pre>{@code
 * RebalanceResult result = flow.run(RebalanceRequest.sweep(eventId));
 * }</pre>
 */
public final class RebalanceFlow {

    private static final Logger log = LoggerFactory.getLogger(RebalanceFlow.class);

    private final RebalanceConfig config;
    private final ClusterDirectory directory;
    private final Rebalancer rebalancer;

    public RebalanceFlow(RebalanceConfig config, ClusterDirectory directory, Rebalancer rebalancer) {
        this.config = config;
        this.directory = directory;
        this.rebalancer = rebalancer;
    }

    public RebalanceResult run(RebalanceRequest request) {
        if (request.nothingToDo() != null) {
            log.atDebug().log(request.nothingToDo());
            return RebalanceResult.ignored(request.eventId(), request.trigger(), request.nothingToDo(), config.dryRun());
        }
        List<String> clusters = request.everyManagedCluster() ? directory.candidates() : request.clusters();
        List<ClusterResult> results = new ArrayList<>();
        for (String cluster : clusters) {
            if (!config.clusters().contains(cluster)) {
                log.atInfo().addKeyValue("cluster", cluster).log("cluster {} is not managed (DECKHAND_CLUSTERS); nothing to do", cluster);
                continue;
            }
            results.add(rebalancer.rebalance(cluster, request.service(), request.eventId()));
        }
        int gone = (int) results.stream().filter(r -> r.gone() != null).count();
        int stopped = results.stream().mapToInt(r -> r.stopped().size()).sum();
        Outcome outcome = Outcome.of(results.size(), gone, stopped, config.dryRun());
        String reason = switch (outcome) {
            case NOT_MANAGED -> "no managed cluster named by the event";
            case GONE -> results.stream().map(ClusterResult::gone).collect(Collectors.joining("; "));
            default -> stopped + " task(s) " + (config.dryRun() ? "would be stopped" : "stopped") + " in " + results.size()
                    + " cluster(s)";
        };
        return new RebalanceResult(request.eventId(), request.trigger(), outcome, reason, config.dryRun(), results);
    }
}
