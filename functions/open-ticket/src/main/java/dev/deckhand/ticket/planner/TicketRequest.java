package dev.deckhand.ticket.planner;

import dev.deckhand.core.event.CapacityShortage;
import dev.deckhand.core.event.LaunchFailure;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One event open-ticket takes, checked and parsed by the handler: every field is within its bounds,
 * and nothing is read from AWS yet. The flow ({@code executor.TicketFlow}) takes it from here.
 *
 * <pre>{@code
 * TicketRequest request = new TicketRequest.ServiceAction(origin, new ServiceRef("web", "api", arn),
 *         ServiceEvent.TASK_PLACEMENT_FAILURE, "RESOURCE:MEMORY");
 * TicketResult result = flow.handle(request);
 * }</pre>
 */
public sealed interface TicketRequest {

    /** The event's id, account, region and time. */
    Origin origin();

    /** What the result's {@code kind} says. */
    TicketKind kind();

    /** Where and when the event happened. */
    record Origin(String eventId, String account, String region, Instant time) {
    }

    /**
     * An ECS service an event names; {@code cluster} is null for a short (pre-2021) service ARN the
     * event gives no cluster for: the flow looks it up among the managed clusters.
     */
    record ServiceRef(String cluster, String service, String arn) {
    }

    /** An ECS deployment's state-change, by AWS's {@code detail.eventName}. */
    enum DeploymentEvent {
        SERVICE_DEPLOYMENT_IN_PROGRESS, SERVICE_DEPLOYMENT_COMPLETED, SERVICE_DEPLOYMENT_FAILED
    }

    /** The ECS service actions open-ticket tickets, by AWS's {@code detail.eventName}. */
    enum ServiceEvent {
        SERVICE_TASK_PLACEMENT_FAILURE, SERVICE_TASK_START_IMPAIRED
    }

    /** What launches: an Auto Scaling group, an EC2 Fleet or a Spot Fleet request (the LaunchTarget kinds). */
    enum TargetKind {
        AUTO_SCALING_GROUP, EC2_FLEET, SPOT_FLEET
    }

    /** {@code ECR Image Scan}: a basic scan's result; the severity counts of the severities Deckhand knows. */
    record ImageScan(Origin origin, String repository, String digest, List<String> tags, String scanStatus,
                     Map<Severity, Integer> counts) implements TicketRequest {
        public ImageScan {
            tags = List.copyOf(tags);
            counts = Map.copyOf(counts);
        }

        @Override
        public TicketKind kind() {
            return TicketKind.ECR_SCAN;
        }
    }

    /**
     * {@code Inspector2 Finding}. {@code vulnerability} is null when the finding is not on an ECR image
     * or is not a package vulnerability (its fields are then not read).
     */
    record InspectorFinding(Origin origin, boolean onEcrImage, String findingType, Evidence.Vulnerability vulnerability)
            implements TicketRequest {
        @Override
        public TicketKind kind() {
            return TicketKind.INSPECTOR;
        }
    }

    /** {@code ECS Deployment State Change}. */
    record EcsDeployment(Origin origin, ServiceRef service, DeploymentEvent event, String deploymentId, String reason)
            implements TicketRequest {
        @Override
        public TicketKind kind() {
            return TicketKind.ECS_DEPLOYMENT;
        }
    }

    /** {@code ECS Service Action}: tasks cannot be placed or fail to start. */
    record ServiceAction(Origin origin, ServiceRef service, ServiceEvent event, String reason) implements TicketRequest {
        @Override
        public TicketKind kind() {
            return TicketKind.ECS_SERVICE_ACTION;
        }
    }

    /** {@code CodeDeploy Deployment State-change Notification}. */
    record CodeDeploy(Origin origin, String application, String deploymentGroup, String deploymentId, String state)
            implements TicketRequest {
        @Override
        public TicketKind kind() {
            return TicketKind.CODEDEPLOY;
        }
    }

    /** {@code EC2 Instance Launch Unsuccessful}. */
    record GroupLaunchFailed(Origin origin, String group, LaunchFailure.Cause cause, String statusMessage, String availabilityZone)
            implements TicketRequest {
        @Override
        public TicketKind kind() {
            return TicketKind.LAUNCH_FAILURE;
        }
    }

    /** {@code EC2 Fleet Error} / {@code EC2 Spot Fleet Error}; {@code kind} is EC2_FLEET or SPOT_FLEET. */
    record FleetError(Origin origin, TargetKind fleetKind, String fleetId, String fleetArn, LaunchFailure.Cause cause, String subType,
                      String description) implements TicketRequest {
        @Override
        public TicketKind kind() {
            return TicketKind.LAUNCH_FAILURE;
        }
    }

    /**
     * {@code EC2 Instance Launch Successful} (subType null), or a fleet's {@code Instance Change} (its
     * sub-type: only {@code launched} closes anything).
     */
    record Launched(Origin origin, TargetKind targetKind, String id, String instanceId, String subType) implements TicketRequest {
        @Override
        public TicketKind kind() {
            return TicketKind.LAUNCHED_AGAIN;
        }
    }

    /** hold-capacity's {@code Deckhand Capacity Shortage}. */
    record Shortage(Origin origin, CapacityShortage shortage) implements TicketRequest {
        @Override
        public TicketKind kind() {
            return TicketKind.CAPACITY_SHORTAGE;
        }
    }
}
