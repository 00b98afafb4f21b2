package dev.deckhand.rotate.executor;

import dev.deckhand.core.log.Metrics;
import dev.deckhand.rotate.RotateConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.FleetData;
import software.amazon.awssdk.services.ec2.model.FleetLaunchTemplateConfigRequest;
import software.amazon.awssdk.services.ec2.model.FleetLaunchTemplateOverridesRequest;
import software.amazon.awssdk.services.ec2.model.FleetLaunchTemplateSpecificationRequest;
import software.amazon.awssdk.services.ec2.model.LaunchTemplate;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateConfig;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateVersion;
import software.amazon.awssdk.services.ec2.model.SpotFleetRequestConfig;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetParametersResponse;
import software.amazon.awssdk.services.ssm.model.Parameter;

/**
 * The template half of a rotation: finds the managed launch templates, reads each one's SSM
 * parameter, and when the default version's ImageId differs creates a version from the default
 * ({@code SourceVersion}, only {@code ImageId} changed) and makes it the default; then moves every
 * consumer that pins the previous default's number to the new one. Also the rollback.
 *
 * <pre>{@code
 * List<TemplateOutcome> outcomes = refresher.refresh(List.of(), eventId);
 * refresher.updatePinned(templates, consumers);
 * }</pre>
 *
 * Calls per run: DescribeLaunchTemplates (paged), GetParameters per 10 parameters, DescribeImages once,
 * DescribeLaunchTemplateVersions per template; per changed template CreateLaunchTemplateVersion,
 * ModifyLaunchTemplate, CreateTags; per pinned consumer one update.
 */
final class TemplateRefresher {

    private static final Logger log = LoggerFactory.getLogger(TemplateRefresher.class);
    static final Pattern IMAGE_ID = Pattern.compile("ami-[0-9a-f]{8,17}");
    static final String DESCRIPTION_PREFIX = "Deckhand rotate-ami: ";

    /** What happened to one template in this run. */
    record TemplateOutcome(String templateId, String templateName, String parameter, String image, String previousImage,
                           long defaultVersion, Long previousVersion, String action, String error) {
    }

    private final Ec2Client ec2;
    private final SsmClient ssm;
    private final AutoScalingClient autoscaling;
    private final RotateConfig config;
    private final Metrics metrics;

    TemplateRefresher(Ec2Client ec2, SsmClient ssm, AutoScalingClient autoscaling, RotateConfig config, Metrics metrics) {
        this.ec2 = ec2;
        this.ssm = ssm;
        this.autoscaling = autoscaling;
        this.config = config;
        this.metrics = metrics;
    }

    /** The launch templates tagged {@code deckhand:ami-parameter}; {@code only} non-empty keeps those ids. */
    List<ManagedTemplate> managedTemplates(List<String> only) {
        List<ManagedTemplate> templates = new ArrayList<>();
        for (LaunchTemplate template : ec2.describeLaunchTemplatesPaginator(r -> r.maxResults(200)
                .filters(Filter.builder().name("tag-key").values(ManagedTemplate.PARAMETER_TAG).build())).launchTemplates()) {
            if (!only.isEmpty() && !only.contains(template.launchTemplateId())) {
                continue;
            }
            Map<String, String> tags = new HashMap<>();
            template.tags().forEach(t -> tags.put(t.key(), t.value()));
            String parameter = tags.get(ManagedTemplate.PARAMETER_TAG);
            templates.add(new ManagedTemplate(template.launchTemplateId(), template.launchTemplateName(),
                    parameter == null || parameter.isBlank() ? config.defaultParameter() : parameter.trim(),
                    template.defaultVersionNumber(), template.latestVersionNumber(), Map.copyOf(tags)));
        }
        return templates;
    }

    /** Image Builder's tag on each output AMI: the ARN of the image build version that made it. */
    static final String IMAGE_BUILDER_ARN_TAG = "Ec2ImageBuilderArn";

    /**
     * This account's AMIs that the Image Builder image build version {@code imageBuilderArn} produced, by
     * the tag Image Builder puts on its output AMIs (Image Builder User Guide, "Tag Image Builder output
     * resources"); empty for a container image, or an AMI distributed only to other regions or accounts.
     */
    Set<String> imagesBuiltBy(String imageBuilderArn) {
        Set<String> images = new LinkedHashSet<>();
        ec2.describeImagesPaginator(r -> r.owners("self")
                        .filters(Filter.builder().name("tag:" + IMAGE_BUILDER_ARN_TAG).values(imageBuilderArn).build()))
                .images().forEach(image -> images.add(image.imageId()));
        return images;
    }

    /** Every template's wanted image, or why it has none; a missing parameter or image changes nothing. */
    Map<String, Object> resolve(List<ManagedTemplate> templates) {
        Set<String> names = new LinkedHashSet<>();
        templates.forEach(t -> names.add(t.parameter()));
        Map<String, String> values = new HashMap<>();
        Set<String> invalid = new LinkedHashSet<>();
        List<String> all = new ArrayList<>(names);
        for (int i = 0; i < all.size(); i += 10) {
            List<String> batch = all.subList(i, Math.min(all.size(), i + 10));
            List<String> valid = batch.stream().filter(n -> RotateConfig.PARAMETER_NAME.matcher(n).matches()).toList();
            batch.stream().filter(n -> !valid.contains(n)).forEach(invalid::add);
            if (valid.isEmpty()) {
                continue;
            }
            GetParametersResponse response = ssm.getParameters(r -> r.names(valid));
            for (Parameter parameter : response.parameters()) {
                values.put(parameter.name(), parameter.value().trim());
            }
            invalid.addAll(response.invalidParameters());
        }
        Set<String> images = new LinkedHashSet<>();
        values.values().stream().filter(v -> IMAGE_ID.matcher(v).matches()).forEach(images::add);
        Set<String> existing = new LinkedHashSet<>();
        if (!images.isEmpty()) {
            ec2.describeImagesPaginator(r -> r.filters(Filter.builder().name("image-id").values(images).build()))
                    .images().forEach(image -> {
                        if (image.stateAsString() == null || "available".equals(image.stateAsString())) {
                            existing.add(image.imageId());
                        }
                    });
        }
        Map<String, Object> wanted = new LinkedHashMap<>();
        for (ManagedTemplate template : templates) {
            String parameter = template.parameter();
            String value = values.get(parameter);
            if (invalid.contains(parameter) || value == null) {
                wanted.put(template.id(), new ImageResolutionException("SSM parameter " + abbreviate(parameter) + " (tag "
                        + ManagedTemplate.PARAMETER_TAG + " of launch template " + template.id() + ") does not exist in "
                        + config.region() + " or is not readable; the template is left as it is"));
            } else if (!IMAGE_ID.matcher(value).matches()) {
                wanted.put(template.id(), new ImageResolutionException("SSM parameter " + abbreviate(parameter) + " holds "
                        + abbreviate(value) + ", which is not an AMI id; launch template " + template.id() + " is left as it is"));
            } else if (!existing.contains(value)) {
                wanted.put(template.id(), new ImageResolutionException("SSM parameter " + abbreviate(parameter) + " names image "
                        + value + ", which does not exist (or is not available) in " + config.region() + "; launch template "
                        + template.id() + " is left as it is"));
            } else {
                wanted.put(template.id(), value);
            }
        }
        return wanted;
    }

    /**
     * Moves each template whose default image is not the wanted one to a new version from its default;
     * {@code wanted} null reads the default versions only.
     */
    List<TemplateOutcome> refresh(List<ManagedTemplate> templates, Map<String, Object> wanted, String eventId) {
        List<TemplateOutcome> outcomes = new ArrayList<>();
        for (ManagedTemplate template : templates) {
            Object want = wanted == null ? null : wanted.get(template.id());
            List<LaunchTemplateVersion> versions = ec2.describeLaunchTemplateVersions(r -> r.launchTemplateId(template.id())
                    .versions("$Default", "$Latest")).launchTemplateVersions();
            LaunchTemplateVersion current = versions.stream().filter(LaunchTemplateVersion::defaultVersion).findFirst().orElseThrow();
            LaunchTemplateVersion latest = versions.stream().max((a, b) -> Long.compare(a.versionNumber(), b.versionNumber())).orElseThrow();
            String currentImage = current.launchTemplateData().imageId();
            if (wanted == null) {   // a reconcile run: waves, terminations and rollbacks only, no new image
                outcomes.add(new TemplateOutcome(template.id(), template.name(), template.parameter(), currentImage, currentImage,
                        current.versionNumber(), template.longTag(ManagedTemplate.PREVIOUS_TAG), "NOT_CHECKED", null));
                continue;
            }
            if (want instanceof ImageResolutionException error) {
                log.atError().addKeyValue("launchTemplateId", template.id()).addKeyValue("parameter", abbreviate(template.parameter()))
                        .log("cannot resolve the image of launch template {}: {}", template.id(), error.getMessage());
                metrics.count("ImageResolutionFailed", Map.of());
                outcomes.add(new TemplateOutcome(template.id(), template.name(), template.parameter(), null, currentImage,
                        current.versionNumber(), null, "ERROR", error.getMessage()));
                continue;
            }
            String image = (String) want;
            if (image.equals(currentImage)) {
                outcomes.add(new TemplateOutcome(template.id(), template.name(), template.parameter(), image, currentImage,
                        current.versionNumber(), template.longTag(ManagedTemplate.PREVIOUS_TAG), "CURRENT", null));
                continue;
            }
            if (image.equals(template.tags().get(ManagedTemplate.ROLLED_BACK_TAG))) {
                log.atWarn().addKeyValue("launchTemplateId", template.id()).addKeyValue("imageId", image)
                        .log("launch template {} was rolled back from {}; it stays on {} until {} names another image (or the tag {} is removed)",
                                template.id(), image, currentImage, abbreviate(template.parameter()), ManagedTemplate.ROLLED_BACK_TAG);
                outcomes.add(new TemplateOutcome(template.id(), template.name(), template.parameter(), image, currentImage,
                        current.versionNumber(), null, "HELD_AFTER_ROLLBACK", null));
                continue;
            }
            String description = DESCRIPTION_PREFIX + image + " from " + template.parameter() + ", was " + currentImage;
            if (config.dryRun()) {
                log.atInfo().addKeyValue("launchTemplateId", template.id()).addKeyValue("imageId", image)
                        .log("dry run: would create a version of {} from version {} with ImageId {} (was {}) and make it the default",
                                template.id(), current.versionNumber(), image, currentImage);
                outcomes.add(new TemplateOutcome(template.id(), template.name(), template.parameter(), image, currentImage,
                        current.versionNumber(), null, "DRY_RUN_UPDATE", null));
                continue;
            }
            long version;
            // A retry after CreateLaunchTemplateVersion succeeded and ModifyLaunchTemplate did not: reuse that version.
            if (latest.versionNumber() > current.versionNumber() && image.equals(latest.launchTemplateData().imageId())
                    && latest.versionDescription() != null && latest.versionDescription().startsWith(DESCRIPTION_PREFIX)) {
                version = latest.versionNumber();
            } else {
                version = ec2.createLaunchTemplateVersion(r -> r.launchTemplateId(template.id())
                        .sourceVersion(Long.toString(current.versionNumber()))
                        .versionDescription(description.length() > 255 ? description.substring(0, 255) : description)
                        .launchTemplateData(d -> d.imageId(image))).launchTemplateVersion().versionNumber();
            }
            ec2.createTags(r -> r.resources(template.id()).tags(
                    Tag.builder().key(ManagedTemplate.PREVIOUS_TAG).value(Long.toString(current.versionNumber())).build(),
                    Tag.builder().key(ManagedTemplate.ROTATED_TAG).value(Long.toString(version)).build()));
            ec2.modifyLaunchTemplate(r -> r.launchTemplateId(template.id()).defaultVersion(Long.toString(version)));
            log.atInfo().addKeyValue("launchTemplateId", template.id()).addKeyValue("imageId", image)
                    .addKeyValue("version", version).addKeyValue("previousVersion", current.versionNumber())
                    .log("launch template {} now launches {} (version {}, from version {}, which launched {})",
                            template.id(), image, version, current.versionNumber(), currentImage);
            metrics.count("TemplateUpdated", Map.of());
            outcomes.add(new TemplateOutcome(template.id(), template.name(), template.parameter(), image, currentImage, version,
                    current.versionNumber(), "UPDATED", null));
        }
        return outcomes;
    }

    /**
     * Moves consumers pinned to version {@code from} of {@code template} to {@code to}. Consumers on
     * {@code $Default}/{@code $Latest} need nothing; one pinned to another number chose it and is left alone.
     * @return one line per consumer changed (or that would be, in a dry run)
     */
    List<String> repin(ManagedTemplate template, long from, long to, ConsumerReader.Consumers consumers) {
        List<String> changed = new ArrayList<>();
        for (Consumer consumer : consumers.consumers()) {
            if (!template.named(consumer.templateRef()) || !consumer.pinsANumber() || Long.parseLong(consumer.version()) != from) {
                continue;
            }
            String what = consumer.owner().kind() + " " + consumer.owner().id() + ": " + template.id() + " version " + from + " -> " + to;
            changed.add(what);
            if (config.dryRun()) {
                log.atInfo().addKeyValue("owner", consumer.owner().id()).log("dry run: would move {}", what);
                continue;
            }
            String version = Long.toString(to);
            switch (consumer.owner().kind()) {
                case AUTO_SCALING_GROUP -> updateGroup(consumers.groups().get(consumer.owner().id()), template, version);
                case EC2_FLEET -> updateFleet(consumers.fleets().get(consumer.owner().id()), template, version);
                case SPOT_FLEET -> updateSpotFleet(consumers.spotFleets().get(consumer.owner().id()), template, version);
                default -> throw new IllegalStateException(consumer.toString());
            }
            log.atInfo().addKeyValue("owner", consumer.owner().id()).addKeyValue("launchTemplateId", template.id()).log("moved {}", what);
            metrics.count("ConsumerRepinned", Map.of("Kind", consumer.owner().kind().name()));
        }
        return changed;
    }

    private void updateGroup(AutoScalingGroup group, ManagedTemplate template, String version) {
        if (group.launchTemplate() != null) {
            autoscaling.updateAutoScalingGroup(r -> r.autoScalingGroupName(group.autoScalingGroupName())
                    .launchTemplate(t -> t.launchTemplateId(template.id()).version(version)));
            return;
        }
        var policy = group.mixedInstancesPolicy();
        autoscaling.updateAutoScalingGroup(r -> r.autoScalingGroupName(group.autoScalingGroupName())
                .mixedInstancesPolicy(p -> p.launchTemplate(t -> t.launchTemplateSpecification(s -> s.launchTemplateId(template.id())
                        .version(version)).overrides(policy.launchTemplate().overrides()))));
    }

    private void updateFleet(FleetData fleet, ManagedTemplate template, String version) {
        List<FleetLaunchTemplateConfigRequest> configs = new ArrayList<>();
        fleet.launchTemplateConfigs().forEach(config -> {
            var spec = config.launchTemplateSpecification();
            boolean ours = template.named(spec.launchTemplateId() != null ? spec.launchTemplateId() : spec.launchTemplateName());
            FleetLaunchTemplateSpecificationRequest.Builder request = FleetLaunchTemplateSpecificationRequest.builder()
                    .version(ours ? version : spec.version());
            if (spec.launchTemplateId() != null) {
                request.launchTemplateId(spec.launchTemplateId());
            } else {
                request.launchTemplateName(spec.launchTemplateName());
            }
            List<FleetLaunchTemplateOverridesRequest> overrides = config.overrides().stream().map(o -> FleetLaunchTemplateOverridesRequest.builder()
                    .instanceType(o.instanceType()).maxPrice(o.maxPrice()).subnetId(o.subnetId()).availabilityZone(o.availabilityZone())
                    .weightedCapacity(o.weightedCapacity()).priority(o.priority()).build()).toList();
            configs.add(FleetLaunchTemplateConfigRequest.builder().launchTemplateSpecification(request.build())
                    .overrides(overrides.isEmpty() ? null : overrides).build());
        });
        ec2.modifyFleet(r -> r.fleetId(fleet.fleetId()).launchTemplateConfigs(configs));
    }

    private void updateSpotFleet(SpotFleetRequestConfig request, ManagedTemplate template, String version) {
        List<LaunchTemplateConfig> configs = new ArrayList<>();
        for (LaunchTemplateConfig config : request.spotFleetRequestConfig().launchTemplateConfigs()) {
            var spec = config.launchTemplateSpecification();
            boolean ours = template.named(spec.launchTemplateId() != null ? spec.launchTemplateId() : spec.launchTemplateName());
            configs.add(ours ? config.toBuilder().launchTemplateSpecification(spec.toBuilder().version(version).build()).build() : config);
        }
        ec2.modifySpotFleetRequest(r -> r.spotFleetRequestId(request.spotFleetRequestId()).launchTemplateConfigs(configs));
    }

    /** Restores the default version a rotation replaced, and the consumers it moved; marks the image as rolled back. */
    void rollback(ManagedTemplate template, String image, String reason, ConsumerReader.Consumers consumers) {
        Long previous = template.longTag(ManagedTemplate.PREVIOUS_TAG);
        Long rotated = template.longTag(ManagedTemplate.ROTATED_TAG);
        log.atError().addKeyValue("launchTemplateId", template.id()).addKeyValue("imageId", image)
                .addKeyValue("restoredVersion", previous)
                .log("ROTATION ROLLED BACK: {}; launch template {} goes back to version {}{}", reason, template.id(), previous,
                        config.dryRun() ? " (dry run: nothing changed)" : "");
        metrics.count("RotationRolledBack", Map.of());
        if (previous == null || rotated == null) {
            log.atError().addKeyValue("launchTemplateId", template.id())
                    .log("launch template {} has no {} tag: its default version was not set by rotate-ami, so it is left as it is",
                            template.id(), ManagedTemplate.PREVIOUS_TAG);
            if (!config.dryRun()) {
                ec2.createTags(r -> r.resources(template.id()).tags(Tag.builder().key(ManagedTemplate.ROLLED_BACK_TAG).value(image).build()));
            }
            return;
        }
        if (config.dryRun()) {
            return;
        }
        ec2.createTags(r -> r.resources(template.id()).tags(Tag.builder().key(ManagedTemplate.ROLLED_BACK_TAG).value(image).build()));
        ec2.modifyLaunchTemplate(r -> r.launchTemplateId(template.id()).defaultVersion(Long.toString(previous)));
        repin(template, rotated, previous, consumers);
    }

    private static String abbreviate(String value) {
        return dev.deckhand.core.event.EventParser.abbreviate(value);
    }
}
