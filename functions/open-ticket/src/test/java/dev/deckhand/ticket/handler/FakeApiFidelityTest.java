package dev.deckhand.ticket.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pins the fake GitHub, Jira and chat webhook ({@link FakeApi}) to what the real services document,
 * where open-ticket depends on it:
 * <ul>
 * <li>GitHub REST API, Issues, "Create an issue" (docs.github.com/en/rest/issues/issues#create-an-issue):
 * "Only users with push access can set labels for new issues. Labels are silently dropped otherwise."
 * "Update an issue": {@code state_reason} is completed, not_planned or reopened.</li>
 * <li>GitHub, "Rate limits for the REST API", "Exceeding the rate limit": 403 or 429, with
 * {@code retry-after}, or {@code x-ratelimit-remaining: 0} and {@code x-ratelimit-reset}.</li>
 * <li>Atlassian, "Search after write with search and reconcile"
 * (developer.atlassian.com/cloud/jira/platform/search-and-reconcile): {@code /rest/api/3/search/jql}
 * has no read-after-write consistency unless the issue's id is in {@code reconcileIssues}.</li>
 * <li>Jira REST v2, "Edit issue": {@code fields} sets a field (labels replaced), {@code update}
 * applies operations ({@code add}, {@code remove}).</li>
 * <li>Any of them may lose an answer after acting (a 5xx from a proxy, a timeout): the request
 * took effect, the client cannot tell. Or answer after the client's timeout (any HTTP client's
 * request timeout, e.g. {@code HttpRequest.Builder.timeout}): the request took effect, the client
 * saw only {@code HttpTimeoutException}.</li>
 * </ul>
 */
class FakeApiFidelityTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private FakeApi api;

    @BeforeEach
    void start() throws IOException {
        api = new FakeApi();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(api.uri(path)).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void github_createWithoutPushAccess_dropsTheLabelsSilently() throws Exception {
        api.githubPushAccess = false;

        HttpResponse<String> created = send("POST", "/github/repos/acme/platform/issues",
                "{\"title\":\"t\",\"body\":\"b <!-- deckhand-fp-1 -->\",\"labels\":[\"deckhand-fp-1\"]}");

        assertEquals(201, created.statusCode(), "no error: the labels are dropped silently");
        assertEquals(0, JSON.readTree(created.body()).get("labels").size());
        assertEquals("[]", send("GET", "/github/repos/acme/platform/issues?state=all&labels=deckhand-fp-1", null).body());
        JsonNode found = JSON.readTree(send("GET", "/github/search/issues?q=%22deckhand-fp-1%22+repo%3Aacme%2Fplatform+in%3Abody", null).body());
        assertEquals(1, found.get("total_count").asInt(), "the body keeps the marker");
    }

    @Test
    void github_closeSetsAStateReason() throws Exception {
        send("POST", "/github/repos/acme/platform/issues", "{\"title\":\"t\",\"body\":\"b\",\"labels\":[]}");

        JsonNode closed = JSON.readTree(send("PATCH", "/github/repos/acme/platform/issues/1", "{\"state\":\"closed\"}").body());

        assertEquals("completed", closed.get("state_reason").asText(), "closed without a reason is completed");
    }

    @Test
    void failAfter_theRequestTakesEffect_andTheAnswerIsA5xx() throws Exception {
        api.failAfterNth(1, 502);

        HttpResponse<String> answer = send("POST", "/github/repos/acme/platform/issues", "{\"title\":\"t\",\"body\":\"b\",\"labels\":[]}");

        assertEquals(502, answer.statusCode());
        assertEquals(1, api.githubIssues.size());
    }

    @Test
    void answerLate_theRequestTakesEffect_andTheAnswerComesAfterTheClientsTimeout() throws Exception {
        api.answerLateNth(1, Duration.ofSeconds(2));
        HttpRequest create = HttpRequest.newBuilder(api.uri("/github/repos/acme/platform/issues")).timeout(Duration.ofMillis(300))
                .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"t\",\"body\":\"b\",\"labels\":[\"deckhand-fp-1\"]}")).build();

        assertThrows(HttpTimeoutException.class, () -> http.send(create, HttpResponse.BodyHandlers.ofString()));

        assertEquals(1, api.githubIssues.size(), "made before the answer was due");
        assertEquals(1, JSON.readTree(send("GET", "/github/repos/acme/platform/issues?labels=deckhand-fp-1", null).body()).size(),
                "a lookup while the late answer is pending is served, and finds it");
    }

    @Test
    void jira_searchLags_unlessTheIssueIsReconciled() throws Exception {
        api.jiraSearchLag = true;
        JsonNode created = JSON.readTree(send("POST", "/jira/rest/api/2/issue",
                "{\"fields\":{\"summary\":\"s\",\"labels\":[\"deckhand-fp-1\"]}}").body());
        String jql = "{\"jql\":\"project = \\\"OPS\\\" AND labels = \\\"deckhand-fp-1\\\"\"";

        assertEquals(0, JSON.readTree(send("POST", "/jira/rest/api/3/search/jql", jql + "}").body()).get("issues").size());
        assertEquals(1, JSON.readTree(send("POST", "/jira/rest/api/3/search/jql", jql + ",\"reconcileIssues\":[" + created.get("id").asText() + "]}")
                .body()).get("issues").size());
        api.indexJira();
        assertEquals(1, JSON.readTree(send("POST", "/jira/rest/api/3/search/jql", jql + "}").body()).get("issues").size());
    }

    @Test
    void jira_fieldsLabelsReplace_updateLabelsAddAndRemove() throws Exception {
        send("POST", "/jira/rest/api/2/issue", "{\"fields\":{\"summary\":\"s\",\"labels\":[\"a\",\"triaged\"]}}");

        send("PUT", "/jira/rest/api/2/issue/OPS-1", "{\"update\":{\"labels\":[{\"remove\":\"a\"},{\"add\":\"b\"}]}}");
        assertEquals("[\"triaged\",\"b\"]", api.jiraIssues.get(0).path("fields").path("labels").toString());

        send("PUT", "/jira/rest/api/2/issue/OPS-1", "{\"fields\":{\"labels\":[\"c\"]}}");
        assertEquals("[\"c\"]", api.jiraIssues.get(0).path("fields").path("labels").toString());
    }

    @Test
    void github_rateLimitAnswersCarryTheDocumentedHeaders() throws Exception {
        api.failWith(403, java.util.Map.of("x-ratelimit-remaining", "0", "x-ratelimit-reset", "1700000000"), "{\"message\":\"API rate limit exceeded\"}");

        HttpResponse<String> limited = send("GET", "/github/repos/acme/platform/issues", null);

        assertEquals(403, limited.statusCode());
        assertEquals("0", limited.headers().firstValue("x-ratelimit-remaining").orElseThrow());
        assertTrue(limited.headers().firstValue("x-ratelimit-reset").isPresent());
    }
}
