package dev.deckhand.ticket.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deckhand.ticket.planner.Evidence.DeployedIn;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TicketPlannerTest {

    private final TicketPlanner planner = new TicketPlanner();
    private static final String DIGEST = "sha256:" + "a".repeat(64);

    @Test
    void threshold_countsAbsentSeveritiesAsZero() {
        assertTrue(planner.overThreshold(Map.of(Severity.CRITICAL, 1), Severity.HIGH));
        assertFalse(planner.overThreshold(Map.of(Severity.MEDIUM, 9, Severity.HIGH, 0), Severity.HIGH));
        assertFalse(planner.overThreshold(Map.of(), Severity.LOW));
        assertTrue(planner.overThreshold(Map.of(Severity.LOW, 1), Severity.LOW));
    }

    @Test
    void imageScan_isOneTicketPerRepositoryAndDigest_andDeployedRaisesPriority() {
        Evidence.ImageScan scan = new Evidence.ImageScan("web", DIGEST, List.of("v1"), Map.of(Severity.HIGH, 2), List.of(), 0, false, null);
        Ticket alone = planner.imageScan(scan, DeployedIn.NOT_SEARCHED, "arn:repo");
        Ticket deployed = planner.imageScan(scan, new DeployedIn(List.of(new Evidence.Deployed("c", "s", 2, "arn:td/s:1")), 1, false), "arn:repo");
        Ticket otherTag = planner.imageScan(new Evidence.ImageScan("web", DIGEST, List.of("v2"), Map.of(Severity.HIGH, 2), List.of(), 0,
                false, null), DeployedIn.NOT_SEARCHED, "arn:repo");

        assertEquals(2, alone.priority());
        assertEquals(1, deployed.priority());
        assertEquals(alone.fingerprint(), deployed.fingerprint());
        assertEquals(alone.fingerprint(), otherTag.fingerprint(), "the digest, not the tag, is the image");
        assertTrue(alone.fingerprint().matches("deckhand-fp-[0-9a-f]{20}"));
    }

    @Test
    void vulnerability_isOneTicketPerRepositoryAndCve_whateverTheImage() {
        Evidence.Vulnerability v1 = vulnerability(DIGEST, "ACTIVE");
        Evidence.Vulnerability v2 = vulnerability("sha256:" + "b".repeat(64), "ACTIVE");

        assertEquals(planner.vulnerability(v1, DeployedIn.NOT_SEARCHED, "arn").fingerprint(),
                planner.vulnerability(v2, DeployedIn.NOT_SEARCHED, "arn").fingerprint());
        assertTrue(planner.vulnerability(vulnerability(DIGEST, "CLOSED"), DeployedIn.NOT_SEARCHED, "arn").close());
        assertTrue(planner.vulnerability(vulnerability(DIGEST, "SUPPRESSED"), DeployedIn.NOT_SEARCHED, "arn").close());
    }

    @Test
    void serviceActions_oneTicketPerServiceEventAndDay_deploymentsPerDeployment() {
        Evidence.Failure morning = failure("SERVICE_TASK_PLACEMENT_FAILURE", null, "2026-11-22T08:00:00Z");
        Evidence.Failure evening = failure("SERVICE_TASK_PLACEMENT_FAILURE", null, "2026-11-22T23:59:00Z");
        Evidence.Failure nextDay = failure("SERVICE_TASK_PLACEMENT_FAILURE", null, "2026-11-23T00:01:00Z");

        assertEquals(ticket(morning).fingerprint(), ticket(evening).fingerprint());
        assertNotEquals(ticket(morning).fingerprint(), ticket(nextDay).fingerprint());
        assertNotEquals(ticket(failure("ECS_DEPLOYMENT_FAILED", "ecs-svc/1", "2026-11-22T08:00:00Z")).fingerprint(),
                ticket(failure("ECS_DEPLOYMENT_FAILED", "ecs-svc/2", "2026-11-22T08:00:00Z")).fingerprint());
    }

    @Test
    void failure_listsEachContainerOfTheStoppedTasks() {
        Evidence.StoppedTask task = new Evidence.StoppedTask("abc", "arn:aws:ecs:r:1:task-definition/web:7", "EssentialContainerExited",
                "Essential container in task exited", Instant.parse("2026-11-22T09:00:00Z"),
                List.of(new Evidence.ContainerExit("app", 137, "OutOfMemoryError: Container killed due to memory usage", "STOPPED"),
                        new Evidence.ContainerExit("sidecar", 0, null, "STOPPED")));

        String body = Markup.PLAIN.render(planner.failure(failure("ECS_DEPLOYMENT_FAILED", "ecs-svc/1", "2026-11-22T09:00:00Z"), null,
                List.of(task)).body(), 5000);

        assertTrue(body.contains("- abc, Task definition web:7, Stop code EssentialContainerExited"), body);
        assertTrue(body.contains("Container app, Exit code 137, Container reason OutOfMemoryError"), body);
        assertTrue(body.contains("Container sidecar, Exit code 0"), body);
    }

    private Ticket ticket(Evidence.Failure failure) {
        return planner.failure(failure, null, List.of());
    }

    private static Evidence.Failure failure(String kind, String deployment, String time) {
        return new Evidence.Failure(kind, "c", "s", "arn:s", deployment, "r", Instant.parse(time), null, null, null);
    }

    private static Evidence.Vulnerability vulnerability(String digest, String status) {
        return new Evidence.Vulnerability("arn:f", "CVE-2024-6387", "t", null, Severity.HIGH, status, 8.1, "web", digest, List.of(),
                List.of("openssh 8.7p1"), "YES", null, null);
    }
}
