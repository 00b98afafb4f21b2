package dev.deckhand.rebalance.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.deckhand.core.aws.AwsCallCounter;
import dev.deckhand.core.aws.AwsClients;
import dev.deckhand.core.aws.ClusterDirectory;
import dev.deckhand.core.aws.SnapStartPriming;
import dev.deckhand.core.aws.TaskReader;
import dev.deckhand.core.config.Env;
import dev.deckhand.core.event.BadEventException;
import dev.deckhand.core.event.EcsArns;
import dev.deckhand.core.event.EventEnvelope;
import dev.deckhand.core.event.EventInvocation;
import dev.deckhand.core.event.EventParser;
import dev.deckhand.core.event.EventRouter;
import dev.deckhand.core.event.EventTypes;
import dev.deckhand.core.log.Metrics;
import dev.deckhand.rebalance.RebalanceConfig;
import dev.deckhand.rebalance.executor.ClusterTasksReader;
import dev.deckhand.rebalance.executor.RebalanceFlow;
import dev.deckhand.rebalance.executor.Rebalancer;
import dev.deckhand.rebalance.planner.RebalancePlanner;
import dev.deckhand.rebalance.planner.RebalanceRequest;
import dev.deckhand.rebalance.planner.Trigger;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * Lambda entry point of rebalance-tasks: parses each event into one {@link RebalanceRequest} and hands it
 * to {@link RebalanceFlow}. Three triggers: a service's deployment completed (that service), new
 * capacity joined a cluster (the whole cluster), and the sweep schedule (every managed cluster).
 * Container-instance events that are not new capacity, and clusters Deckhand does not manage, are
 * dropped before any AWS call.
 * Handler string: {@code dev.deckhand.rebalance.handler.RebalanceTasksHandler::handleRequest}.
 */
public final class RebalanceTasksHandler implements RequestStreamHandler {

    private static final Logger log = LoggerFactory.getLogger(RebalanceTasksHandler.class);

    /** What SnapStart priming parses before the snapshot (a deployment-completed event; never acted on). */
    private static final String PRIMING_EVENT = """
            {"version":"0","id":"ddca6449-b258-46c0-8653-e0e3a6d0468b","detail-type":"ECS Deployment State Change",
             "source":"aws.ecs","account":"123456789012","time":"2026-11-22T10:00:00Z","region":"us-east-2",
             "resources":[],"detail":{"eventType":"INFO","eventName":"SERVICE_DEPLOYMENT_COMPLETED","deploymentId":"ecs-svc/1"}}""";
    private final EventParser parser = new EventParser();
    private final EcsClient ecs;
    private final RebalanceFlow flow;
    private final AwsCallCounter calls;
    private final EventRouter<RebalanceRequest> router;

    public RebalanceTasksHandler() {
        this(RebalanceConfig.from(Env.system()), new AwsCallCounter());
        SnapStartPriming.register("rebalance-tasks", parser, PRIMING_EVENT, DeploymentStateChange.class,
                () -> ecs.listClusters(r -> r.maxResults(1)));
    }

    private RebalanceTasksHandler(RebalanceConfig config, AwsCallCounter calls) {
        this(config, AwsClients.build(EcsClient.builder(), calls), calls, Clock.systemUTC());
    }

    public RebalanceTasksHandler(RebalanceConfig config, EcsClient ecs, AwsCallCounter calls, Clock clock) {
        this.ecs = ecs;
        this.calls = calls;
        this.flow = new RebalanceFlow(config, new ClusterDirectory(ecs, config.clusters(), clock),
                new Rebalancer(ecs, new ClusterTasksReader(ecs, new TaskReader(ecs)), new RebalancePlanner(), config,
                        new Metrics("rebalance-tasks", clock), clock));
        this.router = new EventRouter<RebalanceRequest>("rebalance-tasks", config.region())
                .on(EventTypes.SOURCE_ECS, EventTypes.ECS_DEPLOYMENT_STATE_CHANGE, this::deploymentCompleted)
                .on(EventTypes.SOURCE_ECS, EventTypes.ECS_CONTAINER_INSTANCE_STATE_CHANGE, this::containerInstance)
                .on(EventTypes.SOURCE_EVENTS, EventTypes.SCHEDULED_EVENT, event -> RebalanceRequest.sweep(event.id()));
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        EventInvocation.run(context == null ? null : context.getAwsRequestId(), calls, log, "rebalance", parser.mapper(), output, () -> {
            return flow.run(router.route(parser.parse(input)));
        });
    }

    private RebalanceRequest deploymentCompleted(EventEnvelope event) {
        parser.detail(event, DeploymentStateChange.class);
        EcsArns.Service service = EcsArns.service(event);
        if (service.cluster() == null) {
            // The deployment's detail names no cluster either: there is no cluster to read.
            throw new BadEventException("event field `resources[0]` is not an ECS service ARN with its cluster (a short ARN, of a"
                    + " service created before 2021): " + EventParser.abbreviate(service.arn()));
        }
        return RebalanceRequest.deploymentCompleted(event.id(), service.cluster(), service.name());
    }

    private RebalanceRequest containerInstance(EventEnvelope event) {
        ContainerInstanceStateChange change = parser.detail(event, ContainerInstanceStateChange.class);
        EventParser.requireInScope(event, "detail.clusterArn", change.clusterArn());
        if (!change.isNewCapacity()) {
            return RebalanceRequest.nothingToDo(event.id(), Trigger.NEW_CAPACITY,
                    "not new capacity (ACTIVE, agent connected, no task): nothing to do");
        }
        return RebalanceRequest.newCapacity(event.id(), change.cluster());
    }
}
