package dev.deckhand.ticket.planner;

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
}
