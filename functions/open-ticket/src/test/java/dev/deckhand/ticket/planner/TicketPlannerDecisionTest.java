package dev.deckhand.ticket.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deckhand.core.config.ManagedClusters;
import dev.deckhand.core.event.LaunchFailure;
import dev.deckhand.ticket.planner.TicketPlanner.DeploymentState;
import dev.deckhand.ticket.planner.TicketRequest.DeploymentEvent;
import dev.deckhand.ticket.planner.TicketRequest.Origin;
import dev.deckhand.ticket.planner.TicketRequest.TargetKind;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The planner's decisions of whether to ticket an event at all, without AWS. */
class TicketPlannerDecisionTest {

    private static final String DIGEST = "sha256:" + "a".repeat(64);
    private static final Origin ORIGIN = new Origin("e-1", "123456789012", "us-east-2", Instant.parse("2026-11-22T10:00:00Z"));

    private final TicketPlanner planner = new TicketPlanner(ManagedClusters.of("demo-batch"), Severity.HIGH);

    private static TicketRequest.ImageScan scan(String status, Map<Severity, Integer> counts) {
        return new TicketRequest.ImageScan(ORIGIN, "web", DIGEST, List.of("v1"), status, counts);
    }

    private static Evidence.Vulnerability vulnerability(Severity severity, String status) {
        return new Evidence.Vulnerability("arn:f", "CVE-2024-6387", "t", null, severity, status, 8.1, "web", DIGEST, List.of(),
                List.of(), null, null, null);
    }

    private static TicketRequest.InspectorFinding finding(Severity severity, String status) {
        return new TicketRequest.InspectorFinding(ORIGIN, true, "PACKAGE_VULNERABILITY", vulnerability(severity, status));
    }

    @Test
    void imageScan_isIgnoredUntilComplete_andBelowTheThreshold() {
        assertEquals("scan-status is IN_PROGRESS, not COMPLETE: no findings to ticket",
                planner.screen(scan("IN_PROGRESS", Map.of(Severity.CRITICAL, 1))).orElseThrow().reason());
        Skip below = planner.screen(scan("COMPLETE", Map.of(Severity.MEDIUM, 9))).orElseThrow();
        assertEquals(Decision.IGNORED, below.decision());
        assertEquals("no finding at or above HIGH (DECKHAND_TICKET_MIN_SEVERITY)", below.reason());
        assertEquals(Optional.empty(), planner.screen(scan("COMPLETE", Map.of(Severity.HIGH, 1))));
    }

    @Test
    void inspector_ignoresOtherResourcesAndTypes_andActiveFindingsBelowTheThreshold_butClosesWhateverTheSeverity() {
        assertEquals("the finding is not on an ECR container image (detail.resources[].type)",
                planner.screen(new TicketRequest.InspectorFinding(ORIGIN, false, "PACKAGE_VULNERABILITY", null)).orElseThrow().reason());
        assertEquals("finding type NETWORK_REACHABILITY is not a package vulnerability",
                planner.screen(new TicketRequest.InspectorFinding(ORIGIN, true, "NETWORK_REACHABILITY", null)).orElseThrow().reason());
        assertEquals("MEDIUM is below HIGH (DECKHAND_TICKET_MIN_SEVERITY)",
                planner.screen(finding(Severity.MEDIUM, "ACTIVE")).orElseThrow().reason());
        assertEquals(Optional.empty(), planner.screen(finding(Severity.MEDIUM, "CLOSED")), "a close is never below the threshold");
        assertEquals(Optional.empty(), planner.screen(finding(Severity.HIGH, "ACTIVE")));
    }

    @Test
    void closedFinding_keepsItsTicketOpen_whileAnotherImageCarriesIt() {
        Evidence.Vulnerability closed = vulnerability(Severity.HIGH, "CLOSED");

        Skip kept = planner.keepOpen(closed, List.of(DIGEST, "sha256:" + "b".repeat(64))).orElseThrow();

        assertEquals(Decision.KEPT_OPEN, kept.decision());
        assertEquals(Ticket.fingerprintOf("inspector/web/CVE-2024-6387"), kept.fingerprint());
        assertTrue(kept.reason().contains("1 other image(s) of web still carry it"), kept.reason());
        assertEquals(Optional.empty(), planner.keepOpen(closed, List.of(DIGEST)), "its own image only: the ticket closes");
    }

    @Test
    void unmanagedCluster_isNotManaged_andAShortArnInNoManagedCluster_too() {
        assertEquals(Optional.empty(), planner.managed("demo-batch"));
        Skip other = planner.managed("web").orElseThrow();
        assertEquals(Decision.NOT_MANAGED, other.decision());
        assertEquals("cluster web is not managed (DECKHAND_CLUSTERS)", other.reason());
        assertEquals(Decision.NOT_MANAGED, planner.serviceNotFound("arn:aws:ecs:us-east-2:123456789012:service/api").decision());
    }

    @Test
    void deployment_startsAndSucceedsInChat_failsAsATicket() {
        assertEquals(DeploymentState.STARTED, planner.deploymentState(DeploymentEvent.SERVICE_DEPLOYMENT_IN_PROGRESS));
        assertEquals(DeploymentState.SUCCEEDED, planner.deploymentState(DeploymentEvent.SERVICE_DEPLOYMENT_COMPLETED));
        assertEquals(DeploymentState.FAILED, planner.deploymentState(DeploymentEvent.SERVICE_DEPLOYMENT_FAILED));
        assertEquals("DEPLOYMENT_STARTED", planner.deployment(DeploymentState.STARTED, "c", "s", "ecs-svc/1", "why", null).kind());
        assertTrue(!planner.deployment(DeploymentState.STARTED, "c", "s", "ecs-svc/1", "why", null).text().contains("why"),
                "a start says no reason");
    }

    @Test
    void codeDeploy_onlyAFailureIsTicketed() {
        assertEquals("state SUCCESS is not FAILURE", planner.screen(new TicketRequest.CodeDeploy(ORIGIN, "app", "group", "d-123456789",
                "SUCCESS")).orElseThrow().reason());
        assertEquals(Optional.empty(), planner.screen(new TicketRequest.CodeDeploy(ORIGIN, "app", "group", "d-123456789", "FAILURE")));
    }

    @Test
    void launchFailure_forCapacityIsHoldCapacitys_anyOtherCauseIsTicketed() {
        assertEquals(Decision.IGNORED, planner.screen(new TicketRequest.GroupLaunchFailed(ORIGIN, "g", LaunchFailure.Cause.CAPACITY,
                "We currently do not have sufficient capacity", null)).orElseThrow().decision());
        assertEquals(Optional.empty(), planner.screen(new TicketRequest.GroupLaunchFailed(ORIGIN, "g", LaunchFailure.Cause.IMAGE,
                "The image id does not exist", null)));
        assertEquals(Optional.empty(), planner.screen(new TicketRequest.FleetError(ORIGIN, TargetKind.SPOT_FLEET, "sfr-1", "arn",
                LaunchFailure.Cause.CONFIGURATION, "spotFleetRequestConfigurationInvalid", "d")));
    }

    @Test
    void launchTarget_goneIsIgnored_inAnUnmanagedClusterNotManaged_untaggedTicketed() {
        assertEquals("Auto Scaling group g no longer exists: nothing to fix",
                planner.screen((Evidence.LaunchTarget) null, "Auto Scaling group g").orElseThrow().reason());
        assertEquals(Decision.NOT_MANAGED, planner.screen(target("web"), "g").orElseThrow().decision());
        assertEquals(Optional.empty(), planner.screen(target("demo-batch"), "g"));
        assertEquals(Optional.empty(), planner.screen(target(null), "g"), "no cluster tag: still somebody's to fix");
    }

    @Test
    void launched_aFleetChangeOtherThanALaunchIsIgnored() {
        assertEquals("instance change terminated is not a launch", planner.screen(new TicketRequest.Launched(ORIGIN, TargetKind.EC2_FLEET,
                "fleet-1", "i-0123456789abcdef0", "terminated")).orElseThrow().reason());
        assertEquals(Optional.empty(), planner.screen(new TicketRequest.Launched(ORIGIN, TargetKind.EC2_FLEET, "fleet-1", null, "launched")));
        assertEquals(Optional.empty(), planner.screen(new TicketRequest.Launched(ORIGIN, TargetKind.AUTO_SCALING_GROUP, "g", null, null)));
    }

    @Test
    void outcome_ofATicketAndOfAClose() {
        assertEquals(Decision.TICKETED, planner.afterTicket(false));
        assertEquals(Decision.DRY_RUN_TICKET, planner.afterTicket(true));
        assertEquals(Decision.NOTHING_OPEN, planner.afterClosing(false, true));
        assertEquals(Decision.CLOSED, planner.afterClosing(true, false));
        assertEquals(Decision.DRY_RUN_TICKET, planner.afterClosing(true, true));
    }

    private static Evidence.LaunchTarget target(String cluster) {
        return new Evidence.LaunchTarget("AUTO_SCALING_GROUP", "g", null, cluster, null, null, null, null, 1, 0, List.of(), null, List.of(),
                false);
    }
}
