package dev.deckhand.rebalance.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.deckhand.core.aws.AwsCallCounter;
import dev.deckhand.core.aws.AwsClients;
import dev.deckhand.core.aws.SnapStartPriming;
import dev.deckhand.core.aws.TaskReader;
import dev.deckhand.core.config.Env;
import dev.deckhand.core.event.BadEventException;
import dev.deckhand.core.event.EventEnvelope;
import dev.deckhand.core.event.EventInvocation;
import dev.deckhand.core.event.EventParser;
import dev.deckhand.core.event.EventTypes;
import dev.deckhand.core.log.Metrics;
import dev.deckhand.rebalance.RebalanceConfig;
import dev.deckhand.rebalance.executor.ClusterTasksReader;
import dev.deckhand.rebalance.executor.RebalanceResult;
import dev.deckhand.rebalance.executor.Rebalancer;
import dev.deckhand.rebalance.planner.RebalancePlanner;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * Lambda entry point of rebalance-tasks. Three triggers: a service's deployment completed (that
 * service), new capacity joined a cluster (the whole cluster), and the sweep schedule (every
 * managed cluster). Container-instance events that are not new capacity, and clusters Deckhand
 * does not manage, are dropped before any AWS call.
 * Handler string: {@code dev.deckhand.rebalance.handler.RebalanceTasksHandler::handleRequest}.
 */
public final class RebalanceTasksHandler implements RequestStreamHandler {

    private static final Logger log = LoggerFactory.getLogger(RebalanceTasksHandler.class);

    /** What SnapStart priming parses before the snapshot (a deployment-completed event; never acted on). */
    private static final String PRIMING_EVENT = """
            {"version":"0","id":"ddca6449-b258-46c0-8653-e0e3a6d0468b","detail-type":"ECS Deployment State Change",
             "source":"aws.ecs","account":"123456789012","time":"2026-11-22T10:00:00Z","region":"us-east-2",
             "resources":[],"detail":{"eventType":"INFO","eventName":"SERVICE_DEPLOYMENT_COMPLETED","deploymentId":"ecs-svc/1"}}""";
    private static final Pattern SERVICE_ARN = Pattern.compile("arn:[\\w-]+:ecs:[\\w-]+:\\d{12}:service/([A-Za-z0-9_-]{1,255})/([A-Za-z0-9_-]{1,255})");

    private final EventParser parser = new EventParser();
    private final RebalanceConfig config;
    private final EcsClient ecs;
    private final Rebalancer rebalancer;
    private final AwsCallCounter calls;

    public RebalanceTasksHandler() {
        this(RebalanceConfig.from(Env.system()), new AwsCallCounter());
        SnapStartPriming.register("rebalance-tasks", parser, PRIMING_EVENT, DeploymentStateChange.class,
                () -> ecs.listClusters(r -> r.maxResults(1)));
    }

    private RebalanceTasksHandler(RebalanceConfig config, AwsCallCounter calls) {
        this(config, AwsClients.build(EcsClient.builder(), calls), calls, Clock.systemUTC());
    }

    public RebalanceTasksHandler(RebalanceConfig config, EcsClient ecs, AwsCallCounter calls, Clock clock) {
        this.config = config;
        this.ecs = ecs;
        this.calls = calls;
        this.rebalancer = new Rebalancer(ecs, new ClusterTasksReader(ecs, new TaskReader(ecs)), new RebalancePlanner(), config,
                new Metrics("rebalance-tasks", clock), clock);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        EventInvocation.run(context == null ? null : context.getAwsRequestId(), calls, log, "rebalance", parser.mapper(), output, () -> {
            EventEnvelope event = parser.parse(input);
            MDC.put("eventId", event.id());
            return handle(event).withAwsCalls(calls.byOperation());
        });
    }

    private RebalanceResult handle(EventEnvelope event) {
        if (!config.region().equals(event.region())) {
            throw new BadEventException("event field `region` is " + EventParser.abbreviate(event.region())
                    + " but this function acts in " + config.region());
        }
        if (event.is(EventTypes.SOURCE_ECS, EventTypes.ECS_DEPLOYMENT_STATE_CHANGE)) {
            parser.detail(event, DeploymentStateChange.class);
            if (event.resources().isEmpty()) {
                throw new BadEventException("event field `resources` must name the service");
            }
            Matcher service = SERVICE_ARN.matcher(event.resources().get(0));
            if (!service.matches()) {
                throw new BadEventException("event field `resources[0]` is not an ECS service ARN (with its cluster): "
                        + EventParser.abbreviate(event.resources().get(0)));
            }
            return run(event, "DEPLOYMENT_COMPLETED", List.of(service.group(1)), service.group(2));
        }
        if (event.is(EventTypes.SOURCE_ECS, EventTypes.ECS_CONTAINER_INSTANCE_STATE_CHANGE)) {
            ContainerInstanceStateChange change = parser.detail(event, ContainerInstanceStateChange.class);
            EventParser.requireInScope(event, "detail.clusterArn", change.clusterArn());
            if (!change.isNewCapacity()) {
                return ignored(event, "NEW_CAPACITY", "not new capacity (ACTIVE, agent connected, no task): nothing to do");
            }
            return run(event, "NEW_CAPACITY", List.of(change.cluster()), null);
        }
        if (event.is(EventTypes.SOURCE_EVENTS, EventTypes.SCHEDULED_EVENT)) {
            List<String> clusters = new ArrayList<>();
            if (config.clusters().isAll()) {
                ecs.listClustersPaginator(r -> r.maxResults(100)).clusterArns()
                        .forEach(arn -> clusters.add(arn.substring(arn.lastIndexOf('/') + 1)));
            } else {
                clusters.addAll(config.clusters().names());
            }
            return run(event, "SWEEP", clusters, null);
        }
        throw new BadEventException("rebalance-tasks does not handle source `" + EventParser.abbreviate(event.source())
                + "` with detail-type `" + EventParser.abbreviate(event.detailType()) + "`");
    }

    private RebalanceResult run(EventEnvelope event, String trigger, List<String> clusters, String service) {
        List<RebalanceResult.ClusterResult> results = new ArrayList<>();
        for (String cluster : clusters) {
            if (!config.clusters().contains(cluster)) {
                log.atInfo().addKeyValue("cluster", cluster).log("cluster {} is not managed (DECKHAND_CLUSTERS); nothing to do", cluster);
                continue;
            }
            results.add(rebalancer.rebalance(cluster, service, event.id()));
        }
        if (results.isEmpty()) {
            return new RebalanceResult(event.id(), trigger, "NOT_MANAGED", "no managed cluster named by the event", config.dryRun(),
                    results, null);
        }
        if (results.stream().allMatch(r -> r.gone() != null)) {
            return new RebalanceResult(event.id(), trigger, "GONE", results.stream().map(RebalanceResult.ClusterResult::gone)
                    .collect(java.util.stream.Collectors.joining("; ")), config.dryRun(), results, null);
        }
        int stopped = results.stream().mapToInt(r -> r.stopped().size()).sum();
        return new RebalanceResult(event.id(), trigger, stopped == 0 ? "BALANCED" : config.dryRun() ? "DRY_RUN_REBALANCE" : "REBALANCED",
                stopped + " task(s) " + (config.dryRun() ? "would be stopped" : "stopped") + " in " + results.size() + " cluster(s)",
                config.dryRun(), results, null);
    }

    private RebalanceResult ignored(EventEnvelope event, String trigger, String reason) {
        log.atDebug().log(reason);
        return new RebalanceResult(event.id(), trigger, "IGNORED", reason, config.dryRun(), List.of(), null);
    }
}
