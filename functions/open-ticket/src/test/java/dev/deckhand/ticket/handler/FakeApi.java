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
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * GitHub, Jira and a chat webhook on one loopback server, keeping issues in memory, recording
 * every request (method, path and query, headers, body), and answering scripted failures first.
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

    record Failure(int status, String retryAfter) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    final List<Request> requests = new CopyOnWriteArrayList<>();
    final Deque<Failure> failures = new ArrayDeque<>();
    final List<ObjectNode> githubIssues = new ArrayList<>();
    final List<ObjectNode> jiraIssues = new ArrayList<>();
    final List<String> chat = new CopyOnWriteArrayList<>();

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
            failures.add(new Failure(status, retryAfter));
        }
    }

    private synchronized void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = exchange.getRequestURI().getRawPath() + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
        requests.add(new Request(exchange.getRequestMethod(), path, Map.copyOf(exchange.getRequestHeaders()), body));
        Failure failure = failures.poll();
        if (failure != null) {
            if (failure.retryAfter() != null) {
                exchange.getResponseHeaders().add("Retry-After", failure.retryAfter());
            }
            // A careless server echoing the Authorization header: it must never reach a log line.
            answer(exchange, failure.status(), "{\"message\":\"failed for " + exchange.getRequestHeaders().getFirst("Authorization") + "\"}");
            return;
        }
        JsonNode in = body.isEmpty() ? JSON.createObjectNode() : JSON.readTree(body);
        String method = exchange.getRequestMethod();
        if (path.startsWith("/github/repos/acme/platform/issues")) {
            github(exchange, method, path, in);
        } else if (path.startsWith("/jira/rest/")) {
            jira(exchange, method, path, in);
        } else if (path.startsWith("/chat/")) {
            chat.add(in.path("text").asText());
            answer(exchange, 200, "ok");
        } else {
            answer(exchange, 404, "{}");
        }
    }

    private void github(HttpExchange exchange, String method, String path, JsonNode in) throws IOException {
        if (method.equals("GET")) {
            String label = path.substring(path.indexOf("labels=") + "labels=".length());
            ArrayNode out = JSON.createArrayNode();
            for (ObjectNode issue : githubIssues) {
                for (JsonNode l : issue.path("labels")) {
                    if (l.path("name").asText().equals(label)) {
                        out.add(issue);
                    }
                }
            }
            answer(exchange, 200, out.toString());
        } else if (method.equals("POST")) {
            ObjectNode issue = JSON.createObjectNode();
            issue.put("number", githubIssues.size() + 1).put("state", "open").put("title", in.path("title").asText())
                    .put("body", in.path("body").asText()).put("html_url", "https://github.com/acme/platform/issues/" + (githubIssues.size() + 1));
            ArrayNode labels = issue.putArray("labels");
            in.path("labels").forEach(l -> labels.addObject().put("name", l.asText()));
            githubIssues.add(issue);
            answer(exchange, 201, issue.toString());
        } else {
            int number = Integer.parseInt(path.substring(path.lastIndexOf('/') + 1));
            ObjectNode issue = githubIssues.get(number - 1);
            in.fields().forEachRemaining(e -> issue.set(e.getKey(), e.getValue()));
            answer(exchange, 200, issue.toString());
        }
    }

    private void jira(HttpExchange exchange, String method, String path, JsonNode in) throws IOException {
        if (path.equals("/jira/rest/api/3/search/jql")) {
            String jql = in.path("jql").asText();
            ArrayNode out = JSON.createArrayNode();
            for (ObjectNode issue : jiraIssues) {
                for (JsonNode l : issue.path("fields").path("labels")) {
                    if (jql.contains("labels = \"" + l.asText() + "\"")) {
                        out.add(issue);
                    }
                }
            }
            answer(exchange, 200, JSON.createObjectNode().set("issues", out).toString());
        } else if (path.equals("/jira/rest/api/2/issue") && method.equals("POST")) {
            ObjectNode issue = JSON.createObjectNode();
            issue.put("id", Integer.toString(10000 + jiraIssues.size())).put("key", "OPS-" + (jiraIssues.size() + 1));
            issue.set("fields", in.path("fields").deepCopy());
            jiraIssues.add(issue);
            answer(exchange, 201, issue.toString());
        } else if (path.endsWith("/comment")) {
            answer(exchange, 201, "{\"id\":\"1\"}");
        } else if (method.equals("PUT")) {
            String key = path.substring(path.lastIndexOf('/') + 1);
            ObjectNode issue = jiraIssues.stream().filter(i -> i.path("key").asText().equals(key)).findFirst().orElseThrow();
            if (in.has("fields")) {
                in.path("fields").fields().forEachRemaining(e -> ((ObjectNode) issue.path("fields")).set(e.getKey(), e.getValue()));
            }
            in.path("update").path("labels").forEach(op -> ((ArrayNode) issue.path("fields").path("labels")).add(op.path("add").asText()));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        } else {
            answer(exchange, 404, "{}");
        }
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
