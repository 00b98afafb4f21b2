package dev.deckhand.ticket.planner;

import dev.deckhand.core.event.LaunchFailure;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What the executor read from AWS, as plain values the planner decides from. */
public final class Evidence {

    private Evidence() {
    }

    /** One basic-scan finding: DescribeImageScanFindings' {@code findings[]}. */
    public record ScanFinding(String name, Severity severity, String uri, String packageName, String packageVersion) {
    }

    /**
     * The scan of one image.
     *
     * @param worst     the worst findings, worst first, at most the configured number
     * @param read      findings read (pages are capped)
     * @param truncated true when there were more pages than Deckhand reads
     * @param note      why findings are missing, when they are
     */
    public record ImageScan(String repository, String digest, List<String> tags, Map<Severity, Integer> counts,
                            List<ScanFinding> worst, int read, boolean truncated, String note) {
    }

    /** A service whose task definition runs the image. */
    public record Deployed(String cluster, String service, int running, String taskDefinition) {
    }

    /**
     * Where an image runs.
     *
     * @param truncated true when the search stopped at its bounds (clusters, services)
     */
    public record DeployedIn(List<Deployed> services, int clustersSearched, boolean truncated) {

        public static final DeployedIn NOT_SEARCHED = new DeployedIn(List.of(), 0, false);

        public boolean deployed() {
            return !services.isEmpty();
        }
    }

    /** An Inspector package vulnerability on an ECR image. */
    public record Vulnerability(String findingArn, String vulnerabilityId, String title, String description, Severity severity,
                                String status, Double inspectorScore, String repository, String digest, List<String> tags,
                                List<String> packages, String fixAvailable, String remediation, String sourceUrl) {
    }

    /** A container of a stopped task. */
    public record ContainerExit(String name, Integer exitCode, String reason, String lastStatus) {
    }

    /** A stopped task of the service, from DescribeTasks. */
    public record StoppedTask(String taskId, String taskDefinition, String stopCode, String stoppedReason, Instant stoppedAt,
                              List<ContainerExit> containers) {
    }

    /** The service as DescribeServices shows it, with its latest service events. */
    public record ServiceState(String cluster, String service, String serviceArn, String taskDefinition, int desired, int running,
                               int pending, List<String> deployments, List<String> recentEvents) {
    }

    /**
     * A failure to ticket: a failed ECS deployment, a service that cannot place or start tasks,
     * or a failed CodeDeploy deployment.
     *
     * @param kind          ECS_DEPLOYMENT_FAILED, SERVICE_TASK_PLACEMENT_FAILURE, SERVICE_TASK_START_IMPAIRED, CODEDEPLOY_FAILED
     * @param deploymentId  ECS's {@code ecs-svc/...} or CodeDeploy's {@code d-...}; null for service actions
     * @param errorMessage  CodeDeploy's errorInformation, when read
     */
    public record Failure(String kind, String cluster, String service, String serviceArn, String deploymentId, String reason,
                          Instant time, String application, String deploymentGroup, String errorMessage) {
    }

    /**
     * An Auto Scaling group, EC2 Fleet or Spot Fleet request that failed to launch, as read.
     *
     * @param kind            AUTO_SCALING_GROUP, EC2_FLEET, SPOT_FLEET
     * @param cluster         the ECS cluster (the group's or fleet's {@code deckhand:cluster} tag, else hold-capacity's tags), or null
     * @param templateVersion the launch template version it launches (the number, when {@code $Default} or {@code $Latest} resolved)
     * @param imageId         that version's {@code ImageId}
     * @param activities      the latest activities, newest first: Auto Scaling's scaling activities, a fleet's history (DescribeFleetHistory / DescribeSpotFleetRequestHistory)
     * @param rotation        rotate-ami's record on the template ({@code deckhand:previous-version} to {@code deckhand:rotated-version}), or null
     * @param canaries        rotate-ami's canaries on the template ({@code deckhand:canary:<cluster>} values), empty when none
     * @param onRotatedVersion true when it launches the version rotate-ami made last
     */
    public record LaunchTarget(String kind, String id, String arn, String cluster, String templateId, String templateName,
                               String templateVersion, String imageId, Integer desired, Integer inService, List<String> activities,
                               String rotation, List<String> canaries, boolean onRotatedVersion) {
    }

    /** A launch failure to ticket: what AWS said and how the shared classifier reads it. */
    public record LaunchFailed(LaunchTarget target, LaunchFailure.Cause cause, String statusMessage,
                               String subType, String availabilityZone, Instant time) {
    }
}
