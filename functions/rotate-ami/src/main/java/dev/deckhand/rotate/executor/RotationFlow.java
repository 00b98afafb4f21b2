package dev.deckhand.rotate.executor;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deckhand.core.aws.ClusterDirectory;
import dev.deckhand.core.event.EventParser;
import dev.deckhand.core.log.Metrics;
import dev.deckhand.rotate.RotateConfig;
import dev.deckhand.rotate.planner.ManagedTemplate;
import dev.deckhand.rotate.planner.Node;
import dev.deckhand.rotate.planner.Owner;
import dev.deckhand.rotate.planner.Plan;
import dev.deckhand.rotate.planner.RotationDecision;
import dev.deckhand.rotate.planner.RotationPlanner;
import dev.deckhand.rotate.planner.RotationRequest;
import dev.deckhand.rotate.planner.RotationRequest.ImageAvailable;
import dev.deckhand.rotate.planner.RotationRequest.LaunchFailed;
import dev.deckhand.rotate.planner.RotationRequest.ParameterChanged;
import dev.deckhand.rotate.planner.RotationRequest.RefreshRequested;
import dev.deckhand.rotate.planner.RotationRequest.ScheduledRefresh;
import dev.deckhand.rotate.planner.TemplateOutcome;
import dev.deckhand.rotate.planner.Trigger;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * One run of rotate-ami, a reconcile loop: templates to the parameter's image, pinned consumers to
 * the new version, then for each managed cluster the planner's retirements, terminations, canary
 * and rollback. It reads through {@link TemplateRefresher}, {@link ConsumerReader} and
 * {@link ClusterImagesReader}, asks {@link RotationPlanner}, and writes through {@link TemplateRefresher}
 * and {@link Retirer}. Everything it needs to know between runs is read back from AWS.
 *
 * <pre>{@code
 * RotationResult result = flow.run(new RotationRequest.ScheduledRefresh("event-id", false));
 * RotationResult arrival = flow.run(new RotationRequest.ParameterChanged("event-id", "/golden-ami/ecs", "Update", null));
 * }</pre>
 */
public final class RotationFlow {

    private static final Logger log = LoggerFactory.getLogger(RotationFlow.class);

    private final RotateConfig config;
    private final TemplateRefresher refresher;
    private final ConsumerReader consumerReader;
    private final ClusterImagesReader clusterReader;
    private final Retirer retirer;
    private final RotationPlanner planner = new RotationPlanner();
    private final Clock clock;

    public RotationFlow(EcsClient ecs, Ec2Client ec2, AutoScalingClient autoscaling, SsmClient ssm, EventBridgeClient events,
                        RotateConfig config, Metrics metrics, Clock clock, ObjectMapper mapper) {
        this.config = config;
        this.clock = clock;
        this.refresher = new TemplateRefresher(ec2, ssm, autoscaling, config, metrics);
        this.consumerReader = new ConsumerReader(ec2, autoscaling, config.clusters());
        this.clusterReader = new ClusterImagesReader(ecs, ec2, new ClusterDirectory(ecs, config.clusters(), clock));
        this.retirer = new Retirer(ec2, autoscaling, events, config, metrics, clock, mapper);
    }

    /** Runs {@code request}: what the run did, as the function returns it. */
    public RotationResult run(RotationRequest request) {
        if (request instanceof ScheduledRefresh scheduled) {
            List<String> clusters = clusterReader.clusters();
            return rotate(scheduled.eventId(), scheduled.trigger(), List.of(), () -> clusters, !scheduled.reconcile(), null);
        }
        if (request instanceof RefreshRequested refresh) {
            log.atInfo().addKeyValue("requestedBy", refresh.requestedBy()).addKeyValue("launchTemplateIds", refresh.launchTemplateIds())
                    .log("AMI refresh requested by {}: {}", refresh.requestedBy() == null ? "(unnamed)" : refresh.requestedBy(),
                            refresh.reason() == null ? "(no reason given)" : refresh.reason());
            List<String> clusters = clusterReader.clusters();
            return rotate(refresh.eventId(), refresh.trigger(), refresh.launchTemplateIds(), () -> clusters, true, null);
        }
        if (request instanceof ParameterChanged change) {
            return parameterChanged(change);
        }
        if (request instanceof ImageAvailable image) {
            return imageAvailable(image);
        }
        LaunchFailed failure = (LaunchFailed) request;
        if (!failure.stopsACanary()) {
            return nothing(failure.eventId(), failure.trigger(), RotationDecision.IGNORED, failure.owner().id() + " failed to launch for "
                    + failure.cause().slug() + ", which says nothing about its image: no canary to stop");
        }
        return rotate(failure.eventId(), failure.trigger(), List.of(), clusterReader::clusters, false, failure);
    }

    /**
     * A parameter got a new value: the run of {@link #rotate} for the managed templates that track it
     * ({@code deckhand:ami-parameter} = its name, or an empty tag and it is the default parameter), and
     * nothing at all when none does: an empty list would mean every template.
     */
    private RotationResult parameterChanged(ParameterChanged change) {
        String unchanged = change.noNewValue();
        if (unchanged != null) {
            log.atInfo().addKeyValue("parameter", change.parameter()).log("parameter {}: {}; nothing to rotate", change.parameter(), unchanged);
            return nothing(change.eventId(), change.trigger(), RotationDecision.IGNORED, "parameter " + change.parameter() + ": " + unchanged);
        }
        String parameter = EventParser.abbreviate(change.parameter());
        List<String> tracking = refresher.managedTemplates(List.of()).stream().filter(t -> t.parameter().equals(change.parameter()))
                .map(ManagedTemplate::id).toList();
        if (tracking.isEmpty()) {
            log.atInfo().addKeyValue("parameter", parameter)
                    .log("parameter {} changed, but no launch template tagged {} tracks it: nothing to rotate", parameter, ManagedTemplate.PARAMETER_TAG);
            return nothing(change.eventId(), change.trigger(), RotationDecision.NOT_TRACKED, "no managed launch template tracks parameter " + parameter);
        }
        log.atInfo().addKeyValue("parameter", parameter).addKeyValue("launchTemplateIds", tracking)
                .log("parameter {} changed: rotating the launch template(s) that track it: {}", parameter, tracking);
        List<String> clusters = clusterReader.clusters();
        return rotate(change.eventId(), change.trigger(), tracking, () -> clusters, true, null);
    }

    /**
     * An Image Builder image became available: the run of {@link #rotate} for the managed templates whose
     * parameter names one of its AMIs now. The event names no parameter, so a template whose parameter
     * does not name it yet is left to that parameter's own change (or the schedule).
     */
    private RotationResult imageAvailable(ImageAvailable event) {
        String imageBuilderArn = event.imageBuilderArn();
        if (!event.available()) {
            log.atInfo().addKeyValue("imageBuilderArn", imageBuilderArn).log("Image Builder image {} is {}, not {}: nothing to rotate",
                    imageBuilderArn, event.status(), ImageAvailable.AVAILABLE);
            return nothing(event.eventId(), event.trigger(), RotationDecision.IGNORED, "Image Builder image " + imageBuilderArn + " is "
                    + event.status() + ", not " + ImageAvailable.AVAILABLE);
        }
        Set<String> amis = refresher.imagesBuiltBy(imageBuilderArn);
        if (amis.isEmpty()) {
            log.atInfo().addKeyValue("imageBuilderArn", imageBuilderArn)
                    .log("Image Builder image {} has no AMI of this account here (tag {}): nothing to rotate", imageBuilderArn,
                            TemplateRefresher.IMAGE_BUILDER_ARN_TAG);
            return nothing(event.eventId(), event.trigger(), RotationDecision.NOT_TRACKED, "Image Builder image " + imageBuilderArn
                    + " has no AMI of this account in this region");
        }
        List<ManagedTemplate> templates = refresher.managedTemplates(List.of());
        Map<String, Object> wanted = templates.isEmpty() ? Map.of() : refresher.resolve(templates);
        List<String> naming = templates.stream().filter(t -> wanted.get(t.id()) instanceof String image && amis.contains(image))
                .map(ManagedTemplate::id).toList();
        if (naming.isEmpty()) {
            log.atInfo().addKeyValue("imageBuilderArn", imageBuilderArn).addKeyValue("imageIds", amis)
                    .log("Image Builder image {} ({}) is available, but no managed launch template's parameter names it yet: "
                            + "its parameter's change (or the schedule) rotates them", imageBuilderArn, amis);
            return nothing(event.eventId(), event.trigger(), RotationDecision.NOT_TRACKED, "no managed launch template's parameter names " + amis);
        }
        log.atInfo().addKeyValue("imageBuilderArn", imageBuilderArn).addKeyValue("imageIds", amis).addKeyValue("launchTemplateIds", naming)
                .log("Image Builder image {} ({}) is available: rotating the launch template(s) whose parameter names it: {}",
                        imageBuilderArn, amis, naming);
        List<String> clusters = clusterReader.clusters();
        return rotate(event.eventId(), event.trigger(), naming, () -> clusters, true, null);
    }

    /** A run that changes nothing, and why. */
    private RotationResult nothing(String eventId, Trigger trigger, RotationDecision decision, String reason) {
        return RotationResult.nothing(eventId, trigger, decision, reason, config.dryRun(), config.window().isOpen(clock.instant()));
    }

    /**
     * @param onlyTemplates some templates only (their ids), or empty for every managed template
     * @param clusters      the managed clusters, asked for when the run comes to them
     * @param resolveImages false for a reconcile run: the templates are not checked against their parameters
     *                      (new images are taken on the main schedule or on request), everything else happens
     * @param failure       a launch that failed for a reason a person must fix, or null: when it launches a managed
     *                      template's version under rotation, a canary on that image rolls back at once; else IGNORED, with no run
     */
    private RotationResult rotate(String eventId, Trigger trigger, List<String> onlyTemplates, Supplier<List<String>> clusters,
                                  boolean resolveImages, LaunchFailed failure) {
        Instant now = clock.instant();
        boolean windowOpen = config.window().isOpen(now);
        List<ManagedTemplate> templates = refresher.managedTemplates(onlyTemplates);
        if (templates.isEmpty()) {
            log.atInfo().log("no launch template is tagged {}: nothing to rotate", ManagedTemplate.PARAMETER_TAG);
            return RotationResult.nothing(eventId, trigger, RotationDecision.NO_MANAGED_TEMPLATE, "no launch template is tagged "
                    + ManagedTemplate.PARAMETER_TAG + (onlyTemplates.isEmpty() ? "" : " among " + onlyTemplates), config.dryRun(), windowOpen);
        }
        List<TemplateOutcome> outcomes = refresher.refresh(templates, resolveImages ? refresher.resolve(templates) : null, eventId);
        ConsumerReader.Consumers consumers = consumerReader.read();

        Map<String, ManagedTemplate> byId = new HashMap<>();
        templates.forEach(t -> byId.put(t.id(), t));
        RotationPlanner.TemplateTargets decided = planner.targets(templates, outcomes);
        List<String> moved = new ArrayList<>();
        for (RotationPlanner.Repin repin : decided.repins()) {
            moved.addAll(refresher.repin(byId.get(repin.templateId()), repin.from(), repin.to(), consumers));
        }
        Map<String, String> targets = new HashMap<>(decided.targets());
        Map<Owner, String> followsDefault = planner.followsDefault(consumers.consumers(), templates,
                decided.followedVersions());

        Map<String, String> failedLaunches = new HashMap<>();
        if (failure != null) {
            String image = planner.failedImage(failure.owner(), followsDefault, targets);
            if (image == null) {
                log.atInfo().addKeyValue("owner", failure.owner().id())
                        .log("{} failed to launch, but it launches no managed template's current version: no canary to stop", failure.owner().id());
                return nothing(eventId, trigger, RotationDecision.IGNORED, failure.owner().id() + " launches no managed template's current version");
            }
            failedLaunches.put(image, failure.message() == null ? "(no status message)" : failure.message());
        }
        Set<String> only = onlyTemplates.isEmpty() ? null : byId.keySet();
        List<RotationResult.ClusterResult> results = new ArrayList<>();
        // Every cluster is read before any is acted on: a cluster's actions change none of another's instances.
        for (Map.Entry<String, ClusterImagesReader.Reading> read : clusterReader.read(clusters.get(), consumers.owners(), followsDefault).entrySet()) {
            String cluster = read.getKey();
            ClusterImagesReader.Reading reading = read.getValue();
            if (reading == null) {
                log.atWarn().addKeyValue("cluster", cluster).log("managed cluster {} does not exist in this account and region", cluster);
                continue;
            }
            Plan plan = planner.plan(cluster, reading.nodes(), targets, planner.canaries(cluster, templates), config.budget(), now, windowOpen,
                    only, failedLaunches);
            results.add(carryOut(plan, reading, byId, targets, consumers, eventId));
        }
        int retired = results.stream().mapToInt(r -> r.retired().size()).sum();
        int rolledBack = (int) results.stream().filter(r -> r.rolledBack() != null).count();
        RotationPlanner.Outcome outcome = planner.outcome(outcomes, moved.size(), retired, rolledBack, config.dryRun(), windowOpen, config.window());
        return new RotationResult(eventId, trigger, outcome.decision(), outcome.reason(), config.dryRun(), windowOpen, outcomes, moved, results);
    }

    /**
     * Does what {@code plan} says to one cluster: the rollback (its template no longer a target for the clusters
     * after this one), terminations, the canary's record, the retirements.
     */
    private RotationResult.ClusterResult carryOut(Plan plan, ClusterImagesReader.Reading reading, Map<String, ManagedTemplate> byId,
                                                  Map<String, String> targets, ConsumerReader.Consumers consumers, String eventId) {
        String cluster = plan.cluster();
        String rollback = null;
        if (plan.rollback() != null) {
            ManagedTemplate template = byId.get(plan.rollback().templateId());
            refresher.rollback(template, plan.rollback().imageId(), plan.rollback().reason(), consumers);
            targets.remove(template.id());
            rollback = template.id() + ": " + plan.rollback().reason();
        }
        List<String> terminated = retirer.terminate(plan);
        String canary = null;
        if (plan.canary() != null) {
            Node first = plan.retire().get(0).node();
            retirer.recordCanary(first.templateId(), plan.canary());
            canary = first.ec2InstanceId() + " on its way to " + plan.canary().imageId();
        }
        List<String> retired = retirer.retire(plan, eventId);
        log.atInfo().addKeyValue("cluster", cluster).addKeyValue("retired", retired).addKeyValue("terminated", terminated)
                .addKeyValue("draining", plan.draining()).addKeyValue("allowedDraining", plan.allowedDraining())
                .log("cluster {}: {} retired, {} terminated{}", cluster, retired.size(), terminated.size(),
                        plan.waiting() == null ? "" : "; " + plan.waiting());
        return new RotationResult.ClusterResult(cluster, plan.draining(), plan.allowedDraining(), retired, terminated,
                plan.resend().stream().map(Node::ec2InstanceId).toList(), canary, rollback, plan.waiting(),
                Stream.concat(reading.unreadable().stream(), plan.skipped().stream()).toList());
    }
}
