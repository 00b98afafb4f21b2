package dev.deckhand.ticket.executor;

import dev.deckhand.core.aws.EcsGone;
import dev.deckhand.core.aws.ClusterDirectory;
import dev.deckhand.core.config.ManagedClusters;
import dev.deckhand.ticket.planner.Evidence.ContainerExit;
import dev.deckhand.ticket.planner.Evidence.Deployed;
import dev.deckhand.ticket.planner.Evidence.DeployedIn;
import dev.deckhand.ticket.planner.Evidence.ImageScan;
import dev.deckhand.ticket.planner.Evidence.ScanFinding;
import dev.deckhand.ticket.planner.Evidence.ServiceState;
import dev.deckhand.ticket.planner.Evidence.StoppedTask;
import dev.deckhand.ticket.planner.Evidence;
import dev.deckhand.ticket.planner.Severity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import software.amazon.awssdk.services.codedeploy.model.DeploymentDoesNotExistException;
import software.amazon.awssdk.services.codedeploy.model.DeploymentInfo;
import software.amazon.awssdk.services.codedeploy.model.ECSService;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.DescribeImageScanFindingsResponse;
import software.amazon.awssdk.services.ecr.model.ImageNotFoundException;
import software.amazon.awssdk.services.ecr.model.ImageScanFinding;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;
import software.amazon.awssdk.services.ecr.model.ScanNotFoundException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * Reads the evidence a ticket shows, within fixed bounds, so one event costs a handful of calls:
 * <ul>
 * <li>scan findings: {@code DescribeImageScanFindings} by 100, at most {@value #MAX_FINDING_PAGES} pages;</li>
 * <li>where an image runs: the managed clusters (or {@code ListClusters}), at most the configured
 * number; {@code ListServices} (at most one page of 100 per cluster), {@code DescribeServices} by 10,
 * and {@code DescribeTaskDefinition} once per task definition revision per container (revisions
 * never change, so the answer is kept);</li>
 * <li>failures: {@code DescribeServices}, {@code ListTasks} STOPPED (one page), {@code DescribeTasks}.</li>
 * </ul>
 */
public final class EvidenceReader {

    static final int MAX_FINDING_PAGES = 10;
    private static final Logger log = LoggerFactory.getLogger(EvidenceReader.class);

    private final EcrClient ecr;
    private final EcsClient ecs;
    private final CodeDeployClient codeDeploy;
    private final ClusterDirectory directory;
    private final int maxClusters;
    /** Task definition ARN (with revision) -> its container images; revisions are immutable. */
    private final Map<String, List<String>> images = new ConcurrentHashMap<>();

    public EvidenceReader(EcrClient ecr, EcsClient ecs, CodeDeployClient codeDeploy, ClusterDirectory directory, int maxClusters) {
        this.ecr = ecr;
        this.ecs = ecs;
        this.codeDeploy = codeDeploy;
        this.directory = directory;
        this.maxClusters = maxClusters;
    }

    public ImageScan scan(String registryId, String repository, String digest, List<String> tags, Map<Severity, Integer> counts,
                          int worstShown) {
        List<ScanFinding> findings = new ArrayList<>();
        String token = null;
        int pages = 0;
        boolean truncated = false;
        try {
            do {
                String next = token;
                DescribeImageScanFindingsResponse page = ecr.describeImageScanFindings(r -> r.registryId(registryId)
                        .repositoryName(repository).imageId(i -> i.imageDigest(digest)).maxResults(100).nextToken(next));
                pages++;
                if (page.imageScanFindings() != null) {
                    for (ImageScanFinding f : page.imageScanFindings().findings()) {
                        String name = null;
                        String version = null;
                        for (var attribute : f.attributes()) {
                            if ("package_name".equals(attribute.key())) {
                                name = attribute.value();
                            } else if ("package_version".equals(attribute.key())) {
                                version = attribute.value();
                            }
                        }
                        Severity severity = Severity.parse(f.severityAsString());
                        findings.add(new ScanFinding(f.name(), severity == null ? Severity.UNDEFINED : severity, f.uri(), name, version));
                    }
                }
                token = page.nextToken();
                truncated = token != null && pages >= MAX_FINDING_PAGES;
            } while (token != null && !truncated);
        } catch (ScanNotFoundException | ImageNotFoundException | RepositoryNotFoundException e) {
            log.atWarn().addKeyValue("repository", repository).addKeyValue("error", e.awsErrorDetails().errorCode())
                    .log("scan findings are not available; the ticket shows the event's counts only");
            return new ImageScan(repository, digest, tags, counts, List.of(), 0, false,
                    "ECR has no findings for this image any more (" + e.awsErrorDetails().errorCode() + "): the counts come from the event.");
        }
        findings.sort(Comparator.comparing(ScanFinding::severity).reversed().thenComparing(f -> f.name() == null ? "" : f.name()));
        return new ImageScan(repository, digest, tags, counts, List.copyOf(findings.subList(0, Math.min(worstShown, findings.size()))),
                findings.size(), truncated, null);
    }

    /**
     * The services of the managed clusters whose current task definition names the image: by
     * digest ({@code repo@sha256:...}), or by one of {@code tags} ({@code repo:tag}) since a tag
     * resolves to this digest now.
     */
    public DeployedIn whereRuns(String registryId, String region, String repository, String digest, List<String> tags) {
        String uri = registryId + ".dkr.ecr." + region + ".amazonaws.com/" + repository;
        List<String> clusters = managedClusters();
        boolean truncated = false;
        if (clusters.size() > maxClusters) {
            truncated = true;
            clusters.subList(maxClusters, clusters.size()).clear();
        }
        List<Deployed> deployed = new ArrayList<>();
        for (String cluster : clusters) {
            List<String> arns;
            try {
                var page = ecs.listServices(r -> r.cluster(cluster).maxResults(100));
                arns = page.serviceArns();
                truncated |= page.nextToken() != null;
            } catch (ClusterNotFoundException e) {
                log.atWarn().addKeyValue("cluster", cluster).log("managed cluster does not exist; check " + ManagedClusters.KEY);
                continue;
            }
            for (int i = 0; i < arns.size(); i += 10) {
                List<String> batch = arns.subList(i, Math.min(arns.size(), i + 10));
                for (Service service : ecs.describeServices(r -> r.cluster(cluster).services(batch)).services()) {
                    for (String image : images(service.taskDefinition())) {
                        if (image.equals(uri + "@" + digest) || tags.stream().anyMatch(tag -> image.equals(uri + ":" + tag))) {
                            deployed.add(new Deployed(cluster, service.serviceName(), service.runningCount(), service.taskDefinition()));
                            break;
                        }
                    }
                }
            }
        }
        return new DeployedIn(List.copyOf(deployed), clusters.size(), truncated);
    }

    /** DECKHAND_CLUSTERS, or every cluster up to {@code maxClusters} and one more (to tell a bound was hit). */
    private List<String> managedClusters() {
        return new ArrayList<>(directory.clusters(maxClusters));
    }

    /**
     * The managed cluster of a service known by a short ARN ({@code arn:aws:ecs:region:account:service/name},
     * the format of services created before 2021, which names no cluster; ECS Developer Guide,
     * "Migrate an Amazon ECS short service ARN to a long ARN"): {@code DescribeServices} of that ARN
     * in each managed cluster (up to {@code maxClusters}), the one whose service has exactly this ARN
     * and is not INACTIVE; null when none.
     */
    public String clusterOfService(String serviceArn) {
        List<String> clusters = managedClusters();
        for (String cluster : clusters.subList(0, Math.min(clusters.size(), maxClusters))) {
            List<Service> services;
            try {
                services = ecs.describeServices(r -> r.cluster(cluster).services(serviceArn)).services();
            } catch (ClusterNotFoundException e) {
                log.atInfo().addKeyValue("cluster", cluster).log("managed cluster {} does not exist; skipped", cluster);
                continue;
            }
            for (Service service : services) {
                if (serviceArn.equals(service.serviceArn()) && !"INACTIVE".equals(service.status())) {
                    return cluster;
                }
            }
        }
        return null;
    }

    private List<String> images(String taskDefinition) {
        if (taskDefinition == null) {
            return List.of();
        }
        return images.computeIfAbsent(taskDefinition, arn -> ecs.describeTaskDefinition(r -> r.taskDefinition(arn)).taskDefinition()
                .containerDefinitions().stream().map(ContainerDefinition::image).toList());
    }

    /**
     * The service with its deployments and latest events. A cluster or service deleted since the event
     * throws what {@link EcsGone#orElse} turns into a no-op (ClusterNotFoundException, ServiceGoneException).
     */
    public ServiceState service(String cluster, String service) {
        Service s = EcsGone.activeService(cluster, service, ecs.describeServices(r -> r.cluster(cluster).services(service)));
        List<String> deployments = s.deployments().stream().map(d -> d.id() + " " + d.status()
                + (d.rolloutStateAsString() == null ? "" : " " + d.rolloutStateAsString())
                + " (" + d.runningCount() + "/" + d.desiredCount() + " running, " + (d.failedTasks() == null ? 0 : d.failedTasks())
                + " failed) " + shortTaskDefinition(d.taskDefinition())).toList();
        List<String> events = s.events().stream().limit(5).map(e -> (e.createdAt() == null ? "" : e.createdAt() + " ") + e.message()).toList();
        return new ServiceState(cluster, s.serviceName(), s.serviceArn(), s.taskDefinition(), s.desiredCount(), s.runningCount(),
                s.pendingCount(), deployments, events);
    }

    /** The service's latest stopped tasks, newest first. */
    public List<StoppedTask> stoppedTasks(String cluster, String service, int count) {
        // ClusterNotFoundException, ServiceNotFoundException: deleted since the event; the caller's EcsGone.orElse says so.
        List<String> arns = ecs.listTasks(r -> r.cluster(cluster).serviceName(service).desiredStatus(DesiredStatus.STOPPED).maxResults(100))
                .taskArns();
        if (arns.isEmpty()) {
            return List.of();
        }
        List<Task> tasks = new ArrayList<>(ecs.describeTasks(r -> r.cluster(cluster).tasks(arns)).tasks());
        tasks.sort(Comparator.comparing((Task t) -> t.stoppedAt() == null ? Instant.EPOCH : t.stoppedAt()).reversed());
        List<StoppedTask> stopped = new ArrayList<>();
        for (Task task : tasks.subList(0, Math.min(count, tasks.size()))) {
            List<ContainerExit> containers = task.containers().stream()
                    .map(c -> new ContainerExit(c.name(), c.exitCode(), c.reason(), c.lastStatus())).toList();
            stopped.add(new StoppedTask(task.taskArn().substring(task.taskArn().lastIndexOf('/') + 1), task.taskDefinitionArn(),
                    task.stopCodeAsString(), task.stoppedReason(), task.stoppedAt(), containers));
        }
        return stopped;
    }

    /** A CodeDeploy deployment: its error and the ECS service it deploys, when it is an ECS deployment. */
    public record CodeDeployment(String errorMessage, String cluster, String service) {
    }

    public CodeDeployment codeDeployment(String deploymentId, String application, String group) {
        String error = null;
        try {
            DeploymentInfo info = codeDeploy.getDeployment(r -> r.deploymentId(deploymentId)).deploymentInfo();
            error = info.errorInformation() == null || info.errorInformation().message() == null ? null
                    : info.errorInformation().codeAsString() + ": " + info.errorInformation().message();
        } catch (DeploymentDoesNotExistException e) {
            log.atWarn().addKeyValue("deploymentId", deploymentId).log("CodeDeploy no longer knows the deployment; its error is not shown");
        }
        List<ECSService> services = codeDeploy.getDeploymentGroup(r -> r.applicationName(application).deploymentGroupName(group))
                .deploymentGroupInfo().ecsServices();
        if (services.isEmpty()) {
            return new CodeDeployment(error, null, null);
        }
        return new CodeDeployment(error, services.get(0).clusterName(), services.get(0).serviceName());
    }

    static String shortTaskDefinition(String arn) {
        return arn == null ? "" : arn.substring(arn.lastIndexOf('/') + 1);
    }

}
