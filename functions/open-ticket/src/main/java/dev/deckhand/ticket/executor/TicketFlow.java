package dev.deckhand.ticket.executor;

import dev.deckhand.core.aws.EcsGone;
import dev.deckhand.ticket.TicketConfig;
import dev.deckhand.ticket.planner.ChatMessage;
import dev.deckhand.ticket.planner.Decision;
import dev.deckhand.ticket.planner.Evidence;
import dev.deckhand.ticket.planner.Markup;
import dev.deckhand.ticket.planner.Skip;
import dev.deckhand.ticket.planner.Ticket;
import dev.deckhand.ticket.planner.TicketPlanner;
import dev.deckhand.ticket.planner.TicketPlanner.DeploymentState;
import dev.deckhand.ticket.planner.TicketRequest;
import dev.deckhand.ticket.planner.TicketRequest.Origin;
import dev.deckhand.ticket.planner.TicketRequest.ServiceRef;
import dev.deckhand.ticket.planner.TicketRequest.TargetKind;
import dev.deckhand.ticket.sink.SinkResult;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What open-ticket does with one request: read the evidence through the readers, ask the planner
 * whether and what to ticket, send it through the dispatcher. Each request kind is one method; the
 * planner's {@link Skip} ends it early with its reason.
 *
 * <pre>{@code
 * TicketFlow flow = new TicketFlow(config, reader, launches, activeFindings, dispatcher);
 * TicketResult result = flow.handle(request);
 * }</pre>
 */
public final class TicketFlow {

    private static final Logger log = LoggerFactory.getLogger(TicketFlow.class);

    private final TicketConfig config;
    private final EvidenceReader reader;
    private final LaunchEvidenceReader launches;
    private final ActiveFindings activeFindings;
    private final TicketDispatcher dispatcher;
    private final TicketPlanner planner;

    public TicketFlow(TicketConfig config, EvidenceReader reader, LaunchEvidenceReader launches, ActiveFindings activeFindings,
                      TicketDispatcher dispatcher) {
        this.config = config;
        this.reader = reader;
        this.launches = launches;
        this.activeFindings = activeFindings;
        this.dispatcher = dispatcher;
        this.planner = new TicketPlanner(config.clusters(), config.minSeverity());
    }

    public TicketResult handle(TicketRequest request) {
        if (request instanceof TicketRequest.ImageScan scan) {
            return imageScan(scan);
        }
        if (request instanceof TicketRequest.InspectorFinding finding) {
            return inspector(finding);
        }
        if (request instanceof TicketRequest.EcsDeployment deployment) {
            return deployment(deployment);
        }
        if (request instanceof TicketRequest.ServiceAction action) {
            return serviceAction(action);
        }
        if (request instanceof TicketRequest.CodeDeploy deployment) {
            return codeDeploy(deployment);
        }
        if (request instanceof TicketRequest.GroupLaunchFailed failed) {
            return groupLaunchFailed(failed);
        }
        if (request instanceof TicketRequest.FleetError error) {
            return fleetError(error);
        }
        if (request instanceof TicketRequest.Launched launched) {
            return launchedAgain(launched);
        }
        return capacityShortage((TicketRequest.Shortage) request);
    }

    private TicketResult imageScan(TicketRequest.ImageScan scan) {
        Optional<Skip> skip = planner.screen(scan);
        if (skip.isPresent()) {
            return skipped(scan, skip.get());
        }
        Origin origin = scan.origin();
        Evidence.ImageScan findings = reader.scan(origin.account(), scan.repository(), scan.digest(), scan.tags(), scan.counts(),
                config.maxFindings());
        Evidence.DeployedIn where = reader.whereRuns(origin.account(), origin.region(), scan.repository(), scan.digest(), scan.tags());
        return ticketed(scan, planner.imageScan(findings, where, repositoryArn(origin, scan.repository())), where, null);
    }

    private TicketResult inspector(TicketRequest.InspectorFinding finding) {
        Optional<Skip> skip = planner.screen(finding);
        if (skip.isPresent()) {
            return skipped(finding, skip.get());
        }
        Origin origin = finding.origin();
        Evidence.Vulnerability v = finding.vulnerability();
        boolean active = planner.isActive(v);
        if (!active) {
            skip = planner.keepOpen(v, activeFindings.imagesCarrying(origin.account(), v.repository(), v.vulnerabilityId()));
            if (skip.isPresent()) {
                return skipped(finding, skip.get());
            }
        }
        Evidence.DeployedIn where = active ? reader.whereRuns(origin.account(), origin.region(), v.repository(), v.digest(), v.tags())
                : Evidence.DeployedIn.NOT_SEARCHED;
        return ticketed(finding, planner.vulnerability(v, where, repositoryArn(origin, v.repository())), where, null);
    }

    private static String repositoryArn(Origin origin, String repository) {
        return "arn:aws:ecr:" + origin.region() + ":" + origin.account() + ":repository/" + repository;
    }

    /**
     * The service with its cluster: a short (pre-2021) ARN's cluster is looked up among the managed
     * clusters; null when no managed cluster has that service.
     */
    private ServiceRef withCluster(ServiceRef service) {
        if (service.cluster() != null) {
            return service;
        }
        String cluster = reader.clusterOfService(service.arn());
        log.atInfo().addKeyValue("service", service.arn()).addKeyValue("cluster", cluster)
                .log("short service ARN {}: cluster {}", service.arn(), cluster == null ? "not found among the managed clusters" : cluster);
        return cluster == null ? null : new ServiceRef(cluster, service.service(), service.arn());
    }

    private TicketResult deployment(TicketRequest.EcsDeployment deployment) {
        ServiceRef ref = withCluster(deployment.service());
        if (ref == null) {
            return skipped(deployment, planner.serviceNotFound(deployment.service().arn()));
        }
        Optional<Skip> skip = planner.managed(ref.cluster());
        if (skip.isPresent()) {
            return skipped(deployment, skip.get());
        }
        DeploymentState state = planner.deploymentState(deployment.event());
        if (state == DeploymentState.FAILED) {
            return failure(deployment, new Evidence.Failure("ECS_DEPLOYMENT_FAILED", ref.cluster(), ref.service(), ref.arn(),
                    deployment.deploymentId(), deployment.reason(), deployment.origin().time(), null, null, null), true);
        }
        SinkResult chat = dispatcher.chat(planner.deployment(state, ref.cluster(), ref.service(), deployment.deploymentId(),
                deployment.reason(), null));
        return TicketResult.chatOnly(deployment.origin().eventId(), deployment.kind(), "deployment " + state.name().toLowerCase(Locale.ROOT)
                + ": chat " + chat.action(), config.dryRun(), chat);
    }

    private TicketResult serviceAction(TicketRequest.ServiceAction action) {
        ServiceRef ref = withCluster(action.service());
        if (ref == null) {
            return skipped(action, planner.serviceNotFound(action.service().arn()));
        }
        Optional<Skip> skip = planner.managed(ref.cluster());
        if (skip.isPresent()) {
            return skipped(action, skip.get());
        }
        return failure(action, new Evidence.Failure(action.event().name(), ref.cluster(), ref.service(), ref.arn(), null, action.reason(),
                action.origin().time(), null, null, null), false);
    }

    private TicketResult codeDeploy(TicketRequest.CodeDeploy change) {
        Optional<Skip> skip = planner.screen(change);
        if (skip.isPresent()) {
            return skipped(change, skip.get());
        }
        EvidenceReader.CodeDeployment deployment = reader.codeDeployment(change.deploymentId(), change.application(), change.deploymentGroup());
        if (deployment.cluster() != null) {
            skip = planner.managed(deployment.cluster());
            if (skip.isPresent()) {
                return skipped(change, skip.get());
            }
        }
        Origin origin = change.origin();
        String serviceArn = deployment.cluster() == null ? null
                : "arn:aws:ecs:" + origin.region() + ":" + origin.account() + ":service/" + deployment.cluster() + "/" + deployment.service();
        return failure(change, new Evidence.Failure("CODEDEPLOY_FAILED", deployment.cluster(), deployment.service(), serviceArn,
                change.deploymentId(), null, origin.time(), change.application(), change.deploymentGroup(), deployment.errorMessage()),
                deployment.cluster() != null);
    }

    private TicketResult failure(TicketRequest request, Evidence.Failure failure, boolean chat) {
        if (failure.cluster() == null) {
            return failure(request, failure, chat, null, List.of());
        }
        // A service or cluster deleted since the event: no ticket about what no longer runs (issue 17 point 12).
        return EcsGone.orElse(request.origin().eventId(), failure.cluster(), failure.service(), () -> failure(request, failure, chat,
                        reader.service(failure.cluster(), failure.service()),
                        reader.stoppedTasks(failure.cluster(), failure.service(), config.stoppedTasks())),
                reason -> TicketResult.skipped(request.origin().eventId(), request.kind(), Decision.GONE, reason, config.dryRun(), null));
    }

    private TicketResult failure(TicketRequest request, Evidence.Failure failure, boolean chat, Evidence.ServiceState service,
                                 List<Evidence.StoppedTask> stopped) {
        Ticket ticket = planner.failure(failure, service, stopped);
        return ticketed(request, ticket, Evidence.DeployedIn.NOT_SEARCHED, chat ? planner.failureLine(failure, ticket.fingerprint()) : null);
    }

    private TicketResult groupLaunchFailed(TicketRequest.GroupLaunchFailed failed) {
        Optional<Skip> skip = planner.screen(failed);
        if (skip.isPresent()) {
            return skipped(failed, skip.get());
        }
        Evidence.LaunchTarget target = launches.group(failed.group());
        return launchFailed(failed, target, "Auto Scaling group " + failed.group(), new Evidence.LaunchFailed(target, failed.cause(),
                failed.statusMessage(), null, failed.availabilityZone(), failed.origin().time()));
    }

    private TicketResult fleetError(TicketRequest.FleetError error) {
        Optional<Skip> skip = planner.screen(error);
        if (skip.isPresent()) {
            return skipped(error, skip.get());
        }
        Evidence.LaunchTarget target = error.fleetKind() == TargetKind.SPOT_FLEET
                ? launches.spotFleet(error.fleetId(), error.fleetArn(), error.origin().time())
                : launches.ec2Fleet(error.fleetId(), error.fleetArn(), error.origin().time());
        return launchFailed(error, target, error.fleetId(), new Evidence.LaunchFailed(target, error.cause(), error.description(),
                error.subType(), null, error.origin().time()));
    }

    private TicketResult launchFailed(TicketRequest request, Evidence.LaunchTarget target, String name, Evidence.LaunchFailed failure) {
        Optional<Skip> skip = planner.screen(target, name);
        if (skip.isPresent()) {
            return skipped(request, skip.get());
        }
        Ticket ticket = planner.launchFailure(failure);
        return ticketed(request, ticket, Evidence.DeployedIn.NOT_SEARCHED, planner.launchFailureLine(failure, ticket.fingerprint()));
    }

    /**
     * A group or fleet launched: its open launch-failure tickets close, whatever their cause. One
     * search per sink by the group label ({@link TicketDispatcher#closeGroup}); no AWS read.
     */
    private TicketResult launchedAgain(TicketRequest.Launched launched) {
        Optional<Skip> skip = planner.screen(launched);
        if (skip.isPresent()) {
            return skipped(launched, skip.get());
        }
        String kind = launched.targetKind().name();
        String id = launched.id();
        String instanceId = launched.instanceId();
        return closed(launched, Ticket.groupOf(TicketPlanner.launchGroupKey(kind, id)),
                fingerprint -> planner.launchedAgain(fingerprint, kind, id, instanceId, launched.origin().time()),
                (results, closed) -> id + " launched " + (instanceId == null ? "" : instanceId + " ")
                        + (closed ? "" : "and has no open launch-failure ticket") + ": " + actions(results));
    }

    /**
     * hold-capacity's shortage report: SHORT opens (or finds) the one ticket of the lever, with the
     * event's own evidence and no AWS read; RESOLVED closes it by the lever's group label, keeping its evidence.
     */
    private TicketResult capacityShortage(TicketRequest.Shortage request) {
        var shortage = request.shortage();
        Optional<Skip> skip = planner.managed(shortage.cluster());
        if (skip.isPresent()) {
            return skipped(request, skip.get());
        }
        if (shortage.isShort()) {
            Ticket ticket = planner.capacityShortage(shortage, request.origin().time());
            return ticketed(request, ticket, Evidence.DeployedIn.NOT_SEARCHED, planner.capacityShortageLine(shortage, ticket.fingerprint()));
        }
        return closed(request, Ticket.groupOf(TicketPlanner.shortageKey(shortage.leverKind(), shortage.lever())),
                fingerprint -> planner.shortageResolved(fingerprint, shortage, request.origin().time()),
                (results, closed) -> "capacity of " + shortage.cluster() + " is back (" + shortage.lever() + "): " + actions(results));
    }

    private interface Reason {
        String of(List<SinkResult> results, boolean closed);
    }

    private TicketResult closed(TicketRequest request, String group, Function<String, Ticket> closing, Reason reason) {
        List<SinkResult> results = dispatcher.closeGroup(group, closing);
        RuntimeException failed = dispatcher.failure();
        if (failed != null) {
            throw failed;
        }
        boolean closed = results.stream().anyMatch(r -> !"NOTHING_OPEN".equals(r.action()));
        return TicketResult.closed(request.origin().eventId(), request.kind(), planner.afterClosing(closed, config.dryRun()),
                reason.of(results, closed), config.dryRun(), results);
    }

    private TicketResult ticketed(TicketRequest request, Ticket ticket, Evidence.DeployedIn where, ChatMessage message) {
        List<SinkResult> results = dispatcher.ticket(ticket);
        SinkResult chat = message == null ? null : TicketDispatcher.newTicket(results) ? dispatcher.chatAfterTicket(message)
                : new SinkResult("chat", "ALREADY_POSTED", null, null);
        RuntimeException failed = dispatcher.failure();
        if (failed != null) {
            log.atError().addKeyValue("fingerprint", ticket.fingerprint()).addKeyValue("sinks", actions(results))
                    .log("ticket {}: a sink failed; the invocation fails so that Lambda retries what is left", ticket.fingerprint());
            throw failed;
        }
        List<String> deployed = where.services().stream().map(d -> d.cluster() + "/" + d.service()).toList();
        String reason = (ticket.close() ? "close " : "ticket ") + ticket.key() + (deployed.isEmpty() ? "" : ", deployed in " + deployed)
                + ": " + actions(results);
        return TicketResult.ticketed(request.origin().eventId(), request.kind(), planner.afterTicket(config.dryRun()), reason,
                config.dryRun(), ticket.fingerprint(), ticket.title(), ticket.priority(), deployed, results, chat,
                Markup.PLAIN.render(ticket.body(), 2_048));
    }

    private TicketResult skipped(TicketRequest request, Skip skip) {
        return TicketResult.skipped(request.origin().eventId(), request.kind(), skip.decision(), skip.reason(), config.dryRun(),
                skip.fingerprint());
    }

    private static List<String> actions(List<SinkResult> results) {
        return results.stream().map(r -> r.sink() + " " + r.action()).toList();
    }
}
