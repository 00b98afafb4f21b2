package dev.deckhand.ticket.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.ticket.planner.Markup;
import dev.deckhand.ticket.planner.Ticket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * GitHub Issues over the REST API: {@code GET /repos/{repo}/issues?labels=<fingerprint>&state=all}
 * (the list endpoint, which is consistent, unlike search), then {@code POST /repos/{repo}/issues}
 * when none exists, or {@code PATCH /repos/{repo}/issues/{n}} when its body changed (reopening it
 * if the finding came back); a close sets {@code state: closed} in the same PATCH. Bodies are
 * Markdown, capped at GitHub's 65,536 characters; titles at 256.
 */
public final class GitHubIssues implements TicketSink {

    static final int MAX_BODY = 65_536;
    static final int MAX_TITLE = 256;

    private final HttpSender http;
    private final ObjectMapper json;
    private final String repository;
    private final URI api;
    private final Secret token;

    public GitHubIssues(HttpSender http, ObjectMapper json, String repository, URI api, Secret token) {
        this.http = http;
        this.json = json;
        this.repository = repository;
        this.api = api;
        this.token = token;
    }

    @Override
    public String name() {
        return "github";
    }

    private Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "application/vnd.github+json");
        headers.put("Authorization", "Bearer " + token.reveal());
        headers.put("X-GitHub-Api-Version", "2022-11-28");
        headers.put("User-Agent", "deckhand-open-ticket");
        return headers;
    }

    /** The body as GitHub receives it. */
    public static String body(Ticket ticket) {
        String marker = "\n\n<!-- " + ticket.fingerprint() + " -->";
        return Markup.MARKDOWN.render(ticket.body(), MAX_BODY - marker.length()) + marker;
    }

    static String title(Ticket ticket) {
        return Markup.cap(oneLine(ticket.title()), MAX_TITLE);
    }

    private JsonNode find(Ticket ticket) {
        URI uri = api.resolve(api.getPath() + "/repos/" + repository + "/issues?state=all&per_page=10&labels="
                + URLEncoder.encode(ticket.fingerprint(), StandardCharsets.UTF_8));
        JsonNode issues = http.sendJson(json, name(), "GET", uri, headers(), null);
        JsonNode best = null;
        for (JsonNode issue : issues) {
            if (issue.has("pull_request")) {
                continue;
            }
            if (best == null || "open".equals(issue.path("state").asText()) && !"open".equals(best.path("state").asText())) {
                best = issue;
            }
        }
        return best;
    }

    @Override
    public SinkResult preview(Ticket ticket) {
        JsonNode existing = find(ticket);
        return result(existing == null ? (ticket.close() ? "NOT_FOUND" : "WOULD_CREATE") : plan(ticket, existing) == null ? "UNCHANGED"
                : ticket.close() ? "WOULD_CLOSE" : "WOULD_UPDATE", existing);
    }

    @Override
    public SinkResult publish(Ticket ticket) {
        JsonNode existing = find(ticket);
        if (existing == null) {
            if (ticket.close()) {
                return result("NOT_FOUND", null);
            }
            ObjectNode request = json.createObjectNode();
            request.put("title", title(ticket));
            request.put("body", body(ticket));
            request.putArray("labels").add(ticket.fingerprint()).add("deckhand")
                    .add("severity:" + ticket.severity().name().toLowerCase(Locale.ROOT)).add("priority:" + ticket.priority());
            JsonNode created = http.sendJson(json, name(), "POST", api.resolve(api.getPath() + "/repos/" + repository + "/issues"), headers(),
                    request.toString());
            return result("CREATED", created);
        }
        ObjectNode patch = plan(ticket, existing);
        if (patch == null) {
            return result("UNCHANGED", existing);
        }
        JsonNode updated = http.sendJson(json, name(), "PATCH", api.resolve(api.getPath() + "/repos/" + repository + "/issues/"
                + existing.path("number").asLong()), headers(), patch.toString());
        return result(ticket.close() ? "CLOSED" : "UPDATED", updated);
    }

    /** The PATCH that brings {@code existing} to {@code ticket}, or null when it is there already. */
    private ObjectNode plan(Ticket ticket, JsonNode existing) {
        String state = existing.path("state").asText();
        String wantedState = ticket.close() ? "closed" : "open";
        String body = body(ticket);
        boolean sameBody = normalize(existing.path("body").asText("")).equals(normalize(body));
        if (ticket.close() && "closed".equals(state)) {
            return null;
        }
        if (sameBody && wantedState.equals(state)) {
            return null;
        }
        ObjectNode patch = json.createObjectNode();
        patch.put("body", body);
        patch.put("state", wantedState);
        if (ticket.close()) {
            patch.put("state_reason", "completed");
        } else {
            patch.put("title", title(ticket));
        }
        return patch;
    }

    private SinkResult result(String action, JsonNode issue) {
        return new SinkResult(name(), action, issue == null ? null : "#" + issue.path("number").asText(),
                issue == null ? null : issue.path("html_url").asText(null));
    }


    private static String normalize(String text) {
        return text.replace("\r\n", "\n").strip();
    }

    static String oneLine(String text) {
        return text.replaceAll("[\\p{Cntrl}\\u2028\\u2029]+", " ").strip();
    }
}
