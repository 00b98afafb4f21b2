package dev.deckhand.ticket.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.deckhand.core.aws.AwsCallCounter;
import dev.deckhand.core.aws.AwsClients;
import dev.deckhand.core.aws.ClusterDirectory;
import dev.deckhand.core.config.Env;
import dev.deckhand.core.event.EventInvocation;
import dev.deckhand.core.event.EventParser;
import dev.deckhand.core.event.EventRouter;
import dev.deckhand.core.event.EventTypes;
import dev.deckhand.core.log.Metrics;
import dev.deckhand.ticket.TicketConfig;
import dev.deckhand.ticket.executor.ActiveFindings;
import dev.deckhand.ticket.executor.EvidenceReader;
import dev.deckhand.ticket.executor.LaunchEvidenceReader;
import dev.deckhand.ticket.executor.TicketDispatcher;
import dev.deckhand.ticket.executor.TicketFlow;
import dev.deckhand.ticket.executor.TicketResult;
import dev.deckhand.ticket.planner.TicketRequest;
import dev.deckhand.ticket.sink.HttpSender;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.inspector2.Inspector2Client;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Lambda entry point of open-ticket. ECR basic-scan results and Inspector findings become one
 * deduplicated ticket per image (ECR) or per repository and vulnerability (Inspector), with where
 * the image runs; failed deployments, placement failures and start failures become one ticket per
 * deployment (or service, event and day) with the stopped tasks as evidence; ECS deployments
 * starting, succeeding and failing become one chat line each; launch failures and capacity
 * shortages one ticket per group or lever, closed when it launches or capacity is back.
 * Each event becomes one {@link TicketRequest} ({@link RequestParser}), which {@link TicketFlow} takes.
 * Handler string: {@code dev.deckhand.ticket.handler.OpenTicketHandler::handleRequest}.
 */
public final class OpenTicketHandler implements RequestStreamHandler {

    private static final Logger log = LoggerFactory.getLogger(OpenTicketHandler.class);

    /** The clients and the HTTP sender a handler uses; tests build their own. */
    public record Clients(EcrClient ecr, EcsClient ecs, CodeDeployClient codeDeploy, SsmClient ssm, Inspector2Client inspector,
                          AutoScalingClient autoScaling, Ec2Client ec2, HttpSender http) {
    }

    private final EventParser parser = new EventParser();
    private final AwsCallCounter calls;
    private final HttpSender http;
    private final TicketFlow flow;
    private final EventRouter<TicketRequest> router;

    public OpenTicketHandler() {
        this(TicketConfig.from(Env.system()), new AwsCallCounter());
    }

    private OpenTicketHandler(TicketConfig config, AwsCallCounter calls) {
        this(config, new Clients(AwsClients.build(EcrClient.builder(), calls), AwsClients.build(EcsClient.builder(), calls),
                AwsClients.build(CodeDeployClient.builder(), calls), AwsClients.build(SsmClient.builder(), calls),
                AwsClients.build(Inspector2Client.builder(), calls), AwsClients.build(AutoScalingClient.builder(), calls),
                AwsClients.build(Ec2Client.builder(), calls), HttpSender.standard(config.httpMaxAttempts(), config.httpMaxRetryAfter())), calls, Clock.systemUTC());
    }

    /** The sinks' secrets are read from SSM here ({@link TicketDispatcher#of}), once per container. */
    public OpenTicketHandler(TicketConfig config, Clients clients, AwsCallCounter calls, Clock clock) {
        this.calls = calls;
        this.http = clients.http();
        this.flow = new TicketFlow(config,
                new EvidenceReader(clients.ecr(), clients.ecs(), clients.codeDeploy(), new ClusterDirectory(clients.ecs(), config.clusters(), clock),
                        config.maxClusters()),
                new LaunchEvidenceReader(clients.autoScaling(), clients.ec2()), new ActiveFindings(clients.inspector()),
                TicketDispatcher.of(config, clients.ssm(), http, parser.mapper(), new Metrics("open-ticket", clock)));
        RequestParser requests = new RequestParser(parser);
        this.router = new EventRouter<TicketRequest>("open-ticket", config.region())
                .on(EventTypes.SOURCE_ECR, EventTypes.ECR_IMAGE_SCAN, requests::imageScan)
                .on(EventTypes.SOURCE_INSPECTOR, EventTypes.INSPECTOR_FINDING, requests::inspector)
                .on(EventTypes.SOURCE_ECS, EventTypes.ECS_DEPLOYMENT_STATE_CHANGE, requests::deployment)
                .on(EventTypes.SOURCE_ECS, EventTypes.ECS_SERVICE_ACTION, requests::serviceAction)
                .on(EventTypes.SOURCE_CODEDEPLOY, EventTypes.CODEDEPLOY_DEPLOYMENT, requests::codeDeploy)
                .on(EventTypes.SOURCE_AUTOSCALING, EventTypes.LAUNCH_UNSUCCESSFUL, requests::groupLaunchFailed)
                .on(EventTypes.SOURCE_AUTOSCALING, EventTypes.LAUNCH_SUCCESSFUL, requests::groupLaunched)
                .on(EventTypes.SOURCE_EC2_FLEET, EventTypes.EC2_FLEET_ERROR, requests::fleetError)
                .on(EventTypes.SOURCE_SPOT_FLEET, EventTypes.SPOT_FLEET_ERROR, requests::fleetError)
                .on(EventTypes.SOURCE_EC2_FLEET, EventTypes.EC2_FLEET_INSTANCE_CHANGE, requests::fleetInstanceChange)
                .on(EventTypes.SOURCE_SPOT_FLEET, EventTypes.SPOT_FLEET_INSTANCE_CHANGE, requests::fleetInstanceChange)
                .on(EventTypes.SOURCE_DECKHAND, EventTypes.CAPACITY_SHORTAGE, requests::capacityShortage);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        EventInvocation.run(context == null ? null : context.getAwsRequestId(), calls, log, "ticket", parser.mapper(), output, () -> {
            http.reset();
            TicketResult result = flow.handle(router.route(parser.parse(input)));
            log.atInfo().addKeyValue("decision", result.decision().name()).addKeyValue("kind", result.trigger().name())
                    .addKeyValue("fingerprint", result.fingerprint()).addKeyValue("priority", result.priority())
                    .addKeyValue("awsCalls", calls.byOperation()).addKeyValue("httpRequests", http.requests())
                    .log("{}: {}", result.decision(), result.reason());
            return result.withHttpRequests(http.requests());
        });
    }

}
