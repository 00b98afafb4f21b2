package dev.deckhand.ticket.handler;

import dev.deckhand.core.event.AutoScalingLaunch;
import dev.deckhand.core.event.BadEventException;
import dev.deckhand.core.event.CapacityShortage;
import dev.deckhand.core.event.EcsArns;
import dev.deckhand.core.event.EventEnvelope;
import dev.deckhand.core.event.EventParser;
import dev.deckhand.core.event.FleetEvent;
import dev.deckhand.ticket.planner.Evidence;
import dev.deckhand.ticket.planner.Severity;
import dev.deckhand.ticket.planner.TicketRequest;
import dev.deckhand.ticket.planner.TicketRequest.DeploymentEvent;
import dev.deckhand.ticket.planner.TicketRequest.Origin;
import dev.deckhand.ticket.planner.TicketRequest.ServiceEvent;
import dev.deckhand.ticket.planner.TicketRequest.ServiceRef;
import dev.deckhand.ticket.planner.TicketRequest.TargetKind;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns each event open-ticket is routed into its one {@link TicketRequest}: binds the detail, checks
 * every field it keeps (a refusal names the field), and normalises Inspector's finding. No AWS call.
 *
 * <pre>{@code
 * TicketRequest request = new RequestParser(parser).serviceAction(envelope);
 * }</pre>
 */
final class RequestParser {

    private static final Pattern VULNERABILITY_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
    private static final List<String> FINDING_STATUSES = List.of("ACTIVE", "CLOSED", "SUPPRESSED");
    private static final String ECR_IMAGE = "detail.resources[].details.awsEcrContainerImage.";

    private final EventParser parser;

    RequestParser(EventParser parser) {
        this.parser = parser;
    }

    private static Origin origin(EventEnvelope event) {
        return new Origin(event.id(), event.account(), event.region(), event.time());
    }

    TicketRequest imageScan(EventEnvelope event) {
        EcrImageScan scan = parser.detail(event, EcrImageScan.class);
        if (!event.resources().isEmpty() && !event.resources().get(0).endsWith(":" + event.account() + ":repository/" + scan.repositoryName())) {
            throw new BadEventException("event field `resources[0]` is not the repository of `detail.repository-name` in this account: "
                    + EventParser.abbreviate(event.resources().get(0)));
        }
        Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
        scan.findingSeverityCounts().forEach((name, count) -> {
            Severity severity = Severity.parse(name);
            if (severity != null) {
                counts.merge(severity, count, Integer::sum);
            }
        });
        return new TicketRequest.ImageScan(origin(event), scan.repositoryName(), scan.imageDigest(), scan.imageTags(), scan.scanStatus(),
                counts);
    }

    /** A finding not on an ECR image, or not a package vulnerability, is passed on unread: the planner ignores it. */
    TicketRequest inspector(EventEnvelope event) {
        InspectorFinding finding = parser.detail(event, InspectorFinding.class);
        InspectorFinding.EcrImage image = finding.resources().stream()
                .filter(r -> "AWS_ECR_CONTAINER_IMAGE".equals(r.type()) && r.details() != null && r.details().awsEcrContainerImage() != null)
                .map(r -> r.details().awsEcrContainerImage()).findFirst().orElse(null);
        if (image == null || !"PACKAGE_VULNERABILITY".equals(finding.type())) {
            return new TicketRequest.InspectorFinding(origin(event), image != null, finding.type(), null);
        }
        String repository = EventFieldChecks.matching(ECR_IMAGE + "repositoryName", image.repositoryName(), EventFieldChecks.REPOSITORY, 256,
                "an ECR repository name");
        String digest = EventFieldChecks.matching(ECR_IMAGE + "imageHash", image.imageHash(), EventFieldChecks.DIGEST,
                EventFieldChecks.DIGEST_MAX, EventFieldChecks.DIGEST_WHAT);
        List<String> tags = EventFieldChecks.tags(ECR_IMAGE + "imageTags", image.imageTags());
        String registry = image.registry() == null ? event.account() : image.registry();
        if (!registry.equals(event.account())) {
            throw new BadEventException("event field `" + ECR_IMAGE + "registry` is another account than the event's");
        }
        InspectorFinding.PackageVulnerability details = finding.packageVulnerabilityDetails();
        if (details == null) {
            throw new BadEventException("event field `detail.packageVulnerabilityDetails` is missing");
        }
        String vulnerability = EventFieldChecks.matching("detail.packageVulnerabilityDetails.vulnerabilityId", details.vulnerabilityId(),
                VULNERABILITY_ID, 128, "a vulnerability id such as CVE-2019-17498");
        Severity severity = Severity.parse(finding.severity());
        if (severity == null) {
            throw new BadEventException("event field `detail.severity` must be one of INFORMATIONAL, LOW, MEDIUM, HIGH, CRITICAL, UNTRIAGED");
        }
        String status = finding.status();
        if (!FINDING_STATUSES.contains(status)) {
            throw new BadEventException("event field `detail.status` must be ACTIVE, CLOSED or SUPPRESSED, got " + EventParser.abbreviate(status));
        }
        List<String> packages = details.vulnerablePackages() == null ? List.of() : details.vulnerablePackages().stream()
                .map(p -> EventFieldChecks.text("detail.packageVulnerabilityDetails.vulnerablePackages[].name", p.name(), 256) + " "
                        + EventFieldChecks.text("detail.packageVulnerabilityDetails.vulnerablePackages[].version", p.version(), 128)
                        + (p.fixedInVersion() == null ? "" : " (fixed in " + EventFieldChecks.text("fixedInVersion", p.fixedInVersion(), 128) + ")"))
                .limit(20).toList();
        String remediation = finding.remediation() == null || finding.remediation().recommendation() == null ? null
                : EventFieldChecks.text("detail.remediation.recommendation.text", finding.remediation().recommendation().text(), 4096);
        return new TicketRequest.InspectorFinding(origin(event), true, finding.type(), new Evidence.Vulnerability(finding.findingArn(),
                vulnerability, finding.title(), finding.description(), severity, status, finding.inspectorScore(), repository, digest, tags,
                packages, finding.fixAvailable(), remediation,
                EventFieldChecks.text("detail.packageVulnerabilityDetails.sourceUrl", details.sourceUrl(), 2048)));
    }

    /**
     * The service {@code resources[0]} names. A short (pre-2021) ARN names no cluster: the cluster is
     * {@code clusterArn}'s when the event gives it, else null (the flow looks it up).
     */
    private static ServiceRef service(EventEnvelope event, String clusterArn) {
        EcsArns.Service service = EcsArns.service(event);
        if (service.cluster() != null || clusterArn == null) {
            return new ServiceRef(service.cluster(), service.name(), service.arn());
        }
        return new ServiceRef(EcsArns.clusterName("detail.clusterArn", clusterArn), service.name(), service.arn());
    }

    TicketRequest deployment(EventEnvelope event) {
        EcsDeployment detail = parser.detail(event, EcsDeployment.class);
        ServiceRef service = service(event, null);
        DeploymentEvent name = eventName(detail.eventName(), DeploymentEvent.class);
        return new TicketRequest.EcsDeployment(origin(event), service, name, detail.deploymentId(), detail.reason());
    }

    TicketRequest serviceAction(EventEnvelope event) {
        ServiceAction detail = parser.detail(event, ServiceAction.class);
        ServiceRef service = service(event, detail.clusterArn());
        if (!detail.clusterArn().endsWith(":cluster/" + service.cluster())) {
            throw new BadEventException("event field `detail.clusterArn` is not the cluster of `resources[0]`");
        }
        return new TicketRequest.ServiceAction(origin(event), service, eventName(detail.eventName(), ServiceEvent.class), detail.reason());
    }

    /** The event name as one of {@code names}; any other is refused, naming the ones open-ticket handles. */
    private static <E extends Enum<E>> E eventName(String value, Class<E> names) {
        for (E name : names.getEnumConstants()) {
            if (name.name().equals(value)) {
                return name;
            }
        }
        List<String> handled = Arrays.stream(names.getEnumConstants()).map(Enum::name).toList();
        throw new BadEventException("event field `detail.eventName` is " + EventParser.abbreviate(value) + "; open-ticket handles "
                + String.join(", ", handled.subList(0, handled.size() - 1)) + " and " + handled.get(handled.size() - 1));
    }

    TicketRequest codeDeploy(EventEnvelope event) {
        CodeDeployChange detail = parser.detail(event, CodeDeployChange.class);
        return new TicketRequest.CodeDeploy(origin(event), detail.application(), detail.deploymentGroup(), detail.deploymentId(),
                detail.state());
    }

    TicketRequest groupLaunchFailed(EventEnvelope event) {
        AutoScalingLaunch detail = parser.detail(event, AutoScalingLaunch.class);
        return new TicketRequest.GroupLaunchFailed(origin(event), detail.group(), detail.failure(), detail.statusMessage(),
                detail.availabilityZone());
    }

    TicketRequest groupLaunched(EventEnvelope event) {
        AutoScalingLaunch detail = parser.detail(event, AutoScalingLaunch.class);
        return new TicketRequest.Launched(origin(event), TargetKind.AUTO_SCALING_GROUP, detail.group(), detail.instanceId(), null);
    }

    TicketRequest fleetError(EventEnvelope event) {
        FleetEvent detail = parser.detail(event, FleetEvent.class);
        FleetEvent.Fleet fleet = FleetEvent.fleetOf(event);
        return new TicketRequest.FleetError(origin(event), kind(fleet), fleet.id(), event.resources().get(0), detail.failure(),
                detail.subType(), detail.description());
    }

    TicketRequest fleetInstanceChange(EventEnvelope event) {
        FleetEvent detail = parser.detail(event, FleetEvent.class);
        FleetEvent.Fleet fleet = FleetEvent.fleetOf(event);
        return new TicketRequest.Launched(origin(event), kind(fleet), fleet.id(), detail.instanceId(), detail.subType());
    }

    private static TargetKind kind(FleetEvent.Fleet fleet) {
        return fleet.kind() == FleetEvent.Kind.SPOT_FLEET ? TargetKind.SPOT_FLEET : TargetKind.EC2_FLEET;
    }

    TicketRequest capacityShortage(EventEnvelope event) {
        return new TicketRequest.Shortage(origin(event), parser.detail(event, CapacityShortage.class));
    }
}
