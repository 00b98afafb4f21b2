package dev.deckhand.ticket.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.deckhand.core.aws.AwsCallCounter;
import dev.deckhand.core.aws.AwsClients;
import dev.deckhand.core.aws.EcsGone;
import dev.deckhand.core.config.Env;
import dev.deckhand.core.event.BadEventException;
import dev.deckhand.core.event.CapacityShortage;
import dev.deckhand.core.event.EventEnvelope;
import dev.deckhand.core.event.EventInvocation;
import dev.deckhand.core.event.EventParser;
import dev.deckhand.core.event.LaunchFailure;
import dev.deckhand.core.log.Metrics;
import dev.deckhand.ticket.TicketConfig;
import dev.deckhand.ticket.executor.ActiveFindings;
import dev.deckhand.ticket.executor.EvidenceReader;
import dev.deckhand.ticket.executor.LaunchEvidenceReader;
import dev.deckhand.ticket.executor.TicketDispatcher;
import dev.deckhand.ticket.executor.TicketResult;
import dev.deckhand.ticket.planner.ChatMessage;
import dev.deckhand.ticket.planner.Evidence;
import dev.deckhand.ticket.planner.Severity;
import dev.deckhand.ticket.planner.Ticket;
import dev.deckhand.ticket.planner.TicketPlanner;
import dev.deckhand.ticket.sink.ChatWebhook;
import dev.deckhand.ticket.sink.GitHubIssues;
import dev.deckhand.ticket.sink.HttpSender;
import dev.deckhand.ticket.sink.JiraIssues;
import dev.deckhand.ticket.sink.OpsCenter;
import dev.deckhand.ticket.sink.Secret;
import dev.deckhand.ticket.sink.SecretParameters;
import dev.deckhand.ticket.sink.SinkResult;
import dev.deckhand.ticket.sink.TicketSink;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.inspector2.Inspector2Client;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Lambda entry point of open-ticket. ECR basic-scan results and Inspector findings become one
 * deduplicated ticket per image (ECR) or per repository and vulnerability (Inspector), with where
 * the image runs; failed deployments, placement failures and start failures become one ticket per
 * deployment (or service, event and day) with the stopped tasks as evidence; ECS deployments
 * starting, succeeding and failing become one chat line each.
 * Handler string: {@code dev.deckhand.ticket.handler.OpenTicketHandler::handleRequest}.
 */
public final class OpenTicketHandler implements RequestStreamHandler {

    private static final Logger log = LoggerFactory.getLogger(OpenTicketHandler.class);

    /** The clients and the HTTP sender a handler uses; tests build their own. */
    public record Clients(EcrClient ecr, EcsClient ecs, CodeDeployClient codeDeploy, SsmClient ssm, Inspector2Client inspector,
                          AutoScalingClient autoScaling, Ec2Client ec2, HttpSender http) {
    }

    private final EventParser parser = new EventParser();
    private final TicketConfig config;
    private final AwsCallCounter calls;
    private final HttpSender http;
    private final EvidenceReader reader;
    private final TicketPlanner planner = new TicketPlanner();
    private final TicketDispatcher dispatcher;
    private final ActiveFindings activeFindings;
    private final LaunchEvidenceReader launches;

    public OpenTicketHandler() {
        this(TicketConfig.from(Env.system()), new AwsCallCounter());
    }

    private OpenTicketHandler(TicketConfig config, AwsCallCounter calls) {
        this(config, new Clients(AwsClients.build(EcrClient.builder(), calls), AwsClients.build(EcsClient.builder(), calls),
                AwsClients.build(CodeDeployClient.builder(), calls), AwsClients.build(SsmClient.builder(), calls),
                AwsClients.build(Inspector2Client.builder(), calls), AwsClients.build(AutoScalingClient.builder(), calls),
                AwsClients.build(Ec2Client.builder(), calls), HttpSender.standard(config.httpMaxAttempts(), config.httpMaxRetryAfter())), calls, Clock.systemUTC());
    }

    /** Reads the sinks' secrets from SSM here, once per container. */
    public OpenTicketHandler(TicketConfig config, Clients clients, AwsCallCounter calls, Clock clock) {
        this.config = config;
        this.calls = calls;
        this.http = clients.http();
        this.activeFindings = new ActiveFindings(clients.inspector());
        this.launches = new LaunchEvidenceReader(clients.autoScaling(), clients.ec2());
        this.reader = new EvidenceReader(clients.ecr(), clients.ecs(), clients.codeDeploy(), config.clusters(), config.maxClusters());
        Map<String, Secret> secrets = SecretParameters.read(clients.ssm(), config.secretParameters());
        List<TicketSink> sinks = new ArrayList<>();
        for (TicketConfig.SinkKind kind : config.sinks()) {
            sinks.add(switch (kind) {
                case OPSCENTER -> new OpsCenter(clients.ssm(), parser.mapper());
                case GITHUB -> new GitHubIssues(http, parser.mapper(), config.github().repository(), config.github().apiUrl(),
                        secrets.get(config.github().tokenParameter()));
                case JIRA -> new JiraIssues(http, parser.mapper(), config.jira().url(), config.jira().project(), config.jira().issueType(),
                        config.jira().email(), secrets.get(config.jira().tokenParameter()));
            });
        }
        ChatWebhook chat = config.chatWebhookParameter() == null ? null
                : new ChatWebhook(http, parser.mapper(), secrets.get(config.chatWebhookParameter()), config::sinkUrlAllowed);
        this.dispatcher = new TicketDispatcher(sinks, chat, config.dryRun(), new Metrics("open-ticket", clock));
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        EventInvocation.run(context == null ? null : context.getAwsRequestId(), calls, log, "ticket", parser.mapper(), output, () -> {
            http.reset();
            EventEnvelope event = parser.parse(input);
            MDC.put("eventId", event.id());
            TicketResult result = handle(event);
            log.atInfo().addKeyValue("decision", result.decision()).addKeyValue("kind", result.kind())
                    .addKeyValue("fingerprint", result.fingerprint()).addKeyValue("priority", result.priority())
                    .addKeyValue("awsCalls", calls.byOperation()).addKeyValue("httpRequests", http.requests())
                    .log("{}: {}", result.decision(), result.reason());
            return result.withCalls(calls.byOperation(), http.requests());
        });
    }

    private TicketResult handle(EventEnvelope event) {
        if (!config.region().equals(event.region())) {
            throw new BadEventException("event field `region` is " + EventParser.abbreviate(event.region())
                    + " but this function acts in " + config.region());
        }
        if (event.account() == null || !EventFieldChecks.ACCOUNT.matcher(event.account()).matches()) {
            throw new BadEventException("event field `account` must be a 12-digit AWS account id");
        }
        if (event.is(TicketEvents.SOURCE_ECR, TicketEvents.ECR_IMAGE_SCAN)) {
            return imageScan(event, parser.detail(event, EcrImageScan.class));
        }
        if (event.is(TicketEvents.SOURCE_INSPECTOR, TicketEvents.INSPECTOR_FINDING)) {
            return inspector(event, parser.detail(event, InspectorFinding.class));
        }
        if (event.is(TicketEvents.SOURCE_ECS, TicketEvents.ECS_DEPLOYMENT_STATE_CHANGE)) {
            return deployment(event, parser.detail(event, EcsDeployment.class));
        }
        if (event.is(TicketEvents.SOURCE_ECS, TicketEvents.ECS_SERVICE_ACTION)) {
            return serviceAction(event, parser.detail(event, ServiceAction.class));
        }
        if (event.is(TicketEvents.SOURCE_CODEDEPLOY, TicketEvents.CODEDEPLOY_DEPLOYMENT)) {
            return codeDeploy(event, parser.detail(event, CodeDeployChange.class));
        }
        if (event.is(TicketEvents.SOURCE_AUTOSCALING, TicketEvents.LAUNCH_UNSUCCESSFUL)) {
            return groupLaunchFailed(event, parser.detail(event, LaunchActivity.class));
        }
        if (event.is(TicketEvents.SOURCE_AUTOSCALING, TicketEvents.LAUNCH_SUCCESSFUL)) {
            LaunchActivity launched = parser.detail(event, LaunchActivity.class);
            return launchedAgain(event, "AUTO_SCALING_GROUP", launched.group(), launched.instanceId());
        }
        if (event.is(TicketEvents.SOURCE_EC2_FLEET, TicketEvents.EC2_FLEET_ERROR) || event.is(TicketEvents.SOURCE_SPOT_FLEET, TicketEvents.SPOT_FLEET_ERROR)) {
            return fleetError(event, parser.detail(event, FleetEvent.class));
        }
        if (event.is(TicketEvents.SOURCE_EC2_FLEET, TicketEvents.EC2_FLEET_INSTANCE_CHANGE)
                || event.is(TicketEvents.SOURCE_SPOT_FLEET, TicketEvents.SPOT_FLEET_INSTANCE_CHANGE)) {
            FleetEvent change = parser.detail(event, FleetEvent.class);
            String[] fleet = fleet(event);
            if (!TicketEvents.FLEET_LAUNCHED.equals(change.subType())) {
                return ignored(event, "LAUNCHED_AGAIN", "instance change " + change.subType() + " is not a launch");
            }
            return launchedAgain(event, fleet[0], fleet[1], change.instanceId());
        }
        if (event.is(TicketEvents.SOURCE_DECKHAND, TicketEvents.CAPACITY_SHORTAGE)) {
            return capacityShortage(event, parser.detail(event, CapacityShortage.class));
        }
        throw new BadEventException("open-ticket does not handle source `" + EventParser.abbreviate(event.source())
                + "` with detail-type `" + EventParser.abbreviate(event.detailType()) + "`");
    }

    private TicketResult imageScan(EventEnvelope event, EcrImageScan scan) {
        String repositoryArn = "arn:aws:ecr:" + event.region() + ":" + event.account() + ":repository/" + scan.repositoryName();
        if (!event.resources().isEmpty() && !event.resources().get(0).endsWith(":" + event.account() + ":repository/" + scan.repositoryName())) {
            throw new BadEventException("event field `resources[0]` is not the repository of `detail.repository-name` in this account: "
                    + EventParser.abbreviate(event.resources().get(0)));
        }
        if (!"COMPLETE".equals(scan.scanStatus())) {
            return ignored(event, "ECR_SCAN", "scan-status is " + EventParser.abbreviate(scan.scanStatus()) + ", not COMPLETE: no findings to ticket");
        }
        Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
        scan.findingSeverityCounts().forEach((name, count) -> {
            Severity severity = Severity.parse(name);
            if (severity != null) {
                counts.merge(severity, count, Integer::sum);
            }
        });
        if (!planner.overThreshold(counts, config.minSeverity())) {
            return ignored(event, "ECR_SCAN", "no finding at or above " + config.minSeverity() + " (DECKHAND_TICKET_MIN_SEVERITY)");
        }
        Evidence.ImageScan findings = reader.scan(event.account(), scan.repositoryName(), scan.imageDigest(), scan.imageTags(), counts,
                config.maxFindings());
        Evidence.DeployedIn where = reader.whereRuns(event.account(), event.region(), scan.repositoryName(), scan.imageDigest(), scan.imageTags());
        return ticketed(event, "ECR_SCAN", planner.imageScan(findings, where, repositoryArn), where, null);
    }

    private TicketResult inspector(EventEnvelope event, InspectorFinding finding) {
        InspectorFinding.EcrImage image = finding.resources().stream()
                .filter(r -> "AWS_ECR_CONTAINER_IMAGE".equals(r.type()) && r.details() != null && r.details().awsEcrContainerImage() != null)
                .map(r -> r.details().awsEcrContainerImage()).findFirst().orElse(null);
        if (image == null) {
            return ignored(event, "INSPECTOR", "the finding is not on an ECR container image (detail.resources[].type)");
        }
        if (!"PACKAGE_VULNERABILITY".equals(finding.type())) {
            return ignored(event, "INSPECTOR", "finding type " + EventParser.abbreviate(finding.type()) + " is not a package vulnerability");
        }
        String repository = EventFieldChecks.matching("detail.resources[].details.awsEcrContainerImage.repositoryName", image.repositoryName(),
                EventFieldChecks.REPOSITORY, 256, "an ECR repository name");
        String digest = EventFieldChecks.matching("detail.resources[].details.awsEcrContainerImage.imageHash", image.imageHash(), EventFieldChecks.DIGEST, EventFieldChecks.DIGEST_MAX,
                EventFieldChecks.DIGEST_WHAT);
        List<String> tags = EventFieldChecks.tags("detail.resources[].details.awsEcrContainerImage.imageTags", image.imageTags());
        String registry = image.registry() == null ? event.account() : image.registry();
        if (!registry.equals(event.account())) {
            throw new BadEventException("event field `detail.resources[].details.awsEcrContainerImage.registry` is another account than the event's");
        }
        InspectorFinding.PackageVulnerability details = finding.packageVulnerabilityDetails();
        if (details == null) {
            throw new BadEventException("event field `detail.packageVulnerabilityDetails` is missing");
        }
        String vulnerability = EventFieldChecks.matching("detail.packageVulnerabilityDetails.vulnerabilityId", details.vulnerabilityId(),
                java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}"), 128, "a vulnerability id such as CVE-2019-17498");
        Severity severity = Severity.parse(finding.severity());
        if (severity == null) {
            throw new BadEventException("event field `detail.severity` must be one of INFORMATIONAL, LOW, MEDIUM, HIGH, CRITICAL, UNTRIAGED");
        }
        String status = finding.status();
        if (!List.of("ACTIVE", "CLOSED", "SUPPRESSED").contains(status)) {
            throw new BadEventException("event field `detail.status` must be ACTIVE, CLOSED or SUPPRESSED, got " + EventParser.abbreviate(status));
        }
        if ("ACTIVE".equals(status) && !severity.atLeast(config.minSeverity())) {
            return ignored(event, "INSPECTOR", severity + " is below " + config.minSeverity() + " (DECKHAND_TICKET_MIN_SEVERITY)");
        }
        List<String> packages = details.vulnerablePackages() == null ? List.of() : details.vulnerablePackages().stream()
                .map(p -> EventFieldChecks.text("detail.packageVulnerabilityDetails.vulnerablePackages[].name", p.name(), 256) + " "
                        + EventFieldChecks.text("detail.packageVulnerabilityDetails.vulnerablePackages[].version", p.version(), 128)
                        + (p.fixedInVersion() == null ? "" : " (fixed in " + EventFieldChecks.text("fixedInVersion", p.fixedInVersion(), 128) + ")"))
                .limit(20).toList();
        String remediation = finding.remediation() == null || finding.remediation().recommendation() == null ? null
                : EventFieldChecks.text("detail.remediation.recommendation.text", finding.remediation().recommendation().text(), 4096);
        Evidence.Vulnerability v = new Evidence.Vulnerability(finding.findingArn(), vulnerability, finding.title(), finding.description(),
                severity, status, finding.inspectorScore(), repository, digest, tags, packages, finding.fixAvailable(), remediation,
                EventFieldChecks.text("detail.packageVulnerabilityDetails.sourceUrl", details.sourceUrl(), 2048));
        if (!"ACTIVE".equals(status)) {
            List<String> others = planner.stillCarrying(v, activeFindings.imagesCarrying(event.account(), repository, vulnerability));
            if (!others.isEmpty()) {
                return new TicketResult(event.id(), "INSPECTOR", "KEPT_OPEN", "Inspector reports " + vulnerability + " " + status + " for "
                        + digest + ", but " + others.size() + " other image(s) of " + repository + " still carry it (ListFindings ACTIVE): "
                        + others.stream().limit(5).toList() + "; the ticket stays open", config.dryRun(), Ticket.fingerprintOf("inspector/"
                        + repository + "/" + vulnerability), null, null, null, List.of(), null, null, null, null);
            }
        }
        Evidence.DeployedIn where = "ACTIVE".equals(status) ? reader.whereRuns(event.account(), event.region(), repository, digest, tags)
                : Evidence.DeployedIn.NOT_SEARCHED;
        String repositoryArn = "arn:aws:ecr:" + event.region() + ":" + event.account() + ":repository/" + repository;
        return ticketed(event, "INSPECTOR", planner.vulnerability(v, where, repositoryArn), where, null);
    }

    private record ServiceRef(String cluster, String service, String arn) {
    }

    /**
     * The service {@code resources[0]} names. A short (pre-2021) ARN names no cluster: the cluster is
     * {@code clusterArn} when the event gives it, else looked up among the managed clusters; null
     * when no managed cluster has that service.
     */
    private ServiceRef service(EventEnvelope event, String clusterArn) {
        if (event.resources().isEmpty()) {
            throw new BadEventException("event field `resources` must name the service");
        }
        String arn = event.resources().get(0);
        Matcher m = EventFieldChecks.SERVICE_ARN.matcher(arn);
        Matcher shortArn = EventFieldChecks.SHORT_SERVICE_ARN.matcher(arn);
        boolean isLong = m.matches();
        if (!isLong && !shortArn.matches()) {
            throw new BadEventException("event field `resources[0]` is not an ECS service ARN: " + EventParser.abbreviate(arn));
        }
        Matcher found = isLong ? m : shortArn;
        if (!found.group(1).equals(event.region()) || !found.group(2).equals(event.account())) {
            throw new BadEventException("event field `resources[0]` names another region or account than the event's");
        }
        if (isLong) {
            return new ServiceRef(m.group(3), m.group(4), arn);
        }
        String cluster = clusterArn != null ? clusterArn.substring(clusterArn.lastIndexOf('/') + 1) : reader.clusterOfService(arn);
        log.atInfo().addKeyValue("service", arn).addKeyValue("cluster", cluster)
                .log("short service ARN {}: cluster {}", arn, cluster == null ? "not found among the managed clusters" : cluster);
        return cluster == null ? null : new ServiceRef(cluster, shortArn.group(3), arn);
    }

    private TicketResult serviceNotFound(EventEnvelope event, String kind) {
        return new TicketResult(event.id(), kind, "NOT_MANAGED", "service " + EventParser.abbreviate(event.resources().get(0))
                + " (a short ARN, without its cluster) is in no managed cluster (DECKHAND_CLUSTERS)", config.dryRun(),
                null, null, null, null, List.of(), null, null, null, null);
    }

    private TicketResult deployment(EventEnvelope event, EcsDeployment detail) {
        ServiceRef ref = service(event, null);
        if (ref == null) {
            return serviceNotFound(event, "ECS_DEPLOYMENT");
        }
        if (!config.clusters().contains(ref.cluster())) {
            return notManaged(event, "ECS_DEPLOYMENT", ref.cluster());
        }
        switch (detail.eventName()) {
            case TicketEvents.DEPLOYMENT_IN_PROGRESS, TicketEvents.DEPLOYMENT_COMPLETED -> {
                String state = detail.eventName().equals(TicketEvents.DEPLOYMENT_COMPLETED) ? "SUCCEEDED" : "STARTED";
                SinkResult chat = dispatcher.chat(planner.deployment(state, ref.cluster(), ref.service(), detail.deploymentId(), detail.reason(), null));
                return new TicketResult(event.id(), "ECS_DEPLOYMENT", "CHAT_ONLY", "deployment " + state.toLowerCase(java.util.Locale.ROOT)
                        + ": chat " + chat.action(), config.dryRun(), null, null, null, null, List.of(), chat, null, null, null);
            }
            case TicketEvents.DEPLOYMENT_FAILED -> {
                Evidence.Failure failure = new Evidence.Failure("ECS_DEPLOYMENT_FAILED", ref.cluster(), ref.service(), ref.arn(),
                        detail.deploymentId(), detail.reason(), event.time(), null, null, null);
                return failure(event, "ECS_DEPLOYMENT", failure, true);
            }
            default -> throw new BadEventException("event field `detail.eventName` is " + EventParser.abbreviate(detail.eventName())
                    + "; open-ticket handles " + TicketEvents.DEPLOYMENT_IN_PROGRESS + ", " + TicketEvents.DEPLOYMENT_COMPLETED + " and "
                    + TicketEvents.DEPLOYMENT_FAILED);
        }
    }

    private TicketResult serviceAction(EventEnvelope event, ServiceAction detail) {
        ServiceRef ref = service(event, detail.clusterArn());
        if (ref == null) {
            return serviceNotFound(event, "ECS_SERVICE_ACTION");
        }
        if (!detail.clusterArn().endsWith(":cluster/" + ref.cluster())) {
            throw new BadEventException("event field `detail.clusterArn` is not the cluster of `resources[0]`");
        }
        if (!List.of(TicketEvents.TASK_PLACEMENT_FAILURE, TicketEvents.TASK_START_IMPAIRED).contains(detail.eventName())) {
            throw new BadEventException("event field `detail.eventName` is " + EventParser.abbreviate(detail.eventName())
                    + "; open-ticket handles " + TicketEvents.TASK_PLACEMENT_FAILURE + " and " + TicketEvents.TASK_START_IMPAIRED);
        }
        if (!config.clusters().contains(ref.cluster())) {
            return notManaged(event, "ECS_SERVICE_ACTION", ref.cluster());
        }
        Evidence.Failure failure = new Evidence.Failure(detail.eventName(), ref.cluster(), ref.service(), ref.arn(), null, detail.reason(),
                event.time(), null, null, null);
        return failure(event, "ECS_SERVICE_ACTION", failure, false);
    }

    private TicketResult codeDeploy(EventEnvelope event, CodeDeployChange detail) {
        if (!"FAILURE".equals(detail.state())) {
            return ignored(event, "CODEDEPLOY", "state " + EventParser.abbreviate(detail.state()) + " is not FAILURE");
        }
        EvidenceReader.CodeDeployment deployment = reader.codeDeployment(detail.deploymentId(), detail.application(), detail.deploymentGroup());
        if (deployment.cluster() != null && !config.clusters().contains(deployment.cluster())) {
            return notManaged(event, "CODEDEPLOY", deployment.cluster());
        }
        String serviceArn = deployment.cluster() == null ? null
                : "arn:aws:ecs:" + event.region() + ":" + event.account() + ":service/" + deployment.cluster() + "/" + deployment.service();
        Evidence.Failure failure = new Evidence.Failure("CODEDEPLOY_FAILED", deployment.cluster(), deployment.service(), serviceArn,
                detail.deploymentId(), null, event.time(), detail.application(), detail.deploymentGroup(), deployment.errorMessage());
        return failure(event, "CODEDEPLOY", failure, deployment.cluster() != null);
    }

    private TicketResult failure(EventEnvelope event, String kind, Evidence.Failure failure, boolean chat) {
        if (failure.cluster() == null) {
            return failure(event, kind, failure, chat, null, List.of());
        }
        // A service or cluster deleted since the event: no ticket about what no longer runs (issue 17 point 12).
        return EcsGone.orElse(event.id(), failure.cluster(), failure.service(), () -> failure(event, kind, failure, chat,
                        reader.service(failure.cluster(), failure.service()),
                        reader.stoppedTasks(failure.cluster(), failure.service(), config.stoppedTasks())),
                reason -> new TicketResult(event.id(), kind, "GONE", reason, config.dryRun(), null, null, null, null, List.of(),
                        null, null, null, null));
    }

    private TicketResult failure(EventEnvelope event, String kind, Evidence.Failure failure, boolean chat, Evidence.ServiceState service,
                                 List<Evidence.StoppedTask> stopped) {
        Ticket ticket = planner.failure(failure, service, stopped);
        ChatMessage message = chat ? planner.deployment("FAILED", failure.cluster(), failure.service(), failure.deploymentId(),
                failure.reason() != null ? failure.reason() : failure.errorMessage(), "ticket " + ticket.fingerprint()) : null;
        return ticketed(event, kind, ticket, Evidence.DeployedIn.NOT_SEARCHED, message);
    }

    private TicketResult ticketed(EventEnvelope event, String kind, Ticket ticket, Evidence.DeployedIn where, ChatMessage message) {
        List<SinkResult> results = dispatcher.ticket(ticket);
        SinkResult chat = message == null ? null : TicketDispatcher.newTicket(results) ? dispatcher.chatAfterTicket(message)
                : new SinkResult("chat", "ALREADY_POSTED", null, null);
        RuntimeException failed = dispatcher.failure();
        if (failed != null) {
            log.atError().addKeyValue("fingerprint", ticket.fingerprint()).addKeyValue("sinks", results.stream().map(r -> r.sink() + " " + r.action()).toList())
                    .log("ticket {}: a sink failed; the invocation fails so that Lambda retries what is left", ticket.fingerprint());
            throw failed;
        }
        List<String> deployed = where.services().stream().map(d -> d.cluster() + "/" + d.service()).toList();
        String decision = config.dryRun() ? "DRY_RUN_TICKET" : "TICKETED";
        String reason = (ticket.close() ? "close " : "ticket ") + ticket.key() + (deployed.isEmpty() ? "" : ", deployed in " + deployed)
                + ": " + results.stream().map(r -> r.sink() + " " + r.action()).toList();
        return new TicketResult(event.id(), kind, decision, reason, config.dryRun(), ticket.fingerprint(), ticket.title(), ticket.priority(),
                deployed, results, chat, dev.deckhand.ticket.planner.Markup.PLAIN.render(ticket.body(), 2_048), null, null);
    }

    /** {@code [kind, id, arn]} of the fleet in {@code resources[0]}, which must be of the event's source. */
    private static String[] fleet(EventEnvelope event) {
        if (event.resources().isEmpty()) {
            throw new BadEventException("event field `resources` must name the fleet");
        }
        String arn = event.resources().get(0);
        Matcher m = EventFieldChecks.FLEET_ARN.matcher(arn);
        if (!m.matches() || !m.group(1).equals(event.region()) || !m.group(2).equals(event.account())) {
            throw new BadEventException("event field `resources[0]` is not an EC2 Fleet or Spot Fleet request ARN of this account and region: "
                    + EventParser.abbreviate(arn));
        }
        boolean spot = m.group(3).equals("spot-fleet-request");
        if (spot != TicketEvents.SOURCE_SPOT_FLEET.equals(event.source())) {
            throw new BadEventException("event field `resources[0]` is a " + m.group(3) + " but the source is " + event.source());
        }
        return new String[] {spot ? "SPOT_FLEET" : "EC2_FLEET", m.group(4), arn};
    }

    private TicketResult groupLaunchFailed(EventEnvelope event, LaunchActivity detail) {
        LaunchFailure.Cause cause = LaunchFailure.ofStatusMessage(detail.statusMessage());
        if (!cause.needsPerson()) {
            return ignored(event, "LAUNCH_FAILURE", "the launch failed for lack of capacity: hold-capacity holds it, nobody must fix it");
        }
        Evidence.LaunchTarget target = launches.group(detail.group());
        return launchFailed(event, target, "Auto Scaling group " + detail.group(),
                new Evidence.LaunchFailed(target, cause, detail.statusMessage(), null, detail.availabilityZone(), event.time()));
    }

    private TicketResult fleetError(EventEnvelope event, FleetEvent detail) {
        String[] fleet = fleet(event);
        LaunchFailure.Cause cause = LaunchFailure.ofFleetSubType(detail.subType());
        if (!cause.needsPerson()) {
            return ignored(event, "LAUNCH_FAILURE", "fleet error " + detail.subType() + " needs nobody");
        }
        Evidence.LaunchTarget target = fleet[0].equals("SPOT_FLEET") ? launches.spotFleet(fleet[1], fleet[2], event.time())
                : launches.ec2Fleet(fleet[1], fleet[2], event.time());
        return launchFailed(event, target, fleet[1],
                new Evidence.LaunchFailed(target, cause, detail.description(), detail.subType(), null, event.time()));
    }

    private TicketResult launchFailed(EventEnvelope event, Evidence.LaunchTarget target, String name, Evidence.LaunchFailed failure) {
        if (target == null) {
            return ignored(event, "LAUNCH_FAILURE", name + " no longer exists: nothing to fix");
        }
        if (target.cluster() != null && !config.clusters().contains(target.cluster())) {
            return notManaged(event, "LAUNCH_FAILURE", target.cluster());
        }
        Ticket ticket = planner.launchFailure(failure);
        ChatMessage message = planner.launchFailureLine(failure, ticket.fingerprint());
        return ticketed(event, "LAUNCH_FAILURE", ticket, Evidence.DeployedIn.NOT_SEARCHED, message);
    }

    /**
     * A group or fleet launched: its open launch-failure tickets close, whatever their cause. One
     * search per sink by the group label ({@link TicketDispatcher#closeGroup}); no AWS read.
     */
    private TicketResult launchedAgain(EventEnvelope event, String kind, String id, String instanceId) {
        String group = Ticket.groupOf(TicketPlanner.launchGroupKey(kind, id));
        List<SinkResult> results = dispatcher.closeGroup(group, fingerprint -> planner.launchedAgain(fingerprint, kind, id, instanceId, event.time()));
        RuntimeException failed = dispatcher.failure();
        if (failed != null) {
            throw failed;
        }
        boolean closed = results.stream().anyMatch(r -> !"NOTHING_OPEN".equals(r.action()));
        String decision = !closed ? "NOTHING_OPEN" : config.dryRun() ? "DRY_RUN_TICKET" : "CLOSED";
        return new TicketResult(event.id(), "LAUNCHED_AGAIN", decision, id + " launched " + (instanceId == null ? "" : instanceId + " ")
                + (closed ? "" : "and has no open launch-failure ticket") + ": " + results.stream().map(r -> r.sink() + " " + r.action()).toList(),
                config.dryRun(), null, null, null, null, results, null, null, null, null);
    }

    /**
     * hold-capacity's shortage report: SHORT opens (or finds) the one ticket of the lever, with the
     * event's own evidence and no AWS read; RESOLVED closes it by the lever's group label, keeping its evidence.
     */
    private TicketResult capacityShortage(EventEnvelope event, CapacityShortage shortage) {
        if (!config.clusters().contains(shortage.cluster())) {
            return notManaged(event, "CAPACITY_SHORTAGE", shortage.cluster());
        }
        if (shortage.isShort()) {
            Ticket ticket = planner.capacityShortage(shortage, event.time());
            return ticketed(event, "CAPACITY_SHORTAGE", ticket, Evidence.DeployedIn.NOT_SEARCHED,
                    planner.capacityShortageLine(shortage, ticket.fingerprint()));
        }
        String group = Ticket.groupOf(TicketPlanner.shortageKey(shortage.leverKind(), shortage.lever()));
        List<SinkResult> results = dispatcher.closeGroup(group, fingerprint -> planner.shortageResolved(fingerprint, shortage, event.time()));
        RuntimeException failed = dispatcher.failure();
        if (failed != null) {
            throw failed;
        }
        boolean closed = results.stream().anyMatch(r -> !"NOTHING_OPEN".equals(r.action()));
        String decision = !closed ? "NOTHING_OPEN" : config.dryRun() ? "DRY_RUN_TICKET" : "CLOSED";
        return new TicketResult(event.id(), "CAPACITY_SHORTAGE", decision, "capacity of " + shortage.cluster() + " is back ("
                + shortage.lever() + "): " + results.stream().map(r -> r.sink() + " " + r.action()).toList(),
                config.dryRun(), null, null, null, null, results, null, null, null, null);
    }

    private TicketResult ignored(EventEnvelope event, String kind, String reason) {
        return new TicketResult(event.id(), kind, "IGNORED", reason, config.dryRun(), null, null, null, null, List.of(), null, null, null, null);
    }

    private TicketResult notManaged(EventEnvelope event, String kind, String cluster) {
        return new TicketResult(event.id(), kind, "NOT_MANAGED", "cluster " + cluster + " is not managed (DECKHAND_CLUSTERS)", config.dryRun(),
                null, null, null, null, List.of(), null, null, null, null);
    }

}
