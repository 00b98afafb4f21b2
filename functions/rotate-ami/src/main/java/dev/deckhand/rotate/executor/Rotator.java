package dev.deckhand.rotate.executor;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deckhand.core.event.EventParser;
import dev.deckhand.core.log.Metrics;
import dev.deckhand.rotate.RotateConfig;
import dev.deckhand.rotate.planner.Canary;
import dev.deckhand.rotate.planner.Node;
import dev.deckhand.rotate.planner.Owner;
import dev.deckhand.rotate.planner.Plan;
import dev.deckhand.rotate.planner.RotationPlanner;
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
 * and rollback. Everything it needs to know between runs is read back from AWS.
 *
 * <pre>{@code
 * RotationResult result = rotator.rotate("event-id", "SCHEDULE", List.of(), List.of("web", "batch"), true);
 * RotationResult arrival = rotator.rotateTracking("event-id", "/golden-ami/ecs", () -> List.of("web"));
 * }</pre>
 */
public final class Rotator {

    private static final Logger log = LoggerFactory.getLogger(Rotator.class);
    /** The trigger of a run for a parameter's change ({@link #rotateTracking}). */
    public static final String PARAMETER_CHANGED = "PARAMETER_CHANGED";
    /** The trigger of a run for an Image Builder image's arrival ({@link #rotateNaming}). */
    public static final String IMAGE_AVAILABLE = "IMAGE_AVAILABLE";
    /** A group's or fleet's launch failed for a reason a person must fix: a canary on its image rolls back at once. */
    public static final String LAUNCH_FAILED = "LAUNCH_FAILED";

    private final RotateConfig config;
    private final TemplateRefresher refresher;
    private final ConsumerReader consumerReader;
    private final ClusterImagesReader clusterReader;
    private final Retirer retirer;
    private final RotationPlanner planner = new RotationPlanner();
    private final Clock clock;

    public Rotator(EcsClient ecs, Ec2Client ec2, AutoScalingClient autoscaling, SsmClient ssm, EventBridgeClient events,
                   RotateConfig config, Metrics metrics, Clock clock, ObjectMapper mapper) {
        this.config = config;
        this.clock = clock;
        this.refresher = new TemplateRefresher(ec2, ssm, autoscaling, config, metrics);
        this.consumerReader = new ConsumerReader(ec2, autoscaling, config.clusters());
        this.clusterReader = new ClusterImagesReader(ecs, ec2);
        this.retirer = new Retirer(ec2, autoscaling, events, config, metrics, clock, mapper);
    }

    /**
     * A parameter got a new value: the run of {@link #rotate} for the managed templates that track it
     * ({@code deckhand:ami-parameter} = its name, or an empty tag and it is the default parameter), and
     * nothing at all when none does: an empty list would mean every template.
     */
    public RotationResult rotateTracking(String eventId, String parameter, Supplier<List<String>> clusters) {
        List<String> tracking = refresher.managedTemplates(List.of()).stream().filter(t -> t.parameter().equals(parameter))
                .map(ManagedTemplate::id).toList();
        if (tracking.isEmpty()) {
            log.atInfo().addKeyValue("parameter", EventParser.abbreviate(parameter))
                    .log("parameter {} changed, but no launch template tagged {} tracks it: nothing to rotate",
                            EventParser.abbreviate(parameter), ManagedTemplate.PARAMETER_TAG);
            return nothing(eventId, PARAMETER_CHANGED, "NOT_TRACKED", "no managed launch template tracks parameter "
                    + EventParser.abbreviate(parameter));
        }
        log.atInfo().addKeyValue("parameter", EventParser.abbreviate(parameter)).addKeyValue("launchTemplateIds", tracking)
                .log("parameter {} changed: rotating the launch template(s) that track it: {}", EventParser.abbreviate(parameter), tracking);
        return rotate(eventId, PARAMETER_CHANGED, tracking, clusters.get(), true);
    }

    /**
     * An Image Builder image became available: the run of {@link #rotate} for the managed templates whose
     * parameter names one of its AMIs now. The event names no parameter, so a template whose parameter
     * does not name it yet is left to that parameter's own change (or the schedule).
     */
    public RotationResult rotateNaming(String eventId, String imageBuilderArn, Supplier<List<String>> clusters) {
        Set<String> amis = refresher.imagesBuiltBy(imageBuilderArn);
        if (amis.isEmpty()) {
            log.atInfo().addKeyValue("imageBuilderArn", imageBuilderArn)
                    .log("Image Builder image {} has no AMI of this account here (tag {}): nothing to rotate", imageBuilderArn,
                            TemplateRefresher.IMAGE_BUILDER_ARN_TAG);
            return nothing(eventId, IMAGE_AVAILABLE, "NOT_TRACKED", "Image Builder image " + imageBuilderArn
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
            return nothing(eventId, IMAGE_AVAILABLE, "NOT_TRACKED", "no managed launch template's parameter names " + amis);
        }
        log.atInfo().addKeyValue("imageBuilderArn", imageBuilderArn).addKeyValue("imageIds", amis).addKeyValue("launchTemplateIds", naming)
                .log("Image Builder image {} ({}) is available: rotating the launch template(s) whose parameter names it: {}",
                        imageBuilderArn, amis, naming);
        return rotate(eventId, IMAGE_AVAILABLE, naming, clusters.get(), true);
    }

    /** A run that changes nothing, and why (decision {@code NOT_TRACKED} or {@code IGNORED}). */
    public RotationResult nothing(String eventId, String trigger, String decision, String reason) {
        return new RotationResult(eventId, trigger, decision, reason, config.dryRun(), config.window().isOpen(clock.instant()),
                List.of(), List.of(), List.of(), null);
    }

    /**
     * @param resolveImages false for a reconcile run: the templates are not checked against their parameters
     *                      (new images are taken on the main schedule or on request), everything else happens
     */
    public RotationResult rotate(String eventId, String trigger, List<String> onlyTemplates, List<String> clusters, boolean resolveImages) {
        return rotate(eventId, trigger, onlyTemplates, clusters, resolveImages, null, null);
    }

    /**
     * A launch of {@code owner} failed for a reason a person must fix ({@code message}, AWS's): when it launches a
     * managed template's version under rotation, a reconcile run in which a canary on that image rolls back at once;
     * else IGNORED, with no run.
     */
    public RotationResult launchFailed(String eventId, Owner owner, String message, Supplier<List<String>> clusters) {
        return rotate(eventId, LAUNCH_FAILED, List.of(), null, false, owner, message == null ? "(no status message)" : message, clusters);
    }

    private RotationResult rotate(String eventId, String trigger, List<String> onlyTemplates, List<String> clusters, boolean resolveImages,
                                  Owner failedOwner, String failure) {
        return rotate(eventId, trigger, onlyTemplates, clusters, resolveImages, failedOwner, failure, null);
    }

    private RotationResult rotate(String eventId, String trigger, List<String> onlyTemplates, List<String> givenClusters, boolean resolveImages,
                                  Owner failedOwner, String failure, Supplier<List<String>> clusterLookup) {
        Instant now = clock.instant();
        boolean windowOpen = config.window().isOpen(now);
        List<ManagedTemplate> templates = refresher.managedTemplates(onlyTemplates);
        if (templates.isEmpty()) {
            log.atInfo().log("no launch template is tagged {}: nothing to rotate", ManagedTemplate.PARAMETER_TAG);
            return new RotationResult(eventId, trigger, "NO_MANAGED_TEMPLATE", "no launch template is tagged " + ManagedTemplate.PARAMETER_TAG
                    + (onlyTemplates.isEmpty() ? "" : " among " + onlyTemplates), config.dryRun(), windowOpen, List.of(), List.of(), List.of(), null);
        }
        List<TemplateRefresher.TemplateOutcome> outcomes = refresher.refresh(templates,
                resolveImages ? refresher.resolve(templates) : null, eventId);
        ConsumerReader.Consumers consumers = consumerReader.read();

        Map<String, ManagedTemplate> byId = new HashMap<>();
        templates.forEach(t -> byId.put(t.id(), t));
        Map<String, String> targets = new HashMap<>();
        Map<String, List<Long>> followedVersions = new HashMap<>();
        List<String> moved = new ArrayList<>();
        for (TemplateRefresher.TemplateOutcome outcome : outcomes) {
            ManagedTemplate template = byId.get(outcome.templateId());
            List<Long> versions = new ArrayList<>(List.of(outcome.defaultVersion()));
            switch (outcome.action()) {
                case "UPDATED" -> {
                    moved.addAll(refresher.repin(template, outcome.previousVersion(), outcome.defaultVersion(), consumers));
                    versions.add(outcome.previousVersion());
                    targets.put(template.id(), outcome.image());
                }
                case "DRY_RUN_UPDATE" -> {
                    moved.addAll(refresher.repin(template, outcome.defaultVersion(), template.latestVersion() + 1, consumers));
                    targets.put(template.id(), outcome.image());
                }
                case "CURRENT", "NOT_CHECKED" -> {
                    Long previous = template.longTag(ManagedTemplate.PREVIOUS_TAG);
                    Long rotated = template.longTag(ManagedTemplate.ROTATED_TAG);
                    if (previous != null && rotated != null && rotated == outcome.defaultVersion()) {
                        moved.addAll(refresher.repin(template, previous, rotated, consumers));   // finishes a run that stopped half-way
                        versions.add(previous);
                    }
                    targets.put(template.id(), outcome.image());
                }
                case "FOLLOWS_PARAMETER" -> {
                    if (outcome.image() != null) {   // what its next launch gets; unknown: none of its instances is stale
                        targets.put(template.id(), outcome.image());
                    }
                }
                default -> targets.put(template.id(), outcome.previousImage());
            }
            followedVersions.put(template.id(), versions);
        }
        Map<Owner, String> followsDefault = new HashMap<>();
        for (Consumer consumer : consumers.consumers()) {
            for (ManagedTemplate template : templates) {
                if (!template.named(consumer.templateRef()) || followsDefault.containsKey(consumer.owner())) {
                    continue;
                }
                boolean follows = "$Default".equals(consumer.version())
                        || ("$Latest".equals(consumer.version()) && template.latestVersion() <= template.defaultVersion())
                        || (consumer.pinsANumber() && (followedVersions.get(template.id()).contains(Long.parseLong(consumer.version()))));
                if (follows) {
                    followsDefault.put(consumer.owner(), template.id());
                }
            }
        }

        Map<String, String> failedLaunches = new HashMap<>();
        if (failedOwner != null) {
            String templateId = followsDefault.get(failedOwner);
            String image = templateId == null ? null : targets.get(templateId);
            if (image == null) {
                log.atInfo().addKeyValue("owner", failedOwner.id())
                        .log("{} failed to launch, but it launches no managed template's current version: no canary to stop", failedOwner.id());
                return nothing(eventId, trigger, "IGNORED", failedOwner.id() + " launches no managed template's current version");
            }
            failedLaunches.put(image, failure);
        }
        List<String> clusters = givenClusters != null ? givenClusters : clusterLookup.get();
        List<RotationResult.ClusterResult> results = new ArrayList<>();
        int retired = 0;
        int rolledBack = 0;
        for (String cluster : clusters) {
            ClusterImagesReader.Reading reading = clusterReader.read(cluster, consumers.owners(), followsDefault);
            if (reading == null) {
                log.atWarn().addKeyValue("cluster", cluster).log("managed cluster {} does not exist in this account and region", cluster);
                continue;
            }
            List<Canary> canaries = new ArrayList<>();
            for (ManagedTemplate template : templates) {
                Canary canary = Canary.parse(cluster, template.tags().get(Canary.TAG_PREFIX + cluster));
                if (canary != null) {
                    canaries.add(canary);
                }
            }
            Plan plan = planner.plan(cluster, reading.nodes(), targets, canaries, config.budget(), now, windowOpen,
                    onlyTemplates.isEmpty() ? null : byId.keySet(), failedLaunches);
            String rollback = null;
            if (plan.rollback() != null) {
                ManagedTemplate template = byId.get(plan.rollback().templateId());
                refresher.rollback(template, plan.rollback().imageId(), plan.rollback().reason(), consumers);
                targets.remove(template.id());
                rollback = template.id() + ": " + plan.rollback().reason();
                rolledBack++;
            }
            List<String> terminated = retirer.terminate(plan);
            String canary = null;
            if (plan.canary() != null) {
                Node first = plan.retire().get(0).node();
                retirer.recordCanary(first.templateId(), plan.canary());
                canary = first.ec2InstanceId() + " on its way to " + plan.canary().imageId();
            }
            List<String> retiredHere = retirer.retire(plan, eventId);
            retired += retiredHere.size();
            log.atInfo().addKeyValue("cluster", cluster).addKeyValue("retired", retiredHere).addKeyValue("terminated", terminated)
                    .addKeyValue("draining", plan.draining()).addKeyValue("allowedDraining", plan.allowedDraining())
                    .log("cluster {}: {} retired, {} terminated{}", cluster, retiredHere.size(), terminated.size(),
                            plan.waiting() == null ? "" : "; " + plan.waiting());
            results.add(new RotationResult.ClusterResult(cluster, plan.draining(), plan.allowedDraining(), retiredHere, terminated,
                    plan.resend().stream().map(Node::ec2InstanceId).toList(), canary, rollback, plan.waiting(),
                    Stream.concat(reading.unreadable().stream(), plan.skipped().stream()).toList()));
        }
        long updated = outcomes.stream().filter(o -> o.action().equals("UPDATED") || o.action().equals("DRY_RUN_UPDATE")).count();
        long errors = outcomes.stream().filter(o -> o.action().equals("ERROR")).count();
        String decision = rolledBack > 0 ? "ROLLED_BACK" : config.dryRun() && (updated > 0 || retired > 0) ? "DRY_RUN_ROTATE"
                : updated > 0 || retired > 0 ? "ROTATING" : errors > 0 ? "IMAGE_ERROR" : "UP_TO_DATE";
        String reason = updated + " template(s) " + (config.dryRun() ? "would be " : "") + "updated, " + moved.size() + " consumer(s) moved, "
                + retired + " instance(s) " + (config.dryRun() ? "would be " : "") + "retired" + (errors > 0 ? ", " + errors + " template(s) with an image error" : "")
                + (windowOpen ? "" : "; outside the maintenance window " + config.window());
        return new RotationResult(eventId, trigger, decision, reason, config.dryRun(), windowOpen, outcomes, moved, results, null);
    }
}
