package dev.deckhand.ticket.handler;

import static dev.deckhand.testkit.Handlers.invoke;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.core.event.BadEventException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.model.OpsItemStatus;

/**
 * hold-capacity's {@code Deckhand Capacity Shortage} (events/capacity-shortage.json, Deckhand's own event on its
 * own bus): SHORT opens one ticket per lever with the event's evidence, again changes nothing, RESOLVED closes it.
 */
@Tag("emulator")
class CapacityShortageTicketTest {

    static final String REGION = "us-east-2";
    static final ObjectMapper JSON = new ObjectMapper();

    private TicketAccount account;

    @BeforeEach
    void seed() throws IOException {
        account = new TicketAccount();
    }

    @AfterEach
    void stop() {
        account.close();
    }

    private OpenTicketHandler handler(String sinks, String clusters) {
        return account.handler(Map.of("DECKHAND_TICKET_SINKS", sinks, "DECKHAND_CLUSTERS", clusters));
    }

    private static List<String> actions(JsonNode result) {
        return java.util.stream.StreamSupport.stream(result.path("sinks").spliterator(), false)
                .map(s -> s.path("sink").asText() + " " + s.path("action").asText()).toList();
    }

    private static String resolved() throws IOException {
        ObjectNode event = (ObjectNode) JSON.readTree(LaunchFailureTicketTest.sample("capacity-shortage.json"));
        event.put("id", "3c1e9f52-8a7b-4d0e-9b1f-2a6c5d4e7f81").put("time", "2026-11-22T10:40:00Z");
        ((ObjectNode) event.get("detail")).put("status", "RESOLVED").put("spotInService", 6);
        return event.toString();
    }

    @Test
    void short_opensOneTicketPerSink_withTheEvidence_theSameAgainChangesNothing_andResolvedClosesIt() throws IOException {
        OpenTicketHandler handler = handler("opscenter,github,jira", "demo-batch");
        String sample = LaunchFailureTicketTest.sample("capacity-shortage.json");

        JsonNode opened = invoke(handler, sample);
        JsonNode again = invoke(handler, sample);
        String evidence = account.api.githubIssues.get(0).path("body").asText();
        JsonNode closed = invoke(handler, resolved());
        JsonNode closedAgain = invoke(handler, resolved());

        assertEquals("TICKETED", opened.get("decision").asText(), opened.toString());
        assertEquals(List.of("opscenter CREATED", "github CREATED", "jira CREATED"), actions(opened));
        assertEquals("Cluster demo-batch is short of capacity beyond the On-Demand hold (demo-batch-ondemand)", opened.get("title").asText());
        String body = opened.get("body").asText();
        for (String fact : List.of("demo-batch", "demo-batch-ondemand", "desired 6, in service 2", "Still missing: 2",
                "On-Demand bought by hold-capacity: 2 (DesiredCapacity now 3)", "Cap: 2", "2026-11-22T09:40:00Z")) {
            assertTrue(body.contains(fact), fact + " in " + body);
        }
        assertEquals(List.of("opscenter UNCHANGED", "github UNCHANGED", "jira UNCHANGED"), actions(again));
        assertEquals(1, account.api.githubIssues.size());
        assertEquals(1, account.api.jiraIssues.size());
        assertEquals("CLOSED", closed.get("decision").asText(), closed.toString());
        assertEquals(List.of("github CLOSED", "jira COMMENTED", "opscenter CLOSED"), actions(closed).stream().sorted().toList());
        assertEquals(OpsItemStatus.RESOLVED, account.ssm.describeOpsItems(r -> r.maxResults(50)).opsItemSummaries().get(0).status());
        assertEquals("closed", account.api.githubIssues.get(0).path("state").asText());
        assertEquals(evidence, account.api.githubIssues.get(0).path("body").asText(), "the evidence stays in the issue");
        assertEquals("NOTHING_OPEN", closedAgain.get("decision").asText(), closedAgain.toString());
        assertEquals(0, account.calls.byOperation().keySet().stream().filter(k -> !k.startsWith("ssm")).count(),
                "no AWS read but the sinks': " + account.calls.byOperation());
    }

    @Test
    void anUnmanagedCluster_isNotTicketed() throws IOException {
        JsonNode result = invoke(handler("opscenter", "web"), LaunchFailureTicketTest.sample("capacity-shortage.json"));

        assertEquals("NOT_MANAGED", result.get("decision").asText(), result.toString());
        assertEquals(0, account.ssm.describeOpsItems(r -> r.maxResults(50)).opsItemSummaries().size());
    }

    @Test
    void aBadShortage_isRefusedWithAClearError() throws IOException {
        ObjectNode event = (ObjectNode) JSON.readTree(LaunchFailureTicketTest.sample("capacity-shortage.json"));
        ((ObjectNode) event.get("detail")).put("status", "SHORTISH");
        OpenTicketHandler handler = handler("opscenter", "demo-batch");

        BadEventException e = assertThrows(BadEventException.class, () -> invoke(handler, event.toString()));

        assertEquals("event field `detail.status` must be SHORT or RESOLVED, got SHORTISH", e.getMessage());
        assertEquals(0, account.ssm.describeOpsItems(r -> r.maxResults(50)).opsItemSummaries().size());
    }
}
