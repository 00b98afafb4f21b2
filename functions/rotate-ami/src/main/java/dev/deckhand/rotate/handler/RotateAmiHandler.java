package dev.deckhand.rotate.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.deckhand.core.aws.AwsCallCounter;
import dev.deckhand.core.aws.AwsClients;
import dev.deckhand.core.config.Env;
import dev.deckhand.core.event.AmiRefreshRequested;
import dev.deckhand.core.event.BadEventException;
import dev.deckhand.core.event.EventEnvelope;
import dev.deckhand.core.event.EventInvocation;
import dev.deckhand.core.event.EventParser;
import dev.deckhand.core.event.EventTypes;
import dev.deckhand.core.log.Metrics;
import dev.deckhand.rotate.RotateConfig;
import dev.deckhand.rotate.executor.RotationResult;
import dev.deckhand.rotate.executor.Rotator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Lambda entry point of rotate-ami. Three triggers: the main schedule (daily by default: new images
 * are taken), {@code Deckhand AMI Refresh Requested} (the same, now, optionally for some templates
 * only), and the reconcile schedule (every few minutes: a rotation under way moves on, wave by wave,
 * without taking a new image). Each run is one pass of the reconcile loop in {@link Rotator}.
 * Handler string: {@code dev.deckhand.rotate.handler.RotateAmiHandler::handleRequest}.
 */
public final class RotateAmiHandler implements RequestStreamHandler {

    private static final Logger log = LoggerFactory.getLogger(RotateAmiHandler.class);
    static final String RECONCILE_RULE = "RotateAmiFunctionReconcile";

    private final EventParser parser = new EventParser();
    private final RotateConfig config;
    private final EcsClient ecs;
    private final Rotator rotator;
    private final AwsCallCounter calls;

    public RotateAmiHandler() {
        this(RotateConfig.from(Env.system()), new AwsCallCounter());
    }

    private RotateAmiHandler(RotateConfig config, AwsCallCounter calls) {
        this(config, AwsClients.build(EcsClient.builder(), calls), AwsClients.build(Ec2Client.builder(), calls),
                AwsClients.build(AutoScalingClient.builder(), calls), AwsClients.build(SsmClient.builder(), calls),
                AwsClients.build(EventBridgeClient.builder(), calls), calls, Clock.systemUTC());
    }

    public RotateAmiHandler(RotateConfig config, EcsClient ecs, Ec2Client ec2, AutoScalingClient autoscaling, SsmClient ssm,
                            EventBridgeClient events, AwsCallCounter calls, Clock clock) {
        this.config = config;
        this.ecs = ecs;
        this.calls = calls;
        this.rotator = new Rotator(ecs, ec2, autoscaling, ssm, events, config, new Metrics("rotate-ami", clock), clock, parser.mapper());
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        EventInvocation.run(context == null ? null : context.getAwsRequestId(), calls, log, "rotation", parser.mapper(), output, () -> {
            EventEnvelope event = parser.parse(input);
            MDC.put("eventId", event.id());
            return handle(event).withAwsCalls(calls.byOperation());
        });
    }

    private RotationResult handle(EventEnvelope event) {
        if (!config.region().equals(event.region())) {
            throw new BadEventException("event field `region` is " + EventParser.abbreviate(event.region())
                    + " but this function acts in " + config.region());
        }
        if (event.account() != null && !event.account().matches("\\d{12}")) {
            throw new BadEventException("event field `account` must be a 12-digit AWS account id, got " + EventParser.abbreviate(event.account()));
        }
        if (event.is(EventTypes.SOURCE_EVENTS, EventTypes.SCHEDULED_EVENT)) {
            // SAM names the reconcile rule <stack>-RotateAmiFunctionReconcile-<suffix> (template.yaml).
            boolean reconcile = event.resources().stream().anyMatch(r -> r.contains(":rule/") && r.contains(RECONCILE_RULE));
            return rotator.rotate(event.id(), reconcile ? "RECONCILE" : "SCHEDULE", List.of(), clusters(), !reconcile);
        }
        if (event.is(AmiRefreshRequested.SOURCE, AmiRefreshRequested.DETAIL_TYPE)) {
            AmiRefreshRequested request = parser.detail(event, AmiRefreshRequested.class);
            log.atInfo().addKeyValue("requestedBy", request.requestedBy()).addKeyValue("launchTemplateIds", request.launchTemplateIds())
                    .log("AMI refresh requested by {}: {}", request.requestedBy() == null ? "(unnamed)" : request.requestedBy(),
                            request.reason() == null ? "(no reason given)" : request.reason());
            return rotator.rotate(event.id(), "REQUESTED", request.launchTemplateIds(), clusters(), true);
        }
        throw new BadEventException("rotate-ami does not handle source `" + EventParser.abbreviate(event.source())
                + "` with detail-type `" + EventParser.abbreviate(event.detailType()) + "`");
    }

    private List<String> clusters() {
        if (!config.clusters().isAll()) {
            return config.clusters().names();
        }
        List<String> names = new ArrayList<>();
        ecs.listClustersPaginator(r -> r.maxResults(100)).clusterArns().forEach(arn -> names.add(arn.substring(arn.lastIndexOf('/') + 1)));
        return names;
    }
}
