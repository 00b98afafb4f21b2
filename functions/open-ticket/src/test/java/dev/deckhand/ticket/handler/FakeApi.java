package dev.deckhand.ticket.handler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * GitHub, Jira and a chat webhook on one loopback server, keeping issues in memory, recording
 * every request (method, path and query, headers, body), and answering scripted failures first.
 * Where the real services document a behaviour that matters to Deckhand, the fake has it
 * ({@code FakeApiFidelityTest} pins each to its page):
 * <ul>
 * <li>GitHub drops the labels of a create or update from a token without push access
 * ({@link #githubPushAccess}), silently, as "Create an issue" documents.</li>
 * <li>A failure can come after the request took effect ({@link #failAfter}): an issue, comment or
 * chat line is made and the answer is a 5xx, as a proxy timeout or a lost answer would leave it;
 * or it is made and answered late ({@link #answerLateNth}), after the client's own timeout.</li>
 * <li>Jira's JQL search is eventually consistent ({@link #jiraSearchLag}): a new issue is not found
 * until it is indexed ({@link #indexJira}) unless its id is in the request's {@code reconcileIssues}
 * (Atlassian, "Search and reconcile").</li>
 * <li>Jira {@code fields.labels} on an edit replaces the list; {@code update.labels} adds and removes.</li>
 * </ul>
 */
final class FakeApi implements AutoCloseable {

    record Request(String method, String path, Map<String, List<String>> headers, String body) {
        String header(String name) {
            for (var e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }
    }

    /**
     * A scripted answer; {@code after}: the request is carried out first, then this is the answer.
     * {@code late}: carried out, then answered as usual only after that long (null: at once).
     */
    record Failure(int status, Map<String, String> headers, String body, boolean after, Duration late) {
        Failure(int status, Map<String, String> headers, String body, boolean after) {
            this(status, headers, body, after, null);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A queued entry that lets its request through as usual. */
    private static final Failure PASS = new Failure(0, Map.of(), null, false);
    private final HttpServer server;
    final List<Request> requests = new CopyOnWriteArrayList<>();
    final Deque<Failure> failures = new ArrayDeque<>();
    final List<ObjectNode> githubIssues = new ArrayList<>();
    final List<ObjectNode> jiraIssues = new ArrayList<>();
    final Map<String, List<String>> jiraComments = new LinkedHashMap<>();
    final List<String> chat = new CopyOnWriteArrayList<>();
    /** Whether the GitHub token has push access; without it labels are silently dropped. */
    volatile boolean githubPushAccess = true;
    /** Whether Jira's search lags behind writes (new issues unindexed until {@link #indexJira}). */
    volatile boolean jiraSearchLag = false;
    private final Set<String> jiraUnindexed = new HashSet<>();
    private Failure pending;
    private final List<String[]> targeted = new ArrayList<>();
    /** Sends late answers; the server's thread and the lock stay free meanwhile, so a retry or a lookup is served. */
    private final ScheduledExecutorService lateAnswers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fake-api-late-answers");
        t.setDaemon(true);
        return t;
    });

    FakeApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    synchronized void fail(int status, String retryAfter, int times) {
        for (int i = 0; i < times; i++) {
            failures.add(new Failure(status, retryAfter == null ? Map.of() : Map.of("Retry-After", retryAfter), null, false));
        }
    }

    /** The next request answers {@code status} with {@code headers} and {@code body} (null: a default). */
    synchronized void failWith(int status, Map<String, String> headers, String body) {
        failures.add(new Failure(status, headers, body, false));
    }

    /** The next request is carried out, then answered {@code status}: the client cannot tell it took effect. */
    synchronized void failAfter(int status) {
        failures.add(new Failure(status, Map.of(), null, true));
    }

    /** The {@code n}th request from now (1 = the next) is carried out, then answered {@code status}. */
    synchronized void failAfterNth(int n, int status) {
        for (int i = 1; i < n; i++) {
            failures.add(PASS);
        }
        failures.add(new Failure(status, Map.of(), null, true));
    }

    /**
     * The {@code n}th request from now (1 = the next) is carried out at once and answered as usual,
     * but only after {@code late}: a client whose timeout is shorter never sees the answer.
     */
    synchronized void answerLateNth(int n, Duration late) {
        for (int i = 1; i < n; i++) {
            failures.add(PASS);
        }
        failures.add(new Failure(0, Map.of(), null, true, late));
    }

    /** The next {@code times} requests of {@code method} on a path starting {@code prefix} are refused with {@code status}. */
    synchronized void failMatching(String method, String prefix, int status, int times) {
        for (int i = 0; i < times; i++) {
            targeted.add(new String[] {method, prefix, Integer.toString(status)});
        }
    }

    /** Jira's index catches up with every write. */
    synchronized void indexJira() {
        jiraUnindexed.clear();
    }

    private synchronized void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = exchange.getRequestURI().getRawPath() + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
        requests.add(new Request(exchange.getRequestMethod(), path, Map.copyOf(exchange.getRequestHeaders()), body));
        Failure failure = null;
        for (String[] t : targeted) {
            if (t[0].equals(exchange.getRequestMethod()) && path.startsWith(t[1])) {
                targeted.remove(t);
                failure = new Failure(Integer.parseInt(t[2]), Map.of(), null, false);
                break;
            }
        }
        if (failure == null) {
            failure = failures.poll();
        }
        if (failure == PASS) {
            failure = null;
        }
        if (failure != null && !failure.after()) {
            failure.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            // A careless server echoing the Authorization header: it must never reach a log line.
            answer(exchange, failure.status(), failure.body() != null ? failure.body()
                    : "{\"message\":\"failed for " + exchange.getRequestHeaders().getFirst("Authorization") + "\"}");
            return;
        }
        pending = failure;
        JsonNode in = body.isEmpty() ? JSON.createObjectNode() : JSON.readTree(body);
        String method = exchange.getRequestMethod();
        if (path.startsWith("/github/repos/acme/platform/issues")) {
            github(exchange, method, path, in);
        } else if (path.startsWith("/github/search/issues")) {
            githubSearch(exchange, path);
        } else if (path.startsWith("/jira/rest/")) {
            jira(exchange, method, path, in);
        } else if (path.startsWith("/chat/")) {
            chat.add(in.path("text").asText());
            answer(exchange, 200, "ok");
        } else {
            answer(exchange, 404, "{}");
        }
    }

    private static String query(String path, String name) {
        int q = path.indexOf('?');
        if (q < 0) {
            return null;
        }
        for (String pair : path.substring(q + 1).split("&")) {
            if (pair.startsWith(name + "=")) {
                return URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private void github(HttpExchange exchange, String method, String path, JsonNode in) throws IOException {
        if (method.equals("GET")) {
            String label = query(path, "labels");
            // "List repository issues": state open (the default), closed or all.
            String state = query(path, "state") == null ? "open" : query(path, "state");
            ArrayNode out = JSON.createArrayNode();
            for (ObjectNode issue : githubIssues) {
                if (!state.equals("all") && !state.equals(issue.path("state").asText())) {
                    continue;
                }
                for (JsonNode l : issue.path("labels")) {
                    if (l.path("name").asText().equals(label)) {
                        out.add(issue);
                    }
                }
            }
            answer(exchange, 200, out.toString());
        } else if (method.equals("POST")) {
            ObjectNode issue = JSON.createObjectNode();
            issue.put("number", githubIssues.size() + 1).put("state", "open").putNull("state_reason").put("title", in.path("title").asText())
                    .put("body", in.path("body").asText()).put("html_url", "https://github.com/acme/platform/issues/" + (githubIssues.size() + 1));
            ArrayNode labels = issue.putArray("labels");
            if (githubPushAccess) {
                in.path("labels").forEach(l -> labels.addObject().put("name", l.asText()));
            }
            githubIssues.add(issue);
            answer(exchange, 201, issue.toString());
        } else {
            int number = Integer.parseInt(path.substring(path.lastIndexOf('/') + 1));
            ObjectNode issue = githubIssues.get(number - 1);
            in.fields().forEachRemaining(e -> {
                if (e.getKey().equals("labels")) {
                    if (githubPushAccess) {
                        ArrayNode labels = issue.putArray("labels");
                        e.getValue().forEach(l -> labels.addObject().put("name", l.asText()));
                    }
                } else {
                    issue.set(e.getKey(), e.getValue());
                }
            });
            if (in.has("state") && !in.has("state_reason")) {
                issue.put("state_reason", in.path("state").asText().equals("closed") ? "completed" : "reopened");
            }
            answer(exchange, 200, issue.toString());
        }
    }

    /** {@code GET /search/issues?q=}: every word of q (quotes dropped) but qualifiers is in the title or body. */
    private void githubSearch(HttpExchange exchange, String path) throws IOException {
        String q = query(path, "q");
        List<String> terms = new ArrayList<>();
        for (String word : q.replace("\"", " ").split("\\s+")) {
            if (!word.isBlank() && !word.contains(":")) {
                terms.add(word);
            }
        }
        ArrayNode items = JSON.createArrayNode();
        for (ObjectNode issue : githubIssues) {
            String text = issue.path("title").asText() + "\n" + issue.path("body").asText();
            if (terms.stream().allMatch(text::contains)) {
                items.add(issue);
            }
        }
        ObjectNode out = JSON.createObjectNode().put("total_count", items.size()).put("incomplete_results", false);
        out.set("items", items);
        answer(exchange, 200, out.toString());
    }

    private ObjectNode jiraIssue(String path) {
        String rest = path.substring("/jira/rest/api/2/issue/".length());
        String key = rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
        return jiraIssues.stream().filter(i -> i.path("key").asText().equals(key)).findFirst().orElse(null);
    }

    private void jira(HttpExchange exchange, String method, String path, JsonNode in) throws IOException {
        if (path.equals("/jira/rest/api/3/search/jql")) {
            String jql = in.path("jql").asText();
            Set<String> reconcile = new HashSet<>();
            in.path("reconcileIssues").forEach(id -> reconcile.add(id.asText()));
            ArrayNode out = JSON.createArrayNode();
            for (ObjectNode issue : jiraIssues) {
                if (jiraUnindexed.contains(issue.path("id").asText()) && !reconcile.contains(issue.path("id").asText())) {
                    continue;
                }
                for (JsonNode l : issue.path("fields").path("labels")) {
                    if (jql.contains("labels = \"" + l.asText() + "\"")) {
                        out.add(issue);
                        break;
                    }
                }
            }
            answer(exchange, 200, JSON.createObjectNode().set("issues", out).toString());
        } else if (path.equals("/jira/rest/api/2/issue") && method.equals("POST")) {
            ObjectNode issue = JSON.createObjectNode();
            issue.put("id", Integer.toString(10000 + jiraIssues.size())).put("key", "OPS-" + (jiraIssues.size() + 1));
            issue.set("fields", in.path("fields").deepCopy());
            jiraIssues.add(issue);
            if (jiraSearchLag) {
                jiraUnindexed.add(issue.path("id").asText());
            }
            answer(exchange, 201, JSON.createObjectNode().put("id", issue.path("id").asText()).put("key", issue.path("key").asText())
                    .put("self", "https://acme.atlassian.net/rest/api/2/issue/" + issue.path("id").asText()).toString());
        } else if (path.endsWith("/comment") || path.contains("/comment?")) {
            ObjectNode issue = jiraIssue(path);
            if (issue == null) {
                answer(exchange, 404, "{\"errorMessages\":[\"Issue does not exist\"]}");
                return;
            }
            List<String> comments = jiraComments.computeIfAbsent(issue.path("key").asText(), k -> new ArrayList<>());
            if (method.equals("POST")) {
                comments.add(in.path("body").asText());
                answer(exchange, 201, JSON.createObjectNode().put("id", Integer.toString(comments.size())).toString());
            } else {
                ArrayNode list = JSON.createArrayNode();
                for (int i = 0; i < comments.size(); i++) {
                    list.addObject().put("id", Integer.toString(i + 1)).put("body", comments.get(i));
                }
                ObjectNode page = JSON.createObjectNode().put("startAt", 0).put("maxResults", 100).put("total", comments.size());
                page.set("comments", list);
                answer(exchange, 200, page.toString());
            }
        } else if (method.equals("PUT")) {
            ObjectNode issue = jiraIssue(path);
            ObjectNode fields = (ObjectNode) issue.path("fields");
            if (in.has("fields")) {
                in.path("fields").fields().forEachRemaining(e -> fields.set(e.getKey(), e.getValue().deepCopy()));
            }
            for (JsonNode op : in.path("update").path("labels")) {
                ArrayNode labels = fields.has("labels") ? (ArrayNode) fields.get("labels") : fields.putArray("labels");
                if (op.has("add") && !contains(labels, op.path("add").asText())) {
                    labels.add(op.path("add").asText());
                }
                if (op.has("remove")) {
                    for (int i = labels.size() - 1; i >= 0; i--) {
                        if (labels.get(i).asText().equals(op.path("remove").asText())) {
                            labels.remove(i);
                        }
                    }
                }
            }
            answer(exchange, 204, null);
        } else {
            answer(exchange, 404, "{}");
        }
    }

    private static boolean contains(ArrayNode labels, String label) {
        for (JsonNode l : labels) {
            if (l.asText().equals(label)) {
                return true;
            }
        }
        return false;
    }

    private void answer(HttpExchange exchange, int status, String body) throws IOException {
        Failure after = pending;
        pending = null;
        if (after != null && after.late() != null) {
            int madeStatus = status;
            String madeBody = body;
            lateAnswers.schedule(() -> {
                try {
                    write(exchange, madeStatus, madeBody);
                } catch (IOException e) {
                    // the client gave up and closed the connection: the answer is lost, as intended
                }
                return null;
            }, after.late().toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        if (after != null) {
            status = after.status();
            body = "{\"message\":\"upstream timed out\"}";
        }
        write(exchange, status, body);
    }

    private static void write(HttpExchange exchange, int status, String body) throws IOException {
        if (body == null) {
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
            return;
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        lateAnswers.shutdownNow();
        server.stop(0);
    }
}
