package dev.deckhand.rotate.executor;

import dev.deckhand.core.event.EventParser;
import dev.deckhand.core.log.Metrics;
import dev.deckhand.rotate.RotateConfig;
import dev.deckhand.rotate.planner.Consumer;
import dev.deckhand.rotate.planner.ManagedTemplate;
import dev.deckhand.rotate.planner.TemplateOutcome;
import dev.deckhand.rotate.planner.TemplateOutcome.Action;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
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
import software.amazon.awssdk.services.ssm.model.SsmException;

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
 * Calls per run: DescribeLaunchTemplates (paged), GetParameters per 10 parameters (and one per name of a
 * batch IAM refused), DescribeImages once, DescribeLaunchTemplateVersions per template; per changed
 * template CreateLaunchTemplateVersion (twice when a person's newer version is kept), ModifyLaunchTemplate,
 * CreateTags; per pinned consumer one update.
 */
final class TemplateRefresher {

    private static final Logger log = LoggerFactory.getLogger(TemplateRefresher.class);
    static final Pattern IMAGE_ID = Pattern.compile("ami-[0-9a-f]{8,17}");
    static final String DESCRIPTION_PREFIX = "Deckhand rotate-ami: ";
    private static final String ACCESS_DENIED = "AccessDeniedException";
    /** An ImageId that names an SSM parameter, resolved by EC2 at each launch. */
    static final String ALIAS_PREFIX = "resolve:ssm:";
    /** A rotated version's description when a person's newer version is to be copied above it. */
    private static final Pattern FOLLOWED_BY = Pattern.compile("\\(version (\\d+), newer, is copied above it\\)");
    /** The description of that copy: whose copy, above which rotated version, for which image. */
    private static final Pattern KEPT_COPY = Pattern.compile(Pattern.quote(DESCRIPTION_PREFIX)
            + "copy of version (\\d+), kept the latest above version (\\d+) \\((ami-[0-9a-f]+)\\)");

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
        Set<String> denied = new LinkedHashSet<>();
        List<String> all = new ArrayList<>(names);
        for (int i = 0; i < all.size(); i += 10) {
            List<String> batch = all.subList(i, Math.min(all.size(), i + 10));
            List<String> valid = batch.stream().filter(n -> RotateConfig.PARAMETER_NAME.matcher(n).matches()).toList();
            batch.stream().filter(n -> !valid.contains(n)).forEach(invalid::add);
            if (valid.isEmpty()) {
                continue;
            }
            try {
                read(valid, values, invalid);
            } catch (SsmException e) {
                if (!ACCESS_DENIED.equals(e.awsErrorDetails().errorCode())) {
                    throw e;
                }
                if (valid.size() == 1) {
                    denied.addAll(valid);
                    continue;
                }
                // IAM refuses the whole call when the role may not read one of its names ("IAM authorizes your
                // request only if every part of your request is allowed"): read them one by one, so that one
                // tag naming a parameter outside RotateAmiParameterPath stops its own template only.
                log.atWarn().addKeyValue("parameters", valid.stream().map(TemplateRefresher::abbreviate).toList())
                        .log("GetParameters was refused (AccessDeniedException) for a batch of {} parameters: reading them one by one", valid.size());
                for (String name : valid) {
                    try {
                        read(List.of(name), values, invalid);
                    } catch (SsmException one) {
                        if (!ACCESS_DENIED.equals(one.awsErrorDetails().errorCode())) {
                            throw one;
                        }
                        denied.add(name);
                    }
                }
            }
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
            if (denied.contains(parameter)) {
                wanted.put(template.id(), new ImageResolutionException("SSM parameter " + abbreviate(parameter) + " (tag "
                        + ManagedTemplate.PARAMETER_TAG + " of launch template " + template.id() + ") may not be read by rotate-ami's role "
                        + "(AccessDeniedException): grant it through RotateAmiParameterPath or correct the tag; the template is left as it is"));
            } else if (invalid.contains(parameter) || value == null) {
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

    private void read(List<String> names, Map<String, String> values, Set<String> invalid) {
        GetParametersResponse response = ssm.getParameters(r -> r.names(names));
        for (Parameter parameter : response.parameters()) {
            values.put(parameter.name(), parameter.value().trim());
        }
        invalid.addAll(response.invalidParameters());
    }

    /**
     * Moves each template whose default image is not the wanted one to a new version from its default;
     * {@code wanted} null reads the default versions only. A template whose default ImageId names a
     * parameter ({@code resolve:ssm:}) gets no version: EC2 resolves it at each launch. A template whose
     * latest version is newer than its default and not rotate-ami's holds a person's change: it is
     * rotated from the default, and that version is then copied as it is, so that {@code $Latest} still
     * launches what the person made.
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
                        current.versionNumber(), template.longTag(ManagedTemplate.PREVIOUS_TAG), Action.NOT_CHECKED, null, null));
                continue;
            }
            if (want instanceof ImageResolutionException error) {
                log.atError().addKeyValue("launchTemplateId", template.id()).addKeyValue("parameter", abbreviate(template.parameter()))
                        .log("cannot resolve the image of launch template {}: {}", template.id(), error.getMessage());
                metrics.count("ImageResolutionFailed", Map.of());
                outcomes.add(new TemplateOutcome(template.id(), template.name(), template.parameter(), null, currentImage,
                        current.versionNumber(), null, Action.ERROR, error.getMessage(), null));
                continue;
            }
            String image = (String) want;
            if (currentImage != null && currentImage.startsWith(ALIAS_PREFIX)) {
                outcomes.add(followsParameter(template, current, image));
                continue;
            }
            if (image.equals(currentImage)) {
                outcomes.add(new TemplateOutcome(template.id(), template.name(), template.parameter(), image, currentImage,
                        current.versionNumber(), template.longTag(ManagedTemplate.PREVIOUS_TAG), Action.CURRENT, null, null));
                continue;
            }
            if (image.equals(template.tags().get(ManagedTemplate.ROLLED_BACK_TAG))) {
                log.atWarn().addKeyValue("launchTemplateId", template.id()).addKeyValue("imageId", image)
                        .log("launch template {} was rolled back from {}; it stays on {} until {} names another image (or the tag {} is removed)",
                                template.id(), image, currentImage, abbreviate(template.parameter()), ManagedTemplate.ROLLED_BACK_TAG);
                outcomes.add(new TemplateOutcome(template.id(), template.name(), template.parameter(), image, currentImage,
                        current.versionNumber(), null, Action.HELD_AFTER_ROLLBACK, null, null));
                continue;
            }
            // What the versions above the default are: a retry's own (reused), or a person's change (kept).
            Long reuse = null;
            Long kept = null;
            if (latest.versionNumber() > current.versionNumber()) {
                Matcher copy = latest.versionDescription() == null ? null : KEPT_COPY.matcher(latest.versionDescription());
                if (copy != null && copy.matches() && image.equals(copy.group(3)) && Long.parseLong(copy.group(2)) > current.versionNumber()) {
                    reuse = Long.parseLong(copy.group(2));   // rotated and copied; the default was not set yet
                } else if (copy != null && !copy.matches() && image.equals(latest.launchTemplateData().imageId())
                        && latest.versionDescription().startsWith(DESCRIPTION_PREFIX)) {
                    reuse = latest.versionNumber();   // rotated; the copy (if one is due) and the default not made yet
                    Matcher follows = FOLLOWED_BY.matcher(latest.versionDescription());
                    kept = follows.find() ? Long.valueOf(follows.group(1)) : null;
                } else {
                    kept = latest.versionNumber();
                }
            }
            String note = kept == null ? null : "version " + kept + " is newer than the default version " + current.versionNumber()
                    + " and not rotate-ami's (someone's change): rotated from version " + current.versionNumber() + ", then version "
                    + kept + " copied as it is, so that $Latest still launches it";
            String description = DESCRIPTION_PREFIX + image + (kept == null ? "" : " (version " + kept + ", newer, is copied above it)")
                    + " from " + template.parameter() + ", was " + currentImage;
            if (config.dryRun()) {
                log.atInfo().addKeyValue("launchTemplateId", template.id()).addKeyValue("imageId", image)
                        .log("dry run: would create a version of {} from version {} with ImageId {} (was {}) and make it the default{}",
                                template.id(), current.versionNumber(), image, currentImage, note == null ? "" : "; " + note);
                outcomes.add(new TemplateOutcome(template.id(), template.name(), template.parameter(), image, currentImage,
                        current.versionNumber(), null, Action.DRY_RUN_UPDATE, null, note));
                continue;
            }
            long version = reuse != null ? reuse : ec2.createLaunchTemplateVersion(r -> r.launchTemplateId(template.id())
                    .sourceVersion(Long.toString(current.versionNumber()))
                    .versionDescription(description.length() > 255 ? description.substring(0, 255) : description)
                    .launchTemplateData(d -> d.imageId(image))).launchTemplateVersion().versionNumber();
            if (kept != null) {
                keepOnTop(template, kept, kept == latest.versionNumber() ? latest : null, version, image);
            }
            ec2.createTags(r -> r.resources(template.id()).tags(
                    Tag.builder().key(ManagedTemplate.PREVIOUS_TAG).value(Long.toString(current.versionNumber())).build(),
                    Tag.builder().key(ManagedTemplate.ROTATED_TAG).value(Long.toString(version)).build()));
            ec2.modifyLaunchTemplate(r -> r.launchTemplateId(template.id()).defaultVersion(Long.toString(version)));
            log.atInfo().addKeyValue("launchTemplateId", template.id()).addKeyValue("imageId", image)
                    .addKeyValue("version", version).addKeyValue("previousVersion", current.versionNumber())
                    .log("launch template {} now launches {} (version {}, from version {}, which launched {}){}",
                            template.id(), image, version, current.versionNumber(), currentImage, note == null ? "" : "; " + note);
            metrics.count("TemplateUpdated", Map.of());
            outcomes.add(new TemplateOutcome(template.id(), template.name(), template.parameter(), image, currentImage, version,
                    current.versionNumber(), Action.UPDATED, null, note));
        }
        return outcomes;
    }

    /**
     * Copies a person's version {@code kept} as it is above the rotated version, so that consumers on
     * {@code $Latest} keep launching it ({@code SourceVersion}, its own ImageId given back).
     *
     * @param keptVersion the version as read, or null when it must be read (a retry after the rotated version was made)
     */
    private void keepOnTop(ManagedTemplate template, long kept, LaunchTemplateVersion keptVersion, long rotated, String image) {
        LaunchTemplateVersion source = keptVersion != null ? keptVersion : ec2.describeLaunchTemplateVersions(r -> r
                .launchTemplateId(template.id()).versions(Long.toString(kept))).launchTemplateVersions().get(0);
        String keptImage = source.launchTemplateData().imageId();
        String description = DESCRIPTION_PREFIX + "copy of version " + kept + ", kept the latest above version " + rotated + " (" + image + ")";
        long copy = ec2.createLaunchTemplateVersion(r -> r.launchTemplateId(template.id()).sourceVersion(Long.toString(kept))
                .versionDescription(description).launchTemplateData(d -> d.imageId(keptImage))).launchTemplateVersion().versionNumber();
        log.atWarn().addKeyValue("launchTemplateId", template.id()).addKeyValue("keptVersion", kept).addKeyValue("copy", copy)
                .log("launch template {}: version {} was newer than the default and not rotate-ami's; it is copied as version {} "
                        + "above the rotated version {}, so that $Latest still launches it as it was", template.id(), kept, copy, rotated);
    }

    /**
     * A template whose default ImageId is {@code resolve:ssm:NAME}: EC2 resolves the parameter at each
     * launch (EC2 User Guide, "Use a Systems Manager parameter instead of an AMI ID"), so a version with an
     * AMI id would replace the person's choice with a fixed image. No version is made. When NAME is the
     * tracked parameter, new launches get its image, and the instances on another image move as the
     * others do; otherwise rotate-ami cannot tell what a launch gets, and retires none of them for it.
     */
    private TemplateOutcome followsParameter(ManagedTemplate template, LaunchTemplateVersion current, String image) {
        String alias = current.launchTemplateData().imageId();
        boolean tracked = aliasedParameter(alias).equals(template.parameter());
        String note = "ImageId is " + abbreviate(alias) + ": EC2 resolves it at each launch, so rotate-ami makes no version"
                + (!tracked ? ", and as it is not the tracked parameter " + abbreviate(template.parameter()) + ", none of its instances is retired for its image"
                : "; new launches get " + image + " and the instances on another image are retired as the others are");
        log.atInfo().addKeyValue("launchTemplateId", template.id()).addKeyValue("imageId", tracked ? image : null)
                .log("launch template {}: {}", template.id(), note);
        return new TemplateOutcome(template.id(), template.name(), template.parameter(), tracked ? image : null, alias,
                current.versionNumber(), null, Action.FOLLOWS_PARAMETER, null, note);
    }

    /** The parameter name of {@code resolve:ssm:NAME}, {@code NAME:VERSION}, {@code NAME:LABEL} or a parameter ARN. */
    static String aliasedParameter(String alias) {
        String reference = alias.substring(ALIAS_PREFIX.length());
        if (reference.startsWith("arn:")) {
            int at = reference.indexOf(":parameter");
            reference = at < 0 ? reference : reference.substring(at + ":parameter".length());
        }
        int selector = reference.indexOf(':');   // parameter names hold no ':'
        return selector < 0 ? reference : reference.substring(0, selector);
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
            // ModifyFleet replaces the configs: every member of every override goes back as described
            // (InstanceRequirements, Placement, ...), or the person's configuration would be lost.
            List<FleetLaunchTemplateOverridesRequest> overrides = config.overrides().stream()
                    .map(o -> SameNamedMembers.copy(o, FleetLaunchTemplateOverridesRequest.builder())).toList();
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
        return EventParser.abbreviate(value);
    }
}
