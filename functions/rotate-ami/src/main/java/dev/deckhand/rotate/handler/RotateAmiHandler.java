package dev.deckhand.rotate.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
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
import java.io.ByteArrayInputStream;
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
 * Lambda entry point of rotate-ami. Its triggers: the main schedule (daily by default: new images
 * are taken), {@code Deckhand AMI Refresh Requested} (the same, now, optionally for some templates
 * only), a new image's arrival ({@link ParameterStoreChange} of a tracked parameter, or an Image
 * Builder image {@link ImageStateChange AVAILABLE}: the same, now, for the templates it concerns only),
 * and the reconcile schedule (every few minutes: a rotation under way moves on, wave by wave,
 * without taking a new image). Each run is one pass of the reconcile loop in {@link Rotator}.
 * Handler string: {@code dev.deckhand.rotate.handler.RotateAmiHandler::handleRequest}.
 *
 * <p>The reconcile schedule is recognised by its rule's own input, {@value #RECONCILE_INPUT}
 * (template.yaml, the Reconcile event's {@code Input}), which EventBridge delivers instead of the
 * Scheduled Event; never by the rule's name, which CloudFormation generates and shortens for long
 * stack names. Every {@code Scheduled Event} is the main schedule.
 */
public final class RotateAmiHandler implements RequestStreamHandler {

    private static final Logger log = LoggerFactory.getLogger(RotateAmiHandler.class);
    /** The reconcile rule's constant input (template.yaml); it replaces the whole event. */
    static final String RECONCILE_INPUT = "{\"deckhand\":\"reconcile\"}";
    private static final String INPUT_FIELD = "deckhand";
    private static final String RECONCILE = "reconcile";

    private final EventParser parser = new EventParser();
    private final RotateConfig config;
    private final EcsClient ecs;
    private final Rotator rotator;
    private final AwsCallCounter calls;
    private final Clock clock;

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
        this.clock = clock;
        this.rotator = new Rotator(ecs, ec2, autoscaling, ssm, events, config, new Metrics("rotate-ami", clock), clock, parser.mapper());
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        String requestId = context == null ? null : context.getAwsRequestId();
        EventInvocation.run(requestId, calls, log, "rotation", parser.mapper(), output, () -> {
            byte[] bytes = read(input);
            if (bytes.length <= EventParser.MAX_EVENT_BYTES && isScheduleInput(bytes)) {
                // No event id in a constant input: Lambda's request id, the same on its retries of this invocation.
                String runId = requestId != null ? requestId : "reconcile-" + clock.instant();
                MDC.put("eventId", runId);
                log.atInfo().log("reconcile run (the reconcile schedule's input {})", RECONCILE_INPUT);
                return rotator.rotate(runId, "RECONCILE", List.of(), clusters(), false).withAwsCalls(calls.byOperation());
            }
            EventEnvelope event = parser.parse(new ByteArrayInputStream(bytes));   // refuses more than EventBridge's limit
            MDC.put("eventId", event.id());
            return handle(event).withAwsCalls(calls.byOperation());
        });
    }

    private static byte[] read(InputStream input) {
        try {
            return input.readNBytes(EventParser.MAX_EVENT_BYTES + 1);
        } catch (IOException e) {
            throw new BadEventException("cannot read the event: " + e.getMessage());
        }
    }

    /**
     * Whether {@code bytes} is the reconcile rule's input rather than an EventBridge event: a JSON
     * object with the field {@code deckhand} and no {@code source}. Its only accepted form is
     * {@value #RECONCILE_INPUT}; anything else with that field is refused, naming it.
     */
    private boolean isScheduleInput(byte[] bytes) {
        JsonNode root;
        try {
            root = parser.mapper().readTree(bytes);
        } catch (IOException notJson) {
            return false;   // the parser says what is wrong with it
        }
        if (root == null || !root.isObject() || !root.has(INPUT_FIELD) || root.has("source")) {
            return false;
        }
        if (root.size() != 1 || !RECONCILE.equals(root.get(INPUT_FIELD).asText(null)) || !root.get(INPUT_FIELD).isTextual()) {
            throw new BadEventException("rotate-ami's schedule input must be " + RECONCILE_INPUT + " (field `" + INPUT_FIELD
                    + "`), got " + EventParser.abbreviate(root.toString()));
        }
        return true;
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
            // The main schedule: the reconcile schedule's rule delivers its own input instead (isScheduleInput).
            return rotator.rotate(event.id(), "SCHEDULE", List.of(), clusters(), true);
        }
        if (event.is(AmiRefreshRequested.SOURCE, AmiRefreshRequested.DETAIL_TYPE)) {
            AmiRefreshRequested request = parser.detail(event, AmiRefreshRequested.class);
            log.atInfo().addKeyValue("requestedBy", request.requestedBy()).addKeyValue("launchTemplateIds", request.launchTemplateIds())
                    .log("AMI refresh requested by {}: {}", request.requestedBy() == null ? "(unnamed)" : request.requestedBy(),
                            request.reason() == null ? "(no reason given)" : request.reason());
            return rotator.rotate(event.id(), "REQUESTED", request.launchTemplateIds(), clusters(), true);
        }
        if (event.is(ParameterStoreChange.SOURCE, ParameterStoreChange.DETAIL_TYPE)) {
            ParameterStoreChange change = parser.detail(event, ParameterStoreChange.class);
            String unchanged = change.noNewValue();
            if (unchanged != null) {
                log.atInfo().addKeyValue("parameter", change.name()).log("parameter {}: {}; nothing to rotate", change.name(), unchanged);
                return rotator.nothing(event.id(), Rotator.PARAMETER_CHANGED, "IGNORED", "parameter " + change.name() + ": " + unchanged);
            }
            return rotator.rotateTracking(event.id(), change.name(), this::clusters);
        }
        if (event.is(ImageStateChange.SOURCE, ImageStateChange.DETAIL_TYPE)) {
            ImageStateChange change = parser.detail(event, ImageStateChange.class);
            String image = ImageStateChange.imageArn(event);
            if (!ImageStateChange.AVAILABLE.equals(change.state().status())) {
                log.atInfo().addKeyValue("imageBuilderArn", image).log("Image Builder image {} is {}, not {}: nothing to rotate",
                        image, change.state().status(), ImageStateChange.AVAILABLE);
                return rotator.nothing(event.id(), Rotator.IMAGE_AVAILABLE, "IGNORED", "Image Builder image " + image + " is "
                        + change.state().status() + ", not " + ImageStateChange.AVAILABLE);
            }
            return rotator.rotateNaming(event.id(), image, this::clusters);
        }
        if (LaunchFailed.is(event)) {
            LaunchFailed.Failure failure = LaunchFailed.parse(parser, event);
            if (!failure.stopsACanary()) {
                return rotator.nothing(event.id(), Rotator.LAUNCH_FAILED, "IGNORED", failure.owner().id() + " failed to launch for "
                        + failure.cause().slug() + ", which says nothing about its image: no canary to stop");
            }
            return rotator.launchFailed(event.id(), failure.owner(), failure.message(), this::clusters);
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
