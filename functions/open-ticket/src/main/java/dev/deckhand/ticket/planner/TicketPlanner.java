package dev.deckhand.ticket.planner;

import dev.deckhand.core.config.ManagedClusters;
import dev.deckhand.core.event.CapacityShortage;
import dev.deckhand.core.event.EventParser;
import dev.deckhand.ticket.planner.Evidence.ContainerExit;
import dev.deckhand.ticket.planner.Evidence.Deployed;
import dev.deckhand.ticket.planner.Evidence.DeployedIn;
import dev.deckhand.ticket.planner.Evidence.Failure;
import dev.deckhand.ticket.planner.Evidence.ImageScan;
import dev.deckhand.ticket.planner.Evidence.ScanFinding;
import dev.deckhand.ticket.planner.Evidence.ServiceState;
import dev.deckhand.ticket.planner.Evidence.StoppedTask;
import dev.deckhand.ticket.planner.Evidence.Vulnerability;
import dev.deckhand.ticket.planner.TicketRequest.DeploymentEvent;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Decides what a ticket says, from what was read: pure, no AWS. The ticket's key (and so its
 * fingerprint) is what makes it one ticket: repository and digest for a basic scan, repository and
 * vulnerability for Inspector (the same CVE in the next push updates it), the deployment for a
 * failed deployment, service, event and UTC day for repeated service actions.
 *
 * <pre>{@code
 * Ticket ticket = planner.imageScan(scan, deployedIn, "arn:aws:ecr:...:repository/web");
 * }</pre>
 */
public final class TicketPlanner {

    /** Inspector's finding type open-ticket tickets. */
    static final String PACKAGE_VULNERABILITY = "PACKAGE_VULNERABILITY";
    static final String ACTIVE = "ACTIVE";
    /** A fleet instance change of this sub-type is a launch. */
    static final String FLEET_LAUNCHED = "launched";

    /** A deployment's state as chat says it. */
    public enum DeploymentState { STARTED, SUCCEEDED, FAILED }

    private final ManagedClusters clusters;
    private final Severity minSeverity;

    /** A planner for rendering alone: every cluster managed, threshold HIGH. */
    public TicketPlanner() {
        this(ManagedClusters.all(), Severity.HIGH);
    }

    /** @param clusters DECKHAND_CLUSTERS; @param minSeverity DECKHAND_TICKET_MIN_SEVERITY */
    public TicketPlanner(ManagedClusters clusters, Severity minSeverity) {
        this.clusters = clusters;
        this.minSeverity = minSeverity;
    }

    // What to do with an event, before and between the reads: each answer is a reason to stop, or empty to go on.

    /** A basic scan is ticketed when COMPLETE with a finding at or above the threshold. */
    public Optional<Skip> screen(TicketRequest.ImageScan scan) {
        if (!"COMPLETE".equals(scan.scanStatus())) {
            return Optional.of(Skip.ignored("scan-status is " + EventParser.abbreviate(scan.scanStatus())
                    + ", not COMPLETE: no findings to ticket"));
        }
        if (!overThreshold(scan.counts(), minSeverity)) {
            return Optional.of(Skip.ignored("no finding at or above " + minSeverity + " (DECKHAND_TICKET_MIN_SEVERITY)"));
        }
        return Optional.empty();
    }

    /**
     * An Inspector finding is ticketed when it is a package vulnerability of an ECR image and, while
     * ACTIVE, at or above the threshold; a CLOSED or SUPPRESSED one closes its ticket whatever its severity.
     */
    public Optional<Skip> screen(TicketRequest.InspectorFinding finding) {
        if (!finding.onEcrImage()) {
            return Optional.of(Skip.ignored("the finding is not on an ECR container image (detail.resources[].type)"));
        }
        if (!PACKAGE_VULNERABILITY.equals(finding.findingType())) {
            return Optional.of(Skip.ignored("finding type " + EventParser.abbreviate(finding.findingType()) + " is not a package vulnerability"));
        }
        Vulnerability v = finding.vulnerability();
        if (isActive(v) && !v.severity().atLeast(minSeverity)) {
            return Optional.of(Skip.ignored(v.severity() + " is below " + minSeverity + " (DECKHAND_TICKET_MIN_SEVERITY)"));
        }
        return Optional.empty();
    }

    /** True for an ACTIVE finding: it opens or updates a ticket, and where its image runs is searched. */
    public boolean isActive(Vulnerability v) {
        return ACTIVE.equals(v.status());
    }

    /**
     * A CLOSED or SUPPRESSED finding whose vulnerability other images of the repository still carry
     * ({@code activeDigests}: ListFindings ACTIVE) keeps its ticket open.
     */
    public Optional<Skip> keepOpen(Vulnerability v, List<String> activeDigests) {
        List<String> others = stillCarrying(v, activeDigests);
        if (others.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Skip(Decision.KEPT_OPEN, "Inspector reports " + v.vulnerabilityId() + " " + v.status() + " for "
                + v.digest() + ", but " + others.size() + " other image(s) of " + v.repository() + " still carry it (ListFindings ACTIVE): "
                + others.stream().limit(5).toList() + "; the ticket stays open",
                Ticket.fingerprintOf("inspector/" + v.repository() + "/" + v.vulnerabilityId())));
    }

    /** Nothing is ticketed about a cluster Deckhand does not manage. */
    public Optional<Skip> managed(String cluster) {
        if (clusters.contains(cluster)) {
            return Optional.empty();
        }
        return Optional.of(Skip.notManaged("cluster " + cluster + " is not managed (DECKHAND_CLUSTERS)"));
    }

    /** A service known by a short ARN that no managed cluster has. */
    public Skip serviceNotFound(String serviceArn) {
        return Skip.notManaged("service " + EventParser.abbreviate(serviceArn)
                + " (a short ARN, without its cluster) is in no managed cluster (DECKHAND_CLUSTERS)");
    }

    /** A deployment starting or succeeding is one chat line; failing, a ticket. */
    public DeploymentState deploymentState(DeploymentEvent event) {
        return switch (event) {
            case SERVICE_DEPLOYMENT_IN_PROGRESS -> DeploymentState.STARTED;
            case SERVICE_DEPLOYMENT_COMPLETED -> DeploymentState.SUCCEEDED;
            case SERVICE_DEPLOYMENT_FAILED -> DeploymentState.FAILED;
        };
    }

    /** Only a failed CodeDeploy deployment is ticketed. */
    public Optional<Skip> screen(TicketRequest.CodeDeploy deployment) {
        if (!"FAILURE".equals(deployment.state())) {
            return Optional.of(Skip.ignored("state " + EventParser.abbreviate(deployment.state()) + " is not FAILURE"));
        }
        return Optional.empty();
    }

    /** A group's launch failure is ticketed when a person must fix its cause; capacity is hold-capacity's. */
    public Optional<Skip> screen(TicketRequest.GroupLaunchFailed failed) {
        if (!failed.cause().needsPerson()) {
            return Optional.of(Skip.ignored("the launch failed for lack of capacity: hold-capacity holds it, nobody must fix it"));
        }
        return Optional.empty();
    }

    /** A fleet error is ticketed when a person must fix its cause. */
    public Optional<Skip> screen(TicketRequest.FleetError error) {
        if (!error.cause().needsPerson()) {
            return Optional.of(Skip.ignored("fleet error " + error.subType() + " needs nobody"));
        }
        return Optional.empty();
    }

    /** The group or fleet {@code name} as read: gone (null), in an unmanaged cluster, or to ticket. */
    public Optional<Skip> screen(Evidence.LaunchTarget target, String name) {
        if (target == null) {
            return Optional.of(Skip.ignored(name + " no longer exists: nothing to fix"));
        }
        return target.cluster() == null ? Optional.empty() : managed(target.cluster());
    }

    /** A group's launch closes its launch-failure tickets; a fleet's instance change only when it is a launch. */
    public Optional<Skip> screen(TicketRequest.Launched launched) {
        if (launched.subType() != null && !FLEET_LAUNCHED.equals(launched.subType())) {
            return Optional.of(Skip.ignored("instance change " + launched.subType() + " is not a launch"));
        }
        return Optional.empty();
    }

    /** A ticket sent: TICKETED, or DRY_RUN_TICKET when the sinks were only searched. */
    public Decision afterTicket(boolean dryRun) {
        return dryRun ? Decision.DRY_RUN_TICKET : Decision.TICKETED;
    }

    /** A group closed: NOTHING_OPEN when no sink had a ticket open, else CLOSED (DRY_RUN_TICKET in a dry run). */
    public Decision afterClosing(boolean anyClosed, boolean dryRun) {
        return !anyClosed ? Decision.NOTHING_OPEN : dryRun ? Decision.DRY_RUN_TICKET : Decision.CLOSED;
    }

    // What a ticket says.

    /** True when any severity at or above {@code threshold} has a count above zero (absent severities count as zero). */
    public boolean overThreshold(Map<Severity, Integer> counts, Severity threshold) {
        return counts.entrySet().stream().anyMatch(e -> e.getKey().atLeast(threshold) && e.getValue() != null && e.getValue() > 0);
    }

    /** The worst severity with a count above zero, or UNDEFINED. */
    public Severity worst(Map<Severity, Integer> counts) {
        Severity worst = Severity.UNDEFINED;
        for (Map.Entry<Severity, Integer> e : counts.entrySet()) {
            if (e.getValue() != null && e.getValue() > 0 && e.getKey().compareTo(worst) > 0) {
                worst = e.getKey();
            }
        }
        return worst;
    }

    static int priority(Severity severity, boolean deployed) {
        int base = switch (severity) {
            case CRITICAL -> 1;
            case HIGH -> 2;
            case MEDIUM -> 3;
            case LOW -> 4;
            default -> 5;
        };
        return deployed ? Math.max(1, base - 1) : base;
    }

    public Ticket imageScan(ImageScan scan, DeployedIn where, String repositoryArn) {
        Severity worst = worst(scan.counts());
        String key = "ecr-scan/" + scan.repository() + "@" + scan.digest();
        TicketBody doc = new TicketBody().text("Amazon ECR basic scanning found vulnerabilities at or above the threshold in this image.")
                .heading("Image")
                .code("Repository", scan.repository())
                .code("Digest", scan.digest())
                .fact("Tags", scan.tags().isEmpty() ? "(untagged)" : String.join(", ", scan.tags()))
                .fact("Worst severity", worst.name());
        List<List<String>> counts = new ArrayList<>();
        for (Severity severity : reversed()) {
            Integer count = scan.counts().get(severity);
            if (count != null && count > 0) {
                counts.add(List.of(severity.name(), Integer.toString(count)));
            }
        }
        doc.heading("Findings by severity").table(List.of("Severity", "Count"), counts);
        doc.heading("Worst findings");
        if (scan.note() != null) {
            doc.text(scan.note());
        }
        List<List<String>> rows = new ArrayList<>();
        for (ScanFinding finding : scan.worst()) {
            rows.add(List.of(finding.severity().name(), finding.name(), nullToEmpty(finding.packageName()),
                    nullToEmpty(finding.packageVersion()), nullToEmpty(finding.uri())));
        }
        doc.table(List.of("Severity", "Vulnerability", "Package", "Version", "Reference"), rows);
        if (scan.truncated()) {
            doc.text("Only the first " + scan.read() + " findings were read; the counts above are ECR's own totals.");
        }
        deployedIn(doc, where);
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("repository", scan.repository());
        facts.put("imageDigest", scan.digest());
        return new Ticket(Ticket.fingerprintOf(key), key,
                "[" + worst.name() + "] " + scan.repository() + "@" + shortDigest(scan.digest()) + ": " + counts(scan.counts()),
                worst, priority(worst, where.deployed()), "Security", doc, List.of(repositoryArn), facts, false);
    }

    /**
     * Of the images Inspector still holds an ACTIVE finding of {@code v}'s vulnerability on, those
     * other than {@code v}'s own. A ticket is per repository and vulnerability: a CLOSED or SUPPRESSED
     * finding closes it only when this is empty (Inspector closes an image's finding when the image is
     * deleted or leaves its re-scan window, not when a fixed image is pushed).
     */
    public List<String> stillCarrying(Vulnerability v, List<String> activeDigests) {
        return activeDigests.stream().filter(d -> !d.equals(v.digest())).distinct().toList();
    }

    public Ticket vulnerability(Vulnerability v, DeployedIn where, String repositoryArn) {
        String key = "inspector/" + v.repository() + "/" + v.vulnerabilityId();
        boolean close = "CLOSED".equals(v.status()) || "SUPPRESSED".equals(v.status());
        TicketBody doc = new TicketBody().text(close
                        ? "Amazon Inspector reports this finding " + v.status() + " for the image below."
                        : "Amazon Inspector found this vulnerability in an image of the repository. A later image with the same vulnerability updates this ticket.")
                .heading("Vulnerability")
                .code("Vulnerability", v.vulnerabilityId())
                .fact("Title", v.title())
                .fact("Severity", v.severity().name())
                .fact("Inspector score", v.inspectorScore() == null ? null : String.valueOf(v.inspectorScore()))
                .fact("Status", v.status())
                .fact("Fix available", v.fixAvailable())
                .fact("Packages", String.join(", ", v.packages()))
                .fact("Reference", v.sourceUrl())
                .code("Finding", v.findingArn());
        if (v.description() != null) {
            doc.text(v.description());
        }
        if (v.remediation() != null) {
            doc.heading("Remediation").text(v.remediation());
        }
        doc.heading("Latest image")
                .code("Repository", v.repository())
                .code("Digest", v.digest())
                .fact("Tags", v.tags().isEmpty() ? "(untagged)" : String.join(", ", v.tags()));
        deployedIn(doc, where);
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("repository", v.repository());
        facts.put("vulnerabilityId", v.vulnerabilityId());
        facts.put("imageDigest", v.digest());
        return new Ticket(Ticket.fingerprintOf(key), key, "[" + v.severity().name() + "] " + v.vulnerabilityId() + " in " + v.repository()
                + (v.title() == null ? "" : ": " + v.title()), v.severity(), priority(v.severity(), where.deployed()), "Security", doc,
                List.of(repositoryArn), facts, close);
    }

    public Ticket failure(Failure f, ServiceState service, List<StoppedTask> stopped) {
        String day = f.time().atOffset(ZoneOffset.UTC).toLocalDate().toString();
        String where = f.cluster() + "/" + f.service();
        String key;
        String title;
        String summary;
        Severity severity;
        switch (f.kind()) {
            case "ECS_DEPLOYMENT_FAILED" -> {
                key = "ecs-deployment/" + where + "/" + f.deploymentId();
                title = "Deployment " + f.deploymentId() + " of " + where + " failed";
                summary = "The ECS deployment failed" + (f.reason() == null ? "." : ": " + f.reason());
                severity = Severity.HIGH;
            }
            case "CODEDEPLOY_FAILED" -> {
                key = "codedeploy/" + f.application() + "/" + f.deploymentId();
                title = "CodeDeploy deployment " + f.deploymentId() + " of " + f.application() + "/" + f.deploymentGroup() + " failed";
                summary = "The CodeDeploy deployment failed" + (f.errorMessage() == null ? "." : ": " + f.errorMessage());
                severity = Severity.HIGH;
            }
            default -> {
                key = "ecs-service-action/" + where + "/" + f.kind() + "/" + day;
                title = (f.kind().equals("SERVICE_TASK_PLACEMENT_FAILURE") ? "Tasks of " + where + " cannot be placed"
                        : "Tasks of " + where + " fail to start") + " (" + day + ")";
                summary = f.kind().equals("SERVICE_TASK_PLACEMENT_FAILURE")
                        ? "ECS cannot place the service's tasks" + (f.reason() == null ? "." : ": " + f.reason())
                        : "ECS cannot start the service's tasks consistently.";
                severity = Severity.MEDIUM;
            }
        }
        TicketBody doc = new TicketBody().text(summary).heading("Where")
                .code("Cluster", f.cluster())
                .code("Service", f.service())
                .code("Deployment", f.deploymentId())
                .fact("CodeDeploy application", f.application())
                .fact("CodeDeploy deployment group", f.deploymentGroup())
                .fact("Event", f.kind())
                .fact("Reason", f.reason())
                .fact("Time", f.time().toString());
        if (service != null) {
            doc.heading("Service")
                    .code("Task definition", service.taskDefinition())
                    .fact("Tasks", "desired " + service.desired() + ", running " + service.running() + ", pending " + service.pending());
            for (String deployment : service.deployments()) {
                doc.fact("Deployment", deployment);
            }
            if (!service.recentEvents().isEmpty()) {
                doc.heading("Latest service events");
                service.recentEvents().forEach(doc::text);
            }
        }
        doc.heading("Last stopped tasks");
        if (stopped.isEmpty()) {
            doc.text("No stopped task is known to ECS for this service (ECS keeps stopped tasks for about an hour).");
        }
        List<List<String>> rows = new ArrayList<>();
        for (StoppedTask task : stopped) {
            List<ContainerExit> containers = task.containers().isEmpty() ? List.of(new ContainerExit("", null, null, null)) : task.containers();
            for (ContainerExit container : containers) {
                rows.add(List.of(task.taskId(), family(task.taskDefinition()), nullToEmpty(task.stopCode()), nullToEmpty(task.stoppedReason()),
                        task.stoppedAt() == null ? "" : task.stoppedAt().toString(), container.name(),
                        container.exitCode() == null ? "" : container.exitCode().toString(), nullToEmpty(container.reason())));
            }
        }
        doc.table(List.of("Task", "Task definition", "Stop code", "Stopped reason", "Stopped at", "Container", "Exit code", "Container reason"), rows);
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("cluster", nullToEmpty(f.cluster()));
        facts.put("service", nullToEmpty(f.service()));
        if (f.deploymentId() != null) {
            facts.put("deploymentId", f.deploymentId());
        }
        List<String> resources = f.serviceArn() == null ? List.of() : List.of(f.serviceArn());
        return new Ticket(Ticket.fingerprintOf(key), key, title, severity, priority(severity, false), "Availability", doc, resources, facts, false);
    }

    /** What ties the launch-failure tickets of one group or fleet: {@code launch-failure/<asg|ec2-fleet|spot-fleet>/<name or id>}. */
    public static String launchGroupKey(String kind, String id) {
        String slug = switch (kind) {
            case "AUTO_SCALING_GROUP" -> "asg";
            case "EC2_FLEET" -> "ec2-fleet";
            default -> "spot-fleet";
        };
        return "launch-failure/" + slug + "/" + id;
    }

    /**
     * One ticket per group or fleet and cause ({@code launch-failure/asg/<group>/<cause>}), carrying the
     * group label of every cause, so the group's next launch closes them all.
     */
    public Ticket launchFailure(Evidence.LaunchFailed f) {
        Evidence.LaunchTarget t = f.target();
        String groupKey = launchGroupKey(t.kind(), t.id());
        String key = groupKey + "/" + f.cause().slug();
        String what = switch (t.kind()) {
            case "AUTO_SCALING_GROUP" -> "Auto Scaling group";
            case "EC2_FLEET" -> "EC2 Fleet";
            default -> "Spot Fleet request";
        };
        String title = what + " " + t.id() + " cannot launch: " + f.cause().slug()
                + (t.cluster() == null ? "" : " (cluster " + t.cluster() + ")");
        TicketBody doc = new TicketBody().text("The " + what + " failed to launch an instance for a reason a person must fix (" + f.cause().slug()
                        + "). This ticket closes itself when it launches again.")
                .heading("Where")
                .code(what, t.id())
                .code("Cluster", t.cluster() == null ? "(no deckhand:cluster tag)" : t.cluster())
                .fact("Cause", f.cause().name())
                .fact("Status message", f.statusMessage())
                .fact("Sub-type", f.subType())
                .fact("Availability Zone", f.availabilityZone())
                .fact("Time", f.time().toString())
                .heading("Launch template")
                .code("Template", t.templateId() == null ? "(none: a launch configuration or launch specifications)"
                        : t.templateId() + (t.templateName() == null ? "" : " " + t.templateName()))
                .code("Version", t.templateVersion())
                .code("Image", t.imageId());
        if (t.desired() != null) {
            doc.fact("Capacity", "desired " + t.desired() + (t.inService() == null ? "" : ", in service " + t.inService()));
        }
        if (t.rotation() != null || !t.canaries().isEmpty()) {
            doc.heading("Rotation under way (rotate-ami)")
                    .fact("Rotation", t.rotation());
            t.canaries().forEach(c -> doc.fact("Canary", c));
            if (t.onRotatedVersion()) {
                doc.text("The failing launches use the version rotate-ami made last: its image is the likely cause.");
            }
        }
        doc.heading("Recent activity");
        if (t.activities().isEmpty()) {
            doc.text("No activity read (" + ("AUTO_SCALING_GROUP".equals(t.kind()) ? "DescribeScalingActivities returned none"
                    : "the fleet's history has no record in the hour before the event") + ").");
        }
        t.activities().forEach(doc::text);
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("launchTarget", t.id());
        facts.put("cause", f.cause().slug());
        if (t.cluster() != null) {
            facts.put("cluster", t.cluster());
        }
        List<String> resources = t.arn() == null ? List.of() : List.of(t.arn());
        return new Ticket(Ticket.fingerprintOf(key), key, title, Severity.HIGH, priority(Severity.HIGH, false), "Availability", doc,
                resources, facts, false, Ticket.groupOf(groupKey));
    }

    /** The chat line of a failed deployment's new ticket {@code fingerprint}. */
    public ChatMessage failureLine(Failure f, String fingerprint) {
        return deployment(DeploymentState.FAILED, f.cluster(), f.service(), f.deploymentId(),
                f.reason() != null ? f.reason() : f.errorMessage(), "ticket " + fingerprint);
    }

    /** One chat line for a new launch-failure ticket. */
    public ChatMessage launchFailureLine(Evidence.LaunchFailed f, String fingerprint) {
        return new ChatMessage("LAUNCH_FAILED", ":x: *" + Markup.slack(f.target().id()) + "* cannot launch (" + Markup.slack(f.cause().slug())
                + ")" + (f.statusMessage() == null ? "" : " - " + Markup.slack(f.statusMessage())) + " (ticket " + Markup.slack(fingerprint) + ")");
    }

    /** The close of the launch-failure ticket {@code fingerprint}: its group launched {@code instanceId} at {@code time}. */
    public Ticket launchedAgain(String fingerprint, String kind, String id, String instanceId, Instant time) {
        String groupKey = launchGroupKey(kind, id);
        TicketBody doc = new TicketBody().text("Closed by Deckhand: " + id + " launched " + (instanceId == null ? "an instance" : instanceId)
                + " at " + time + ".");
        return new Ticket(fingerprint, groupKey, id + " launches again", Severity.HIGH, priority(Severity.HIGH, false), "Availability",
                doc, List.of(), Map.of(), true, Ticket.groupOf(groupKey));
    }

    /** What ties a lever's shortage tickets: {@code capacity-shortage/<asg|ec2-fleet|spot-fleet>/<name or id>}. */
    public static String shortageKey(String leverKind, String lever) {
        String slug = switch (leverKind) {
            case "EC2_FLEET" -> "ec2-fleet";
            case "SPOT_FLEET" -> "spot-fleet";
            default -> "asg";
        };
        return "capacity-shortage/" + slug + "/" + lever;
    }

    /**
     * One ticket per lever (Auto Scaling group or fleet): hold-capacity bought all it may, and the
     * cluster is still short after its window. It carries the lever's group label, so RESOLVED closes it.
     */
    public Ticket capacityShortage(CapacityShortage s, Instant time) {
        String key = shortageKey(s.leverKind(), s.lever());
        String what = switch (s.leverKind()) {
            case "EC2_FLEET" -> "EC2 Fleet";
            case "SPOT_FLEET" -> "Spot Fleet request";
            default -> "Auto Scaling group";
        };
        String title = "Cluster " + s.cluster() + " is short of capacity beyond the On-Demand hold (" + s.lever() + ")";
        TicketBody doc = new TicketBody().text("Spot capacity is short, hold-capacity holds all the On-Demand capacity it may (its cap), and "
                        + "the cluster is still below its desired capacity after the hold window. A person decides: raise the cap "
                        + "(deckhand:hold-max on the lever, or HoldCapacityMax), add instance types or zones to the Spot side, or accept "
                        + "the shortage. This ticket closes itself when capacity is back.")
                .heading("Where")
                .code("Cluster", s.cluster())
                .code(what + " (hold-capacity's lever)", s.lever())
                .fact("Time", time.toString())
                .heading("Capacity")
                .fact("Spot", "desired " + s.spotDesired() + ", in service " + s.spotInService())
                .fact("Still missing", s.uncovered() + " (Spot desired less Spot in service and the On-Demand held)")
                .fact("On-Demand bought by hold-capacity", s.held() + (s.setting() == null ? "" : " (" + s.setting() + " now " + s.leverValue() + ")"))
                .fact("Cap", Integer.toString(s.cap()))
                .fact("Last raise", s.raisedAt());
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("cluster", s.cluster());
        facts.put("lever", s.lever());
        return new Ticket(Ticket.fingerprintOf(key), key, title, Severity.HIGH, priority(Severity.HIGH, false), "Availability", doc,
                List.of(), facts, false, Ticket.groupOf(key));
    }

    /** One chat line for a new shortage ticket. */
    public ChatMessage capacityShortageLine(CapacityShortage s, String fingerprint) {
        return new ChatMessage("CAPACITY_SHORT", ":warning: *" + Markup.slack(s.cluster()) + "* is short of capacity beyond the On-Demand hold ("
                + Markup.slack(s.lever()) + ": Spot " + s.spotInService() + " of " + s.spotDesired() + ", " + s.held() + " On-Demand held, cap "
                + s.cap() + ") (ticket " + Markup.slack(fingerprint) + ")");
    }

    /** The close of the shortage ticket {@code fingerprint}: capacity is back. */
    public Ticket shortageResolved(String fingerprint, CapacityShortage s, Instant time) {
        String key = shortageKey(s.leverKind(), s.lever());
        TicketBody doc = new TicketBody().text("Closed by Deckhand: capacity of " + s.cluster() + " is back at " + time + " (Spot " + s.spotInService()
                + " of " + s.spotDesired() + " in service, " + s.held() + " On-Demand held).");
        return new Ticket(fingerprint, key, s.cluster() + " has its capacity back", Severity.HIGH, priority(Severity.HIGH, false),
                "Availability", doc, List.of(), Map.of(), true, Ticket.groupOf(key));
    }

    /** One short line for chat. */
    public ChatMessage deployment(DeploymentState state, String cluster, String service, String deploymentId, String reason, String ticketNote) {
        String emoji = switch (state) {
            case STARTED -> ":rocket:";
            case SUCCEEDED -> ":white_check_mark:";
            case FAILED -> ":x:";
        };
        StringBuilder text = new StringBuilder(emoji).append(" Deployment ").append(state.name().toLowerCase(Locale.ROOT)).append(": *")
                .append(Markup.slack(cluster + "/" + service)).append("* `").append(Markup.slack(deploymentId)).append('`');
        if (reason != null && !reason.isBlank() && state != DeploymentState.STARTED) {
            text.append(" - ").append(Markup.slack(reason));
        }
        if (ticketNote != null) {
            text.append(" (").append(Markup.slack(ticketNote)).append(')');
        }
        return new ChatMessage("DEPLOYMENT_" + state, text.toString());
    }

    private static void deployedIn(TicketBody doc, DeployedIn where) {
        doc.heading("Where it runs");
        if (where.services().isEmpty()) {
            doc.text("No service of the " + where.clustersSearched() + " managed cluster(s) searched runs this image.");
        } else {
            doc.text("Deployed: priority raised by one.");
            List<List<String>> rows = new ArrayList<>();
            for (Deployed d : where.services()) {
                rows.add(List.of(d.cluster(), d.service(), Integer.toString(d.running()), family(d.taskDefinition())));
            }
            doc.table(List.of("Cluster", "Service", "Running tasks", "Task definition"), rows);
        }
        if (where.truncated()) {
            doc.text("The search stopped at its bounds (DECKHAND_TICKET_MAX_CLUSTERS, 100 services a cluster): more services may run it.");
        }
    }

    private static List<Severity> reversed() {
        List<Severity> list = new ArrayList<>(List.of(Severity.values()));
        Collections.reverse(list);
        return list;
    }

    private static String counts(Map<Severity, Integer> counts) {
        List<String> parts = new ArrayList<>();
        for (Severity severity : reversed()) {
            Integer count = counts.get(severity);
            if (count != null && count > 0) {
                parts.add(count + " " + severity.name().toLowerCase(Locale.ROOT));
            }
        }
        return String.join(", ", parts);
    }

    static String shortDigest(String digest) {
        int colon = digest.indexOf(':');
        return digest.length() > colon + 13 ? digest.substring(0, colon + 13) : digest;
    }

    /** {@code arn:...:task-definition/web:42} -> {@code web:42}. */
    static String family(String taskDefinition) {
        return taskDefinition == null ? "" : taskDefinition.substring(taskDefinition.lastIndexOf('/') + 1);
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
