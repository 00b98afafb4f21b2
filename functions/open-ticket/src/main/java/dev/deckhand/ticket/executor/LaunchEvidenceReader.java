package dev.deckhand.ticket.executor;

import dev.deckhand.core.aws.DeckhandTags;
import dev.deckhand.ticket.planner.Evidence.LaunchTarget;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.Activity;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplateSpecification;
import software.amazon.awssdk.services.autoscaling.model.TagDescription;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.EventInformation;
import software.amazon.awssdk.services.ec2.model.FleetData;
import software.amazon.awssdk.services.ec2.model.LaunchTemplate;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateVersion;
import software.amazon.awssdk.services.ec2.model.SpotFleetRequestConfig;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * Reads what a person needs about a group or fleet that failed to launch, in a fixed number of calls:
 * <ul>
 * <li>Auto Scaling group: {@code DescribeAutoScalingGroups} (its template, sizes, tags),
 * {@code DescribeScalingActivities} (the latest {@value #ACTIVITIES});</li>
 * <li>EC2 Fleet: {@code DescribeFleets} and {@code DescribeFleetHistory}; Spot Fleet request:
 * {@code DescribeSpotFleetRequests} and {@code DescribeSpotFleetRequestHistory}: one page of the fleet's
 * history since {@value #HISTORY_LOOK_BACK_MINUTES} minutes before the event (EC2 API Reference,
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeFleetHistory.html,
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeSpotFleetRequestHistory.html), of which
 * the latest {@value #HISTORY_LINES} records are kept, newest first;</li>
 * <li>then the launch template: {@code DescribeLaunchTemplates} (rotate-ami's tags: the rotation and its
 * canaries) and {@code DescribeLaunchTemplateVersions} of the version in use (its image).</li>
 * </ul>
 * A group or fleet that no longer exists reads as null: the event is about something gone.
 */
public final class LaunchEvidenceReader {

    static final int ACTIVITIES = 5;
    /** How far back a fleet's history is read, before the event's time. */
    static final long HISTORY_LOOK_BACK_MINUTES = 60;
    /** How many of a fleet's history records a ticket shows. */
    static final int HISTORY_LINES = 10;
    /** A record's description is AWS's text; a ticket shows this much of it. */
    static final int DESCRIPTION_CHARS = 200;

    private final AutoScalingClient autoScaling;
    private final Ec2Client ec2;

    public LaunchEvidenceReader(AutoScalingClient autoScaling, Ec2Client ec2) {
        this.autoScaling = autoScaling;
        this.ec2 = ec2;
    }

    /** The group named {@code name}, or null when it does not exist. */
    public LaunchTarget group(String name) {
        List<AutoScalingGroup> groups = autoScaling.describeAutoScalingGroups(r -> r.autoScalingGroupNames(name)).autoScalingGroups();
        if (groups.isEmpty()) {
            return null;
        }
        AutoScalingGroup group = groups.get(0);
        LaunchTemplateSpecification spec = group.launchTemplate() != null ? group.launchTemplate()
                : group.mixedInstancesPolicy() != null && group.mixedInstancesPolicy().launchTemplate() != null
                ? group.mixedInstancesPolicy().launchTemplate().launchTemplateSpecification() : null;
        Map<String, String> tags = new TreeMap<>();
        for (TagDescription tag : group.tags()) {
            tags.put(tag.key(), tag.value());
        }
        List<String> activities = new ArrayList<>();
        for (Activity a : autoScaling.describeScalingActivities(r -> r.autoScalingGroupName(name).maxRecords(ACTIVITIES)).activities()) {
            activities.add(a.startTime() + " " + a.statusCodeAsString() + ": " + a.description()
                    + (a.statusMessage() == null ? "" : " (" + a.statusMessage() + ")"));
        }
        int inService = (int) group.instances().stream().filter(i -> "InService".equals(i.lifecycleStateAsString())).count();
        return withTemplate("AUTO_SCALING_GROUP", name, group.autoScalingGroupARN(), cluster(tags),
                spec == null ? null : spec.launchTemplateId(), spec == null ? null : spec.launchTemplateName(),
                spec == null ? null : spec.version(), group.desiredCapacity(), inService, activities);
    }

    /** The EC2 Fleet {@code id}, or null; its history from {@value #HISTORY_LOOK_BACK_MINUTES} minutes before {@code eventTime}. */
    public LaunchTarget ec2Fleet(String id, String arn, Instant eventTime) {
        Instant since = eventTime.minus(Duration.ofMinutes(HISTORY_LOOK_BACK_MINUTES));
        List<FleetData> fleets = ec2.describeFleets(r -> r.fleetIds(id)).fleets();
        if (fleets.isEmpty()) {
            return null;
        }
        FleetData fleet = fleets.get(0);
        var spec = fleet.launchTemplateConfigs().isEmpty() ? null : fleet.launchTemplateConfigs().get(0).launchTemplateSpecification();
        Integer target = fleet.targetCapacitySpecification() == null ? null : fleet.targetCapacitySpecification().totalTargetCapacity();
        Integer fulfilled = fleet.fulfilledCapacity() == null ? null : fleet.fulfilledCapacity().intValue();
        List<String> history;
        try {
            var answer = ec2.describeFleetHistory(r -> r.fleetId(id).startTime(since));
            history = history(answer.historyRecords().stream().map(h -> new HistoryLine(h.timestamp(), h.eventTypeAsString(),
                    h.eventInformation())).toList(), answer.nextToken() != null, since);
        } catch (Ec2Exception e) {
            history = gone(e, "InvalidFleetId.NotFound");
        }
        return withTemplate("EC2_FLEET", id, arn, cluster(tags(fleet.tags())), spec == null ? null : spec.launchTemplateId(),
                spec == null ? null : spec.launchTemplateName(), spec == null ? null : spec.version(), target, fulfilled, history);
    }

    /** The Spot Fleet request {@code id}, or null; its history from {@value #HISTORY_LOOK_BACK_MINUTES} minutes before {@code eventTime}. */
    public LaunchTarget spotFleet(String id, String arn, Instant eventTime) {
        Instant since = eventTime.minus(Duration.ofMinutes(HISTORY_LOOK_BACK_MINUTES));
        List<SpotFleetRequestConfig> requests = ec2.describeSpotFleetRequests(r -> r.spotFleetRequestIds(id)).spotFleetRequestConfigs();
        if (requests.isEmpty()) {
            return null;
        }
        SpotFleetRequestConfig request = requests.get(0);
        var config = request.spotFleetRequestConfig();
        var spec = config.launchTemplateConfigs().isEmpty() ? null : config.launchTemplateConfigs().get(0).launchTemplateSpecification();
        Integer fulfilled = config.fulfilledCapacity() == null ? null : config.fulfilledCapacity().intValue();
        List<String> history;
        try {
            var answer = ec2.describeSpotFleetRequestHistory(r -> r.spotFleetRequestId(id).startTime(since));
            history = history(answer.historyRecords().stream().map(h -> new HistoryLine(h.timestamp(), h.eventTypeAsString(),
                    h.eventInformation())).toList(), answer.nextToken() != null, since);
        } catch (Ec2Exception e) {
            history = gone(e, "InvalidSpotFleetRequestId.NotFound");
        }
        return withTemplate("SPOT_FLEET", id, arn, cluster(tags(request.tags())), spec == null ? null : spec.launchTemplateId(),
                spec == null ? null : spec.launchTemplateName(), spec == null ? null : spec.version(), config.targetCapacity(), fulfilled,
                history);
    }

    private record HistoryLine(Instant time, String type, EventInformation information) {
    }

    /**
     * The latest {@value #HISTORY_LINES} records, newest first, one line each: time, event type, sub-type,
     * instance, and AWS's description cut to {@value #DESCRIPTION_CHARS} characters (the sinks escape it).
     * An instance change's description (its type, image and zone as JSON) is left out: the instance says it.
     */
    private static List<String> history(List<HistoryLine> oldestFirst, boolean morePages, Instant since) {
        List<String> lines = new ArrayList<>();
        for (int i = oldestFirst.size() - 1; i >= 0 && lines.size() < HISTORY_LINES; i--) {
            HistoryLine h = oldestFirst.get(i);
            EventInformation info = h.information();
            String subType = info == null ? null : info.eventSubType();
            String instance = info == null ? null : info.instanceId();
            String description = info == null || instance != null ? null : info.eventDescription();
            if (description != null && description.length() > DESCRIPTION_CHARS) {
                description = description.substring(0, DESCRIPTION_CHARS) + "...";
            }
            lines.add(h.time() + " " + h.type() + (subType == null ? "" : " " + subType) + (instance == null ? "" : " " + instance)
                    + (description == null ? "" : ": " + description));
        }
        int older = oldestFirst.size() - lines.size();
        if (older > 0) {
            lines.add("(" + older + " older records since " + since + " not shown)");
        }
        if (morePages) {
            lines.add("(the fleet has more records since " + since + " than one page; only the first page was read)");
        }
        return lines;
    }

    /** The fleet was described a moment ago; gone since, its history is too. Other errors propagate. */
    private static List<String> gone(Ec2Exception e, String notFound) {
        if (e.awsErrorDetails() != null && notFound.equals(e.awsErrorDetails().errorCode())) {
            return List.of("(the fleet's history is gone: " + notFound + ")");
        }
        throw e;
    }

    private LaunchTarget withTemplate(String kind, String id, String arn, String cluster, String templateId, String templateName,
                                      String version, Integer desired, Integer inService, List<String> activities) {
        if (templateId == null && templateName == null) {
            return new LaunchTarget(kind, id, arn, cluster, null, null, null, null, desired, inService, activities, null, List.of(), false);
        }
        List<LaunchTemplate> templates = ec2.describeLaunchTemplates(r -> {
            if (templateId != null) {
                r.launchTemplateIds(templateId);
            } else {
                r.launchTemplateNames(templateName);
            }
        }).launchTemplates();
        if (templates.isEmpty()) {
            return new LaunchTarget(kind, id, arn, cluster, templateId, templateName, version, null, desired, inService, activities,
                    "the launch template no longer exists", List.of(), false);
        }
        LaunchTemplate template = templates.get(0);
        String wanted = version == null ? "$Default" : version;
        List<LaunchTemplateVersion> versions = ec2.describeLaunchTemplateVersions(r -> r.launchTemplateId(template.launchTemplateId())
                .versions(wanted)).launchTemplateVersions();
        LaunchTemplateVersion used = versions.isEmpty() ? null : versions.get(0);
        Map<String, String> tags = tags(template.tags());
        String rotated = tags.get(DeckhandTags.ROTATED_VERSION);
        String rotation = rotated == null ? null : "version " + tags.getOrDefault(DeckhandTags.PREVIOUS_VERSION, "?") + " -> " + rotated;
        List<String> canaries = tags.entrySet().stream().filter(e -> e.getKey().startsWith(DeckhandTags.CANARY_PREFIX))
                .map(e -> e.getKey().substring(DeckhandTags.CANARY_PREFIX.length()) + ": " + e.getValue()).toList();
        String number = used == null ? wanted : Long.toString(used.versionNumber());
        return new LaunchTarget(kind, id, arn, cluster, template.launchTemplateId(), template.launchTemplateName(),
                number + (wanted.startsWith("$") ? " (" + wanted + ")" : ""),
                used == null || used.launchTemplateData() == null ? null : used.launchTemplateData().imageId(),
                desired, inService, activities, rotation, canaries, rotated != null && rotated.equals(number));
    }

    private static Map<String, String> tags(List<Tag> tags) {
        Map<String, String> map = new TreeMap<>();
        for (Tag tag : tags) {
            map.put(tag.key(), tag.value());
        }
        return map;
    }

    /** The cluster the operator's {@code deckhand:cluster} tag names, else hold-capacity's tags (the Spot source's, else the lever's). */
    private static String cluster(Map<String, String> tags) {
        String operator = tags.get(DeckhandTags.CLUSTER);
        if (operator != null && !operator.isBlank()) {
            return operator;
        }
        String spot = tags.get(DeckhandTags.HOLD_SPOT);
        return spot != null && !spot.isBlank() ? spot : tags.get(DeckhandTags.HOLD_LEVER);
    }
}
