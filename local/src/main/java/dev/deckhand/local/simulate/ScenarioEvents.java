package dev.deckhand.local.simulate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.core.event.AmiRefreshRequested;
import dev.deckhand.local.template.SamTemplate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.autoscaling.model.Activity;
import software.amazon.awssdk.services.autoscaling.model.ScalingActivityStatusCode;

/**
 * The EventBridge events a scenario's happenings raise, shaped as AWS documents them (the samples
 * in events/ are the same shapes): EC2's Spot interruption warning and rebalance recommendation,
 * ECS's deployment and container instance state changes, Parameter Store's change, Auto Scaling's
 * launch results, EventBridge's schedule, and Deckhand's own AMI refresh request.
 * {@code time} is filled in at delivery.
 */
final class ScenarioEvents {

    static final String AMI_REFRESH = "Deckhand AMI Refresh Requested";

    private static final ObjectMapper JSON = new ObjectMapper();
    private final String region;
    private final Random ids;

    ScenarioEvents(String region, long seed) {
        this.region = region;
        this.ids = new Random(seed);
    }

    ObjectNode spotWarning(String instanceId) {
        return spotWarning(instanceId, "terminate");
    }

    /** {@code action}: terminate, stop or hibernate (the Spot request's interruption behavior). */
    ObjectNode spotWarning(String instanceId, String action) {
        ObjectNode event = envelope("aws.ec2", "EC2 Spot Instance Interruption Warning", "arn:aws:ec2:" + region + ":"
                + SamTemplate.ACCOUNT_ID + ":instance/" + instanceId);
        event.putObject("detail").put("instance-id", instanceId).put("instance-action", action);
        return event;
    }

    /** EC2 Instance State-change Notification: {@code state} stopping, running, ... */
    ObjectNode stateChange(String instanceId, String state) {
        ObjectNode event = envelope("aws.ec2", "EC2 Instance State-change Notification", "arn:aws:ec2:" + region + ":"
                + SamTemplate.ACCOUNT_ID + ":instance/" + instanceId);
        event.putObject("detail").put("instance-id", instanceId).put("state", state);
        return event;
    }

    ObjectNode rebalanceRecommendation(String instanceId) {
        ObjectNode event = envelope("aws.ec2", "EC2 Instance Rebalance Recommendation", "arn:aws:ec2:" + region + ":"
                + SamTemplate.ACCOUNT_ID + ":instance/" + instanceId);
        event.putObject("detail").put("instance-id", instanceId);
        return event;
    }

    /** {@code eventName}: SERVICE_DEPLOYMENT_IN_PROGRESS or SERVICE_DEPLOYMENT_COMPLETED. */
    ObjectNode deploymentStateChange(String cluster, String service, String deploymentId, String eventName) {
        ObjectNode event = envelope("aws.ecs", "ECS Deployment State Change", "arn:aws:ecs:" + region + ":" + SamTemplate.ACCOUNT_ID
                + ":service/" + cluster + "/" + service);
        String state = eventName.endsWith("COMPLETED") ? "completed" : "in progress";
        event.putObject("detail").put("eventType", "INFO").put("eventName", eventName).put("deploymentId", deploymentId)
                .put("updatedAt", Instant.now().toString()).put("reason", "ECS deployment " + deploymentId + " " + state + ".");
        return event;
    }

    /** A container instance that just registered ACTIVE with nothing on it. */
    ObjectNode containerInstanceActive(ScenarioFleet.FleetInstance instance) {
        String clusterArn = "arn:aws:ecs:" + region + ":" + SamTemplate.ACCOUNT_ID + ":cluster/" + instance.cluster();
        ObjectNode event = envelope("aws.ecs", "ECS Container Instance State Change", instance.containerInstanceArn());
        ObjectNode detail = event.putObject("detail");
        detail.put("agentConnected", true);
        detail.putArray("attributes").addObject().put("name", "ecs.availability-zone").put("value", region + instance.zone());
        detail.put("clusterArn", clusterArn);
        detail.put("containerInstanceArn", instance.containerInstanceArn());
        detail.put("ec2InstanceId", instance.ec2InstanceId());
        for (String field : new String[] {"registeredResources", "remainingResources"}) {
            var resources = detail.putArray(field);
            resources.addObject().put("name", "CPU").put("type", "INTEGER").put("integerValue", instance.spec().cpu());
            resources.addObject().put("name", "MEMORY").put("type", "INTEGER").put("integerValue", instance.spec().memory());
        }
        detail.put("status", "ACTIVE");
        detail.put("version", 1);
        detail.putObject("versionInfo").put("agentVersion", "1.89.2").put("dockerVersion", "DockerVersion: 25.0.8");
        detail.put("runningTasksCount", 0);
        detail.put("pendingTasksCount", 0);
        detail.put("updatedAt", Instant.now().toString());
        return event;
    }

    /** Deckhand's own request to refresh AMIs now (rotate-ami's trigger besides its schedule). */
    ObjectNode amiRefresh(String parameter, String imageId) {
        ObjectNode event = envelope("deckhand", AMI_REFRESH, null);
        // The schema is core's AmiRefreshRequested; the parameter and image go in the reason, as a person would write them.
        event.putObject("detail").put("schemaVersion", AmiRefreshRequested.SCHEMA_VERSION)
                .put("requestedBy", "deckhand-simulate").put("reason", "new AMI release: " + parameter + " is " + imageId);
        return event;
    }

    /**
     * Parameter Store's change of a parameter Deckhand's pipeline wrote ("Amazon EventBridge event examples
     * for Systems Manager", Update Parameter; events/parameter-store-change.json).
     */
    ObjectNode parameterChange(String parameter, String operation) {
        String path = parameter.startsWith("/") ? parameter : "/" + parameter;
        ObjectNode event = envelope("aws.ssm", "Parameter Store Change", "arn:aws:ssm:" + region + ":" + SamTemplate.ACCOUNT_ID
                + ":parameter" + path);
        event.putObject("detail").put("operation", operation).put("name", parameter).put("type", "String")
                .put("description", "written by deckhand simulate's image pipeline");
        return event;
    }

    /**
     * Auto Scaling's event for one launch activity ("Amazon EC2 Auto Scaling event reference": EC2
     * Instance Launch Successful, with StatusCode InProgress, or Unsuccessful, with StatusCode Failed
     * and the activity's StatusMessage; events/autoscaling-launch-unsuccessful-image.json).
     */
    ObjectNode launchActivity(String groupArn, Activity activity) {
        boolean failed = activity.statusCode() == ScalingActivityStatusCode.FAILED;
        String instanceId = instanceOf(activity);
        ObjectNode event = envelope("aws.autoscaling", failed ? "EC2 Instance Launch Unsuccessful" : "EC2 Instance Launch Successful", groupArn);
        if (!instanceId.isEmpty()) {
            event.withArray("resources").add("arn:aws:ec2:" + region + ":" + SamTemplate.ACCOUNT_ID + ":instance/" + instanceId);
        }
        ObjectNode detail = event.putObject("detail");
        detail.put("StatusCode", failed ? "Failed" : "InProgress");
        if (!failed) {
            detail.put("Description", activity.description());
        }
        detail.put("AutoScalingGroupName", activity.autoScalingGroupName());
        detail.put("ActivityId", activity.activityId());
        ObjectNode details = detail.putObject("Details");
        try {
            JSON.readTree(activity.details() == null ? "{}" : activity.details()).fields().forEachRemaining(f -> details.set(f.getKey(), f.getValue()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        detail.put("RequestId", UUID.nameUUIDFromBytes(Long.toString(ids.nextLong()).getBytes(StandardCharsets.UTF_8)).toString());
        detail.put("StatusMessage", activity.statusMessage() == null ? "" : activity.statusMessage());
        detail.put("EndTime", String.valueOf(activity.endTime()));
        detail.put("EC2InstanceId", instanceId);
        detail.put("StartTime", String.valueOf(activity.startTime()));
        detail.put("Cause", activity.cause());
        return event;
    }

    /** The instance a launch activity launched ("Launching a new EC2 instance: i-..."), or empty when it launched none. */
    static String instanceOf(Activity activity) {
        Matcher id = Pattern.compile("instance: (i-[0-9a-f]+)").matcher(String.valueOf(activity.description()));
        return id.find() ? id.group(1) : "";
    }

    /** EventBridge's Scheduled Event for the schedule rule named {@code generatedName} (as SAM names it). */
    ObjectNode scheduled(String generatedName) {
        ObjectNode event = envelope("aws.events", "Scheduled Event", "arn:aws:events:" + region + ":" + SamTemplate.ACCOUNT_ID
                + ":rule/" + generatedName);
        event.putObject("detail");
        return event;
    }

    private ObjectNode envelope(String source, String detailType, String resource) {
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "0");
        event.put("id", UUID.nameUUIDFromBytes(Long.toString(ids.nextLong()).getBytes(StandardCharsets.UTF_8)).toString());
        event.put("detail-type", detailType);
        event.put("source", source);
        event.put("account", SamTemplate.ACCOUNT_ID);
        event.put("time", Instant.now().toString());
        event.put("region", region);
        var resources = event.putArray("resources");
        if (resource != null) {
            resources.add(resource);
        }
        return event;
    }
}
