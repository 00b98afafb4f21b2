package dev.deckhand.ticket.handler;

import static dev.deckhand.testkit.Handlers.invoke;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.core.config.ConfigException;
import dev.deckhand.core.config.Env;
import dev.deckhand.emulator.AccountSeeder;
import dev.deckhand.emulator.DeckhandHome;
import dev.deckhand.ticket.TicketConfig;
import dev.deckhand.ticket.sink.HttpSender;
import dev.deckhand.ticket.sink.SinkUnavailableException;
import dev.deckhand.ticket.sink.TestSenders;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * open-ticket against the emulator (ECR, ECS, OpsCenter, SSM) and a loopback GitHub, Jira and
 * chat webhook that record every request. Every line the tests log is captured and scanned for
 * the seeded secrets at the end.
 */
@Tag("emulator")
class OpenTicketHandlerTest {

    static final String REGION = TicketAccount.REGION;
    static final String DIGEST = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path EVENTS = DeckhandHome.find().resolve("events");

    private static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();
    private static PrintStream original;

    private TicketAccount account;
    private final List<Duration> slept = new ArrayList<>();

    @BeforeAll
    static void captureLogs() {
        original = System.out;
        System.setOut(new PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                original.write(b);
                synchronized (LOG) {
                    LOG.write(b);
                }
            }
        }, true, StandardCharsets.UTF_8));
    }

    @AfterAll
    static void noSecretInAnyLogLine() {
        System.setOut(original);
        String logs = LOG.toString(StandardCharsets.UTF_8);
        assertTrue(logs.lines().count() > 5, "the tests logged: " + logs.lines().count() + " lines");
        String basic = Base64.getEncoder().encodeToString((TicketAccount.JIRA_EMAIL + ":" + TicketAccount.JIRA_TOKEN).getBytes(StandardCharsets.UTF_8));
        for (String secret : List.of(TicketAccount.GITHUB_TOKEN, TicketAccount.JIRA_TOKEN, basic, TicketAccount.WEBHOOK_SECRET_PATH)) {
            assertFalse(logs.contains(secret), "a secret reached a log line");
        }
    }

    @BeforeEach
    void seed() throws IOException {
        account = new TicketAccount();
        EcrClient ecr = account.aws.client(EcrClient.builder(), REGION);
        ecr.createRepository(r -> r.repositoryName("demo/report-builder"));
        ecr.putImage(r -> r.repositoryName("demo/report-builder").imageTag("2026.11.22").imageManifest("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\",\"layers\":[]}"));
        ecr.startImageScan(r -> r.repositoryName("demo/report-builder").imageId(i -> i.imageTag("2026.11.22")));
        AccountSeeder seed = new AccountSeeder(account.aws, REGION);
        seed.cluster("demo-batch");
        AccountSeeder.SeededInstance instance = seed.instance("demo-batch", "a", false);
        EcsClient ecs = seed.ecs();
        String td = ecs.registerTaskDefinition(r -> r.family("report-builder").containerDefinitions(ContainerDefinition.builder()
                .name("report-builder").image("123456789012.dkr.ecr.us-east-2.amazonaws.com/demo/report-builder@" + DIGEST)
                .cpu(256).memory(512).build())).taskDefinition().taskDefinitionArn();
        seed.service("demo-batch", "report-builder", td, 1);
        List<String> tasks = seed.serviceTasks("demo-batch", "report-builder", td, List.of(instance, instance));
        account.aws.control("ecs/task", Map.of("region", REGION, "cluster", "demo-batch", "task", tasks.get(1), "lastStatus", "STOPPED",
                "stopCode", "EssentialContainerExited", "stoppedReason", "Essential container in task exited <@U123> *boom*"));
    }

    @AfterEach
    void stop() {
        account.close();
    }

    private OpenTicketHandler handler(Map<String, String> extra) {
        return handler(extra, null);
    }

    /** With {@code requestTimeout} (null: HttpSender's own) for every HTTP request to a sink; the chat webhook configured. */
    private OpenTicketHandler handler(Map<String, String> extra, Duration requestTimeout) {
        Map<String, String> env = new HashMap<>(Map.of("DECKHAND_CHAT_WEBHOOK_PARAMETER", "/deckhand/chat-webhook"));
        env.putAll(extra);
        return account.handler(env, config -> requestTimeout == null
                ? new HttpSender(config.httpMaxAttempts(), config.httpMaxRetryAfter(), slept::add)
                : TestSenders.withRequestTimeout(config.httpMaxAttempts(), config.httpMaxRetryAfter(), slept::add, requestTimeout));
    }

    private OpenTicketHandler handler() {
        return handler(Map.of());
    }

    static String sample(String name) throws IOException {
        return Files.readString(EVENTS.resolve(name));
    }

    private int opsItems() {
        return account.ssm.describeOpsItems(r -> r.maxResults(50)).opsItemSummaries().size();
    }

    private List<FakeApi.Request> requests(String method, String prefix) {
        return account.api.requests.stream().filter(r -> r.method().equals(method) && r.path().startsWith(prefix)).toList();
    }

    @Test
    void ecrScan_sameEventThreeTimes_oneTicketInEverySink_andEveryRequestAsTheApiExpects() throws IOException {
        OpenTicketHandler handler = handler();
        for (int i = 0; i < 3; i++) {
            JsonNode result = invoke(handler, sample("ecr-image-scan.json"));
            assertEquals(i == 0 ? "CREATED" : "UNCHANGED", result.get("sinks").get(0).get("action").asText(), "OpsCenter: " + result);
            assertEquals(i == 0 ? "CREATED" : "UNCHANGED", result.get("sinks").get(1).get("action").asText(), result.toString());
            assertEquals(i == 0 ? "CREATED" : "UNCHANGED", result.get("sinks").get(2).get("action").asText(), "Jira: " + result);
        }
        assertEquals(1, opsItems());
        assertEquals(1, account.api.githubIssues.size());
        assertEquals(1, account.api.jiraIssues.size());
        assertEquals(1, requests("POST", "/github/").size());
        assertEquals(0, requests("PATCH", "/github/").size());
        assertEquals(1, requests("POST", "/jira/rest/api/2/issue").size());
        assertEquals(0, requests("PUT", "/jira/").size());

        FakeApi.Request search = requests("GET", "/github/").get(0);
        String fingerprint = account.api.githubIssues.get(0).path("labels").get(0).path("name").asText();
        assertEquals("/github/repos/acme/platform/issues?state=all&per_page=10&labels=" + fingerprint, search.path());
        FakeApi.Request create = requests("POST", "/github/").get(0);
        assertEquals("Bearer " + TicketAccount.GITHUB_TOKEN, create.header("Authorization"));
        assertEquals("application/vnd.github+json", create.header("Accept"));
        assertEquals("2022-11-28", create.header("X-GitHub-Api-Version"));
        assertEquals("deckhand-open-ticket", create.header("User-Agent"));
        assertTrue(create.header("Content-Type").startsWith("application/json"));
        JsonNode issue = JSON.readTree(create.body());
        assertEquals("[CRITICAL] demo/report-builder@sha256:e3b0c44298fc: 1 critical, 2 high, 1 medium", issue.get("title").asText());
        assertEquals(List.of(fingerprint, "deckhand", "severity:critical", "priority:1"),
                JSON.convertValue(issue.get("labels"), List.class));
        String body = issue.get("body").asText();
        assertTrue(body.contains("demo\\-batch") && body.contains("`demo/report-builder`"), body);
        assertTrue(body.endsWith("<!-- " + fingerprint + " -->"), body);

        FakeApi.Request jiraSearch = requests("POST", "/jira/rest/api/3/search/jql").get(0);
        assertEquals("Basic " + Base64.getEncoder().encodeToString((TicketAccount.JIRA_EMAIL + ":" + TicketAccount.JIRA_TOKEN).getBytes(StandardCharsets.UTF_8)),
                jiraSearch.header("Authorization"));
        assertEquals("project = \"OPS\" AND labels = \"" + fingerprint + "\" ORDER BY created DESC",
                JSON.readTree(jiraSearch.body()).get("jql").asText());
        JsonNode fields = JSON.readTree(requests("POST", "/jira/rest/api/2/issue").get(0).body()).get("fields");
        assertEquals("OPS", fields.get("project").get("key").asText());
        assertEquals("Bug", fields.get("issuetype").get("name").asText());
        assertTrue(fields.get("description").asText().startsWith("Amazon ECR basic scanning"), fields.toString());
        assertTrue(fields.get("description").asText().contains("||Severity||Count||"), fields.toString());
    }

    @Test
    void rateLimit_waitsTheRetryAfter_andA5xx_backsOff_thenOneIssue() throws IOException {
        OpenTicketHandler handler = handler(Map.of("DECKHAND_TICKET_SINKS", "github"));
        account.api.fail(429, "3", 1);
        account.api.fail(502, null, 1);

        JsonNode result = invoke(handler, sample("ecr-image-scan.json"));

        assertEquals("CREATED", result.get("sinks").get(0).get("action").asText());
        assertEquals(Duration.ofSeconds(3), slept.get(0));
        assertTrue(slept.get(1).toMillis() >= 250 && slept.get(1).toMillis() < 2000, slept.toString());
        assertEquals(1, account.api.githubIssues.size());
        assertEquals(5, result.get("httpRequests").asInt(), "429, 502, GET (label), GET (marker search), POST");
    }

    @Test
    void sinkThatStaysDown_failsTheInvocation_andTheRetryDuplicatesNothing() throws IOException {
        OpenTicketHandler handler = handler();
        account.api.fail(503, null, 4);

        SinkUnavailableException down = assertThrows(SinkUnavailableException.class, () -> invoke(handler, sample("ecr-image-scan.json")));
        assertTrue(down.getMessage().contains("still failing after 4 attempts"), down.getMessage());
        assertFalse(down.getMessage().contains(TicketAccount.GITHUB_TOKEN), "the echoed token is redacted");
        assertEquals(1, opsItems(), "OpsCenter, first, got its OpsItem before GitHub failed");

        JsonNode retry = invoke(handler, sample("ecr-image-scan.json"));

        assertEquals("UNCHANGED", retry.get("sinks").get(0).get("action").asText());
        assertEquals("CREATED", retry.get("sinks").get(1).get("action").asText());
        assertEquals(1, opsItems());
        assertEquals(1, account.api.githubIssues.size());
        assertEquals(1, account.api.jiraIssues.size());
    }

    @Test
    void retryAfterLongerThanAllowed_failsAtOnce_withoutWaiting() throws IOException {
        OpenTicketHandler handler = handler(Map.of("DECKHAND_TICKET_SINKS", "github"));
        account.api.fail(429, "3600", 1);

        SinkUnavailableException e = assertThrows(SinkUnavailableException.class, () -> invoke(handler, sample("ecr-image-scan.json")));

        assertTrue(e.getMessage().contains("3600 s"), e.getMessage());
        assertEquals(List.of(), slept);
        assertEquals(0, account.api.githubIssues.size());
    }

    @Test
    void refusedRequest_failsWithoutRetrying() throws IOException {
        OpenTicketHandler handler = handler(Map.of("DECKHAND_TICKET_SINKS", "github"));
        account.api.fail(401, null, 1);

        SinkUnavailableException e = assertThrows(SinkUnavailableException.class, () -> invoke(handler, sample("ecr-image-scan.json")));

        assertEquals(401, e.status());
        assertEquals(1, account.api.requests.size());
    }

    @Test
    void inspector_nextPushUpdatesTheSameTicket_andClosedClosesIt() throws IOException {
        OpenTicketHandler handler = handler();
        ObjectNode event = (ObjectNode) JSON.readTree(sample("inspector-finding.json"));
        invoke(handler, event.toString());
        String otherDigest = "sha256:" + "b".repeat(64);
        ObjectNode image = (ObjectNode) event.path("detail").path("resources").get(0).path("details").path("awsEcrContainerImage");
        image.put("imageHash", otherDigest);

        JsonNode next = invoke(handler, event.toString());

        assertEquals("UPDATED", next.get("sinks").get(1).get("action").asText());
        assertEquals("UPDATED", next.get("sinks").get(2).get("action").asText());
        assertEquals(1, account.api.githubIssues.size());
        assertEquals(1, opsItems());
        assertTrue(account.api.githubIssues.get(0).path("body").asText().contains("bbbbbbbb"));

        ((ObjectNode) event.path("detail")).put("status", "CLOSED");
        JsonNode closed = invoke(handler, event.toString());

        assertEquals("CLOSED", closed.get("sinks").get(0).get("action").asText());
        assertEquals("CLOSED", closed.get("sinks").get(1).get("action").asText());
        assertEquals("COMMENTED", closed.get("sinks").get(2).get("action").asText());
        assertEquals("closed", account.api.githubIssues.get(0).path("state").asText());
        assertEquals("completed", JSON.readTree(requests("PATCH", "/github/").get(1).body()).get("state_reason").asText());
        assertEquals("UNCHANGED", invoke(handler, event.toString()).get("sinks").get(2).get("action").asText(), "one comment, once");
        assertEquals(1, requests("POST", "/jira/rest/api/2/issue/OPS-1/comment").size());
    }

    @Test
    void deploymentFailed_ticketsTheStoppedTasks_andPostsOneEscapedChatLine() throws IOException {
        OpenTicketHandler handler = handler();

        JsonNode result = invoke(handler, sample("ecs-deployment-failed.json"));
        invoke(handler, sample("ecs-deployment-failed.json"));

        assertEquals("TICKETED", result.get("decision").asText());
        String github = account.api.githubIssues.get(0).path("body").asText();
        assertTrue(github.contains("EssentialContainerExited"), github);
        assertTrue(github.contains("Essential container in task exited &lt;\\@\u200BU123&gt; \\*boom\\*"), github);
        assertTrue(github.contains("ecs\\-svc/123") || github.contains("`ecs-svc/123`"), github);
        assertEquals(1, account.api.githubIssues.size());
        assertEquals(1, account.api.chat.size(), "the redelivery finds the ticket in every sink: its chat line is not posted again");
        assertEquals("ALREADY_POSTED", invoke(handler, sample("ecs-deployment-failed.json")).get("chat").get("action").asText());
        String line = account.api.chat.get(0);
        assertTrue(line.startsWith(":x: Deployment failed: *demo-batch/report-builder* `ecs-svc/123`"), line);
        FakeApi.Request post = requests("POST", "/chat/").get(0);
        assertEquals(TicketAccount.WEBHOOK_SECRET_PATH, post.path());
        assertEquals(JSON.createObjectNode().put("text", line).toString(), post.body());
    }

    @Test
    void chatDown_failsTheInvocation_withoutTheWebhookPathInTheFailure() throws IOException {
        OpenTicketHandler handler = handler();
        account.api.fail(500, null, 4);

        SinkUnavailableException e = assertThrows(SinkUnavailableException.class, () -> invoke(handler, sample("ecs-deployment-in-progress.json")));

        java.io.StringWriter trace = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(trace));
        assertTrue(e.getMessage().startsWith("chat POST"), e.getMessage());
        assertFalse(trace.toString().contains(TicketAccount.WEBHOOK_SECRET_PATH), "the webhook's path is its credential: " + trace);
        assertFalse(trace.toString().contains("SEEDEDwebhookSECRET"), trace.toString());
        assertEquals(1, requests("POST", "/chat/").size(), "a 500 may come after the line was posted: not sent again");
    }

    @Test
    void deployedConfig_refusesALoopbackChatWebhook_atInit() {
        TicketConfig deployed = TicketConfig.from(new Env(Map.of("AWS_REGION", REGION, "DECKHAND_TICKET_SINKS", "none",
                "DECKHAND_CHAT_WEBHOOK_PARAMETER", "/deckhand/chat-webhook")));

        ConfigException e = assertThrows(ConfigException.class, () -> account.handler(deployed, new HttpSender(1, Duration.ZERO, slept::add)));

        assertTrue(e.getMessage().contains("https"), e.getMessage());
        assertEquals(List.of(), account.api.requests);
    }

    @Test
    void deploymentStartedAndSucceeded_areChatLinesOnly() throws IOException {
        OpenTicketHandler handler = handler();

        JsonNode started = invoke(handler, sample("ecs-deployment-in-progress.json"));

        assertEquals("CHAT_ONLY", started.get("decision").asText());
        assertEquals(List.of(":rocket: Deployment started: *demo-batch/report-builder* `ecs-svc/123`"), account.api.chat);
        assertEquals(0, opsItems());
        assertEquals(0, account.api.githubIssues.size());
    }

    @Test
    void placementFailure_oneTicketPerServiceAndDay() throws IOException {
        OpenTicketHandler handler = handler();
        ObjectNode event = (ObjectNode) JSON.readTree(sample("ecs-service-placement-failure.json"));
        invoke(handler, event.toString());
        event.put("id", "another-delivery").put("time", "2026-11-22T18:00:00Z");
        invoke(handler, event.toString());
        assertEquals(1, account.api.githubIssues.size());

        event.put("time", "2026-11-23T01:00:00Z");
        invoke(handler, event.toString());

        assertEquals(2, account.api.githubIssues.size());
        assertTrue(account.api.githubIssues.get(1).path("title").asText().endsWith("(2026-11-23)"));
    }

    @Test
    void userControlledText_isEscapedForEverySink() throws IOException {
        OpenTicketHandler handler = handler(Map.of("DECKHAND_TICKET_MIN_SEVERITY", "medium"));
        ObjectNode event = (ObjectNode) JSON.readTree(sample("inspector-finding.json"));
        ((ObjectNode) event.path("detail")).put("title", "<script>alert(1)</script> @channel *bold* [x](https://evil.example) {code} |cell|")
                .put("description", "#1 @octocat ![img](https://evil.example/a.png) <!channel>");

        invoke(handler, event.toString());

        String github = account.api.githubIssues.get(0).path("body").asText();
        assertFalse(github.contains("<script>") || github.contains("[x](https") || github.contains("![img]"), github);
        assertTrue(github.contains("&lt;script&gt;") && github.contains("\\[x\\]\\(https\\:"), github);
        assertTrue(github.contains("\\@\u200Boctocat") && github.contains("\\#\u200B1"), github);
        String jira = account.api.jiraIssues.get(0).path("fields").path("description").asText();
        assertTrue(jira.contains("\\{code\\}") && jira.contains("\\|cell\\|") && jira.contains("\\*bold\\*"), jira);
        String title = JSON.readTree(requests("POST", "/github/").get(0).body()).get("title").asText();
        assertTrue(title.contains("<script>"), "titles are plain text: GitHub shows them as text");
    }

    @Test
    void dryRun_searchesEverySink_andCreatesNothing() throws IOException {
        OpenTicketHandler handler = handler(Map.of("DECKHAND_DRY_RUN", "true"));

        JsonNode result = invoke(handler, sample("ecs-deployment-failed.json"));

        assertEquals("DRY_RUN_TICKET", result.get("decision").asText());
        assertEquals(List.of("WOULD_CREATE", "WOULD_CREATE", "WOULD_CREATE"),
                List.of(result.get("sinks").get(0).get("action").asText(), result.get("sinks").get(1).get("action").asText(),
                        result.get("sinks").get(2).get("action").asText()));
        assertEquals("WOULD_POST", result.get("chat").get("action").asText());
        assertEquals(0, opsItems());
        assertEquals(List.of(), account.api.requests.stream().filter(r -> !r.method().equals("GET") && !r.path().endsWith("/search/jql")).toList());
    }

    @Test
    void belowTheThreshold_isIgnored_beforeAnyCall() throws IOException {
        ObjectNode event = (ObjectNode) JSON.readTree(sample("ecr-image-scan.json"));
        ((ObjectNode) event.path("detail")).set("finding-severity-counts", JSON.createObjectNode().put("MEDIUM", 4).put("LOW", 9));

        JsonNode result = invoke(handler(), event.toString());

        assertEquals("IGNORED", result.get("decision").asText());
        assertEquals(0, result.get("awsCalls").size());
        assertEquals(0, account.api.requests.size());
    }

    /** The samples' tickets as each sink receives them, kept in target/ticket-bodies for review. */
    @Test
    void samples_bodiesAsEverySinkReceivesThem() throws IOException {
        OpenTicketHandler handler = handler();
        Path out = Path.of("target/ticket-bodies");
        Files.createDirectories(out);
        for (String sample : List.of("ecr-image-scan", "inspector-finding", "ecs-deployment-failed")) {
            account.api.requests.clear();
            invoke(handler, sample(sample + ".json"));
            JsonNode github = JSON.readTree(requests("POST", "/github/").get(0).body());
            JsonNode jira = JSON.readTree(requests("POST", "/jira/rest/api/2/issue").get(0).body()).get("fields");
            var item = account.ssm.describeOpsItems(r -> r.maxResults(50)).opsItemSummaries().stream()
                    .filter(i -> i.title().equals(github.get("title").asText())).findFirst().orElseThrow();
            String ops = account.aws.client(SsmClient.builder(), REGION).getOpsItem(r -> r.opsItemId(item.opsItemId())).opsItem().description();
            Files.writeString(out.resolve(sample + ".github.md"), github.get("title").asText() + "\n\n" + github.get("body").asText());
            Files.writeString(out.resolve(sample + ".jira.txt"), jira.get("summary").asText() + "\n\n" + jira.get("description").asText());
            Files.writeString(out.resolve(sample + ".opscenter.txt"), item.title() + "\n\n" + ops);
            assertTrue(ops.length() <= 2048 && github.get("body").asText().length() <= 65_536
                    && jira.get("description").asText().length() <= 32_767);
        }
        assertTrue(Files.readString(out.resolve("ecs-deployment-failed.opscenter.txt")).contains("EssentialContainerExited"));
        assertTrue(Files.readString(out.resolve("inspector-finding.github.md")).contains("CVE\\-2024\\-6387"));
    }

    // ---- issue 17, point 2: GitHub drops the labels of a token without push access ----

    @Test
    void github_tokenWithoutPushAccess_failsLoudly_andTheRetryFindsTheIssueByItsMarker() throws IOException {
        OpenTicketHandler handler = handler(Map.of("DECKHAND_TICKET_SINKS", "github"));
        account.api.githubPushAccess = false;

        SinkUnavailableException first = assertThrows(SinkUnavailableException.class, () -> invoke(handler, sample("ecr-image-scan.json")));
        SinkUnavailableException again = assertThrows(SinkUnavailableException.class, () -> invoke(handler, sample("ecr-image-scan.json")));

        assertTrue(first.getMessage().contains("push access"), first.getMessage());
        assertTrue(again.getMessage().contains("#1"), again.getMessage());
        assertEquals(1, account.api.githubIssues.size(), "the body marker finds the unlabelled issue: no second one");
        assertEquals(1, requests("POST", "/github/").size());
    }

    // ---- point 3: a create answered 5xx, or answered after the request timeout, after it took effect is not made twice ----

    @Test
    void github_createAnswered5xxAfterItWasMade_isFound_notMadeTwice() throws IOException {
        OpenTicketHandler handler = handler(Map.of("DECKHAND_TICKET_SINKS", "github"));
        account.api.failAfterNth(3, 502);   // GET (label), GET (marker search), then the POST: made, answered 502

        JsonNode result = invoke(handler, sample("ecr-image-scan.json"));

        assertEquals("CREATED", result.get("sinks").get(0).get("action").asText());
        assertEquals(1, account.api.githubIssues.size());
        assertEquals(1, requests("POST", "/github/").size(), "looked up by label before any second POST");
    }

    @Test
    void jira_createAnswered5xxAfterItWasMade_isNotSentAgain_andLambdasRetryFindsIt() throws IOException {
        OpenTicketHandler handler = handler(Map.of("DECKHAND_TICKET_SINKS", "jira"));
        account.api.jiraSearchLag = true;
        account.api.failAfterNth(2, 502);

        SinkUnavailableException e = assertThrows(SinkUnavailableException.class, () -> invoke(handler, sample("ecr-image-scan.json")));
        assertTrue(e.getMessage().contains("not sent again"), e.getMessage());
        assertEquals(1, account.api.jiraIssues.size());
        account.api.indexJira();

        JsonNode retry = invoke(handler, sample("ecr-image-scan.json"));

        assertEquals("UNCHANGED", retry.get("sinks").get(0).get("action").asText());
        assertEquals(1, account.api.jiraIssues.size());
    }

    /** The POST is made, but answered after HttpSender's request timeout: a timeout may have taken effect. */
    @Test
    void github_createAnsweredAfterTheRequestTimeout_isFound_notMadeTwice() throws IOException {
        OpenTicketHandler handler = handler(Map.of("DECKHAND_TICKET_SINKS", "github"), Duration.ofMillis(500));
        account.api.answerLateNth(3, Duration.ofSeconds(3));   // GET (label), GET (marker search), then the POST: made, answered too late

        JsonNode result = invoke(handler, sample("ecr-image-scan.json"));

        assertEquals("CREATED", result.get("sinks").get(0).get("action").asText(), result.toString());
        assertEquals(1, account.api.githubIssues.size());
        assertEquals(1, requests("POST", "/github/").size(), "looked up by label before any second POST");
    }

    @Test
    void jira_createAnsweredAfterTheRequestTimeout_isNotSentAgain_andLambdasRetryFindsIt() throws IOException {
        OpenTicketHandler handler = handler(Map.of("DECKHAND_TICKET_SINKS", "jira"), Duration.ofMillis(500));
        account.api.jiraSearchLag = true;
        account.api.answerLateNth(2, Duration.ofSeconds(3));   // the search, then the POST: made, answered too late

        SinkUnavailableException e = assertThrows(SinkUnavailableException.class, () -> invoke(handler, sample("ecr-image-scan.json")));
        assertTrue(e.getMessage().contains("not sent again"), e.getMessage());
        assertEquals(1, account.api.jiraIssues.size());
        account.api.indexJira();

        JsonNode retry = invoke(handler, sample("ecr-image-scan.json"));

        assertEquals("UNCHANGED", retry.get("sinks").get(0).get("action").asText(), retry.toString());
        assertEquals(1, account.api.jiraIssues.size());
        assertEquals(1, requests("POST", "/jira/rest/api/2/issue").size());
    }

    @Test
    void jira_searchLagsBehindTheCreate_twoEventsSecondsApart_oneIssue() throws IOException {
        OpenTicketHandler handler = handler(Map.of("DECKHAND_TICKET_SINKS", "jira"));
        account.api.jiraSearchLag = true;
        ObjectNode event = (ObjectNode) JSON.readTree(sample("ecr-image-scan.json"));
        invoke(handler, event.toString());
        event.put("id", "a-second-delivery");

        JsonNode second = invoke(handler, event.toString());

        assertEquals("UNCHANGED", second.get("sinks").get(0).get("action").asText());
        assertEquals(1, account.api.jiraIssues.size());
        JsonNode search = JSON.readTree(requests("POST", "/jira/rest/api/3/search/jql").get(1).body());
        assertEquals(account.api.jiraIssues.get(0).path("id").asLong(), search.get("reconcileIssues").get(0).asLong());
    }

    @Test
    void chat_answered5xxAfterThePost_isNotPostedTwice() throws IOException {
        OpenTicketHandler handler = handler();
        account.api.failAfterNth(1, 500);

        assertThrows(SinkUnavailableException.class, () -> invoke(handler, sample("ecs-deployment-in-progress.json")));

        assertEquals(1, account.api.chat.size());
    }

    @Test
    void chat_answeredAfterTheRequestTimeout_isNotPostedTwice() throws IOException {
        OpenTicketHandler handler = handler(Map.of(), Duration.ofMillis(500));
        account.api.answerLateNth(1, Duration.ofSeconds(3));

        SinkUnavailableException e = assertThrows(SinkUnavailableException.class, () -> invoke(handler, sample("ecs-deployment-in-progress.json")));

        assertTrue(e.getMessage().contains("not sent again"), e.getMessage());
        assertEquals(1, account.api.chat.size());
        assertEquals(1, requests("POST", "/chat/").size());
    }

    // ---- point 4: rate limits as GitHub documents them ----

    @Test
    void github403RateLimit_waitsUntilXRateLimitReset() throws IOException {
        OpenTicketHandler handler = handler(Map.of("DECKHAND_TICKET_SINKS", "github"));
        long reset = java.time.Instant.now().getEpochSecond() + 8;
        account.api.failWith(403, Map.of("x-ratelimit-remaining", "0", "x-ratelimit-reset", Long.toString(reset)),
                "{\"message\":\"API rate limit exceeded for user ID 1.\"}");

        JsonNode result = invoke(handler, sample("ecr-image-scan.json"));

        assertEquals("CREATED", result.get("sinks").get(0).get("action").asText());
        assertTrue(slept.get(0).toSeconds() >= 6 && slept.get(0).toSeconds() <= 10, slept.toString());
    }

    @Test
    void github403SecondaryRateLimit_waitsTheRetryAfter() throws IOException {
        OpenTicketHandler handler = handler(Map.of("DECKHAND_TICKET_SINKS", "github"));
        account.api.failWith(403, Map.of("retry-after", "7"), "{\"message\":\"You have exceeded a secondary rate limit.\"}");

        JsonNode result = invoke(handler, sample("ecr-image-scan.json"));

        assertEquals("CREATED", result.get("sinks").get(0).get("action").asText());
        assertEquals(Duration.ofSeconds(7), slept.get(0));
    }

    @Test
    void unavailable503_waitsItsRetryAfter() throws IOException {
        OpenTicketHandler handler = handler(Map.of("DECKHAND_TICKET_SINKS", "github"));
        account.api.fail(503, "9", 1);

        invoke(handler, sample("ecr-image-scan.json"));

        assertEquals(Duration.ofSeconds(9), slept.get(0));
    }

    // ---- point 5: one failing sink does not block the others; the retry redoes only what is left ----

    @Test
    void oneSinkRefusing_theOthersAndChatStillGetIt_andTheRetryRedoesOnlyWhatIsLeft() throws IOException {
        OpenTicketHandler handler = handler();
        account.api.fail(401, null, 1);   // GitHub's first request

        SinkUnavailableException e = assertThrows(SinkUnavailableException.class, () -> invoke(handler, sample("ecs-deployment-failed.json")));

        assertEquals(401, e.status());
        assertEquals(1, opsItems());
        assertEquals(0, account.api.githubIssues.size());
        assertEquals(1, account.api.jiraIssues.size(), "Jira, after GitHub, got its issue");
        assertEquals(1, account.api.chat.size());

        JsonNode retry = invoke(handler, sample("ecs-deployment-failed.json"));

        assertEquals(List.of("UNCHANGED", "CREATED", "UNCHANGED"), List.of(retry.get("sinks").get(0).get("action").asText(),
                retry.get("sinks").get(1).get("action").asText(), retry.get("sinks").get(2).get("action").asText()));
        assertEquals("ALREADY_POSTED", retry.get("chat").get("action").asText());
        assertEquals(1, account.api.chat.size());
        assertEquals(1, requests("POST", "/jira/rest/api/2/issue").size());
    }

    @Test
    void jira_closeWhoseLabelEditFailed_isRetriedWithoutASecondComment() throws IOException {
        OpenTicketHandler handler = handler(Map.of("DECKHAND_TICKET_SINKS", "jira"));
        ObjectNode event = (ObjectNode) JSON.readTree(sample("inspector-finding.json"));
        invoke(handler, event.toString());
        ((ObjectNode) event.path("detail")).put("status", "CLOSED");
        account.api.failMatching("PUT", "/jira/rest/api/2/issue/OPS-1", 503, 4);   // the label edit after the comment, every attempt

        assertThrows(SinkUnavailableException.class, () -> invoke(handler, event.toString()));
        assertEquals(1, account.api.jiraComments.get("OPS-1").size());

        JsonNode retry = invoke(handler, event.toString());

        assertEquals("COMMENTED", retry.get("sinks").get(0).get("action").asText());
        assertEquals(1, account.api.jiraComments.get("OPS-1").size(), "the retry finds its comment and only edits the labels");
        assertTrue(labels(account.api.jiraIssues.get(0)).contains("deckhand-closed"));
    }

    // ---- point 6: human decisions stand ----

    @Test
    void jira_labelsPeopleAdded_stayThroughAnUpdate() throws IOException {
        OpenTicketHandler handler = handler(Map.of("DECKHAND_TICKET_SINKS", "jira"));
        ObjectNode event = (ObjectNode) JSON.readTree(sample("inspector-finding.json"));
        invoke(handler, event.toString());
        ((com.fasterxml.jackson.databind.node.ArrayNode) account.api.jiraIssues.get(0).path("fields").path("labels")).add("triaged");
        String oldHash = labels(account.api.jiraIssues.get(0)).stream().filter(l -> l.startsWith("deckhand-body-")).findFirst().orElseThrow();
        ((ObjectNode) event.path("detail").path("resources").get(0).path("details").path("awsEcrContainerImage"))
                .put("imageHash", "sha256:" + "c".repeat(64));

        JsonNode next = invoke(handler, event.toString());

        assertEquals("UPDATED", next.get("sinks").get(0).get("action").asText());
        List<String> labels = labels(account.api.jiraIssues.get(0));
        assertTrue(labels.contains("triaged"), labels.toString());
        assertFalse(labels.contains(oldHash), labels.toString());
        assertEquals(1, labels.stream().filter(l -> l.startsWith("deckhand-body-")).count(), labels.toString());
    }

    private static List<String> labels(JsonNode jiraIssue) {
        List<String> out = new ArrayList<>();
        jiraIssue.path("fields").path("labels").forEach(l -> out.add(l.asText()));
        return out;
    }

    @Test
    void github_closedAsNotPlanned_isNotReopenedByTheFindingComingAgain() throws IOException {
        OpenTicketHandler handler = handler(Map.of("DECKHAND_TICKET_SINKS", "github"));
        ObjectNode event = (ObjectNode) JSON.readTree(sample("inspector-finding.json"));
        invoke(handler, event.toString());
        account.api.githubIssues.get(0).put("state", "closed").put("state_reason", "not_planned");
        ((ObjectNode) event.path("detail").path("resources").get(0).path("details").path("awsEcrContainerImage"))
                .put("imageHash", "sha256:" + "d".repeat(64));

        JsonNode next = invoke(handler, event.toString());

        assertEquals("KEPT_CLOSED", next.get("sinks").get(0).get("action").asText());
        assertEquals("closed", account.api.githubIssues.get(0).path("state").asText());
        assertEquals(0, requests("PATCH", "/github/").size());
    }

    @Test
    void opsCenter_descriptionIsMarkdown_withEveryValueEscaped() throws IOException {
        OpenTicketHandler handler = handler(Map.of("DECKHAND_TICKET_SINKS", "opscenter"));
        ObjectNode event = (ObjectNode) JSON.readTree(sample("inspector-finding.json"));
        ((ObjectNode) event.path("detail")).put("description", "see [x](https://evil.example) **now** <img src=x>");

        JsonNode result = invoke(handler, event.toString());

        String description = account.aws.client(SsmClient.builder(), REGION).getOpsItem(r -> r.opsItemId(result.get("sinks").get(0).get("id").asText()))
                .opsItem().description();
        assertFalse(description.contains("[x](https") || description.contains("<img") || description.contains("**now**"), description);
        assertTrue(description.contains("\\[x\\]\\(https\\:") && description.contains("&lt;img"), description);
    }

    // ---- point 7: a short (pre-2021) service ARN is looked up, not refused ----

    @Test
    void deploymentFailed_ofAServiceWithAShortArn_findsItsClusterAndTickets() throws IOException {
        EcsClient operator = account.aws.client(EcsClient.builder(), REGION);
        String taskDefinition = operator.describeServices(r -> r.cluster("demo-batch").services("report-builder")).services().get(0).taskDefinition();
        // As an account of before 2021: its services have short ARNs (the setting, now fixed at enabled, was the switch).
        operator.putAccountSetting(r -> r.name(software.amazon.awssdk.services.ecs.model.SettingName.SERVICE_LONG_ARN_FORMAT).value("disabled"));
        String shortArn = operator.createService(r -> r.cluster("demo-batch").serviceName("legacy-api").taskDefinition(taskDefinition).desiredCount(0))
                .service().serviceArn();
        assertEquals("arn:aws:ecs:" + REGION + ":123456789012:service/legacy-api", shortArn, "the emulator made a short ARN");
        ObjectNode event = (ObjectNode) JSON.readTree(sample("ecs-deployment-failed.json"));
        event.putArray("resources").add(shortArn);

        JsonNode result = invoke(handler(Map.of("DECKHAND_TICKET_SINKS", "github")), event.toString());

        assertEquals("TICKETED", result.get("decision").asText(), result.toString());
        assertTrue(account.api.githubIssues.get(0).path("title").asText().contains("demo-batch/legacy-api"), account.api.githubIssues.get(0).toString());
        assertTrue(account.calls.calls().stream().anyMatch(c -> c.contains("DescribeServices")), account.calls.calls().toString());
    }

    @Test
    void deploymentFailed_ofAShortArnInNoManagedCluster_isNotManaged() throws IOException {
        ObjectNode event = (ObjectNode) JSON.readTree(sample("ecs-deployment-failed.json"));
        event.putArray("resources").add("arn:aws:ecs:" + REGION + ":123456789012:service/elsewhere");

        JsonNode result = invoke(handler(), event.toString());

        assertEquals("NOT_MANAGED", result.get("decision").asText(), result.toString());
        assertEquals(0, account.api.requests.size());
    }

    /**
     * AWS's own Inspector2 Finding sample (Amazon ECR User Guide, "EventBridge events sent for enhanced
     * scanning in Amazon ECR") names its image {@code sha256:36c7...9d77e5EXAMPLE}: a digest is opaque to
     * Deckhand (compared with the tasks' digests and shown), so its form is checked, not its hex content.
     */
    @Test
    void inspector_imageHashInAwsDocumentedForm_isTicketedNotRefused() throws IOException {
        OpenTicketHandler handler = handler();
        ObjectNode event = (ObjectNode) JSON.readTree(sample("inspector-finding.json"));
        ((ObjectNode) event.path("detail").path("resources").get(0).path("details").path("awsEcrContainerImage"))
                .put("imageHash", "sha256:36c7b282abd0186e01419f2e58743e1bf635808231049bbc9d77e5EXAMPLE");

        JsonNode result = invoke(handler, event.toString());

        assertEquals("TICKETED", result.get("decision").asText(), result.toString());
        assertTrue(account.api.githubIssues.get(0).path("body").asText().contains("9d77e5EXAMPLE"), "the ticket names the image as AWS sent it");
    }

    // ---- point 1: a CLOSED finding for one image closes the ticket only when no image still carries it ----

    /** Seeds Inspector's finding of the sample's vulnerability on {@code digest} with {@code status}, as its scan would. */
    private void inspectorHas(ObjectNode event, String digest, String status) {
        JsonNode detail = event.path("detail");
        JsonNode image = detail.path("resources").get(0).path("details").path("awsEcrContainerImage");
        account.aws.control("inspector2/finding", Map.of("region", REGION, "account", "123456789012", "finding", Map.of(
                "findingArn", "arn:aws:inspector2:" + REGION + ":123456789012:finding/" + digest.substring(7, 39),
                "awsAccountId", "123456789012", "type", "PACKAGE_VULNERABILITY", "severity", detail.path("severity").asText(), "status", status,
                "packageVulnerabilityDetails", Map.of("vulnerabilityId", detail.path("packageVulnerabilityDetails").path("vulnerabilityId").asText(),
                        "source", "NVD"),
                "resources", List.of(Map.of("type", "AWS_ECR_CONTAINER_IMAGE", "id", "arn:aws:ecr:" + REGION + ":123456789012:repository/"
                        + image.path("repositoryName").asText() + "/" + digest, "details", Map.of("awsEcrContainerImage", Map.of(
                        "repositoryName", image.path("repositoryName").asText(), "imageHash", digest, "registry", "123456789012")))))));
    }

    @Test
    void inspector_closedForOneImage_keepsTheTicketOpenWhileAnotherImageCarriesIt() throws IOException {
        OpenTicketHandler handler = handler();
        ObjectNode event = (ObjectNode) JSON.readTree(sample("inspector-finding.json"));
        String first = event.path("detail").path("resources").get(0).path("details").path("awsEcrContainerImage").path("imageHash").asText();
        String newer = "sha256:" + "e".repeat(64);
        invoke(handler, event.toString());
        inspectorHas(event, first, "CLOSED");
        inspectorHas(event, newer, "ACTIVE");
        ((ObjectNode) event.path("detail")).put("status", "CLOSED");

        JsonNode kept = invoke(handler, event.toString());

        assertEquals("KEPT_OPEN", kept.get("decision").asText(), kept.toString());
        assertTrue(kept.get("reason").asText().contains(newer), kept.toString());
        assertEquals("open", account.api.githubIssues.get(0).path("state").asText());
        assertEquals(1, opsItems());
        assertEquals(0, requests("POST", "/jira/rest/api/2/issue/OPS-1/comment").size());
        assertTrue(account.calls.calls().stream().anyMatch(c -> c.contains("ListFindings")), account.calls.calls().toString());

        inspectorHas(event, newer, "CLOSED");
        ((ObjectNode) event.path("detail").path("resources").get(0).path("details").path("awsEcrContainerImage")).put("imageHash", newer);
        JsonNode closed = invoke(handler, event.toString());

        assertEquals("CLOSED", closed.get("sinks").get(1).get("action").asText(), "no image carries it any more");
        assertEquals("closed", account.api.githubIssues.get(0).path("state").asText());
    }

    // ---- point 1: a reopened finding reopens or re-creates the ticket in every sink ----

    @Test
    void inspector_reopenedFinding_reopensOrRecreatesTheTicketInEverySink() throws IOException {
        OpenTicketHandler handler = handler();
        ObjectNode event = (ObjectNode) JSON.readTree(sample("inspector-finding.json"));
        invoke(handler, event.toString());
        ((ObjectNode) event.path("detail")).put("status", "CLOSED");
        invoke(handler, event.toString());
        ((ObjectNode) event.path("detail")).put("status", "ACTIVE");

        JsonNode reopened = invoke(handler, event.toString());

        assertEquals(List.of("CREATED", "REOPENED", "REOPENED"), List.of(reopened.get("sinks").get(0).get("action").asText(),
                reopened.get("sinks").get(1).get("action").asText(), reopened.get("sinks").get(2).get("action").asText()));
        assertEquals("open", account.api.githubIssues.get(0).path("state").asText());
        assertFalse(labels(account.api.jiraIssues.get(0)).contains("deckhand-closed"));
        assertEquals(2, account.api.jiraComments.get("OPS-1").size(), "closed, then active again");
        assertEquals(2, account.ssm.describeOpsItems(r -> r.maxResults(50)).opsItemSummaries().size(), "the resolved one, and a new open one");
    }

    // Issue 17 point 12: the service or cluster an event names no longer exists.

    @Test
    void deploymentFailed_ofAServiceEcsNoLongerKeeps_isANoOpWithItsReason() throws IOException {
        OpenTicketHandler handler = handler();
        ObjectNode event = (ObjectNode) JSON.readTree(sample("ecs-deployment-failed.json"));
        event.putArray("resources").add("arn:aws:ecs:us-east-2:123456789012:service/demo-batch/retired-api");

        JsonNode result = invoke(handler, event.toString());

        assertEquals("GONE", result.get("decision").asText(), result.toString());
        assertTrue(result.get("reason").asText().contains("retired-api"), result.toString());
        assertEquals(0, opsItems());
        assertEquals(0, account.api.githubIssues.size());
        assertEquals(List.of(), account.api.chat);
    }

    @Test
    void placementFailure_inAClusterDeletedSinceTheEvent_isANoOpWithItsReason() throws IOException {
        OpenTicketHandler handler = handler();
        EcsClient operator = account.aws.client(EcsClient.builder(), REGION);
        operator.deleteService(r -> r.cluster("demo-batch").service("report-builder").force(true));
        operator.listContainerInstances(r -> r.cluster("demo-batch")).containerInstanceArns().forEach(arn ->
                operator.deregisterContainerInstance(r -> r.cluster("demo-batch").containerInstance(arn).force(true)));
        operator.deleteCluster(r -> r.cluster("demo-batch"));

        JsonNode result = invoke(handler, sample("ecs-service-placement-failure.json"));

        assertEquals("GONE", result.get("decision").asText(), result.toString());
        assertTrue(result.get("reason").asText().contains("demo-batch"), result.toString());
        assertEquals(0, opsItems());
        assertEquals(0, account.api.githubIssues.size());
    }
}
