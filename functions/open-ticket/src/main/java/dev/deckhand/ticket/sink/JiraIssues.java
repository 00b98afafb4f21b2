package dev.deckhand.ticket.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.ticket.planner.Markup;
import dev.deckhand.ticket.planner.Ticket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Jira Cloud over REST: {@code POST /rest/api/3/search/jql} for the fingerprint label, then
 * {@code POST /rest/api/2/issue} (wiki-markup description, capped at Jira's 32,767 characters;
 * summary at 255) or {@code PUT /rest/api/2/issue/{key}} when the body changed. A body-hash label
 * says whether it did, so an unchanged ticket costs one search. Closing needs a workflow
 * transition that differs per project, so a close is a comment ({@code POST .../comment}) and a
 * {@code deckhand-closed} label, once. Basic auth with the account's email and API token.
 */
public final class JiraIssues implements TicketSink {

    static final int MAX_DESCRIPTION = 32_767;
    static final int MAX_SUMMARY = 255;
    static final String CLOSED_LABEL = "deckhand-closed";

    private final HttpSender http;
    private final ObjectMapper json;
    private final URI site;
    private final String project;
    private final String issueType;
    private final String authorization;

    public JiraIssues(HttpSender http, ObjectMapper json, URI site, String project, String issueType, String email, Secret token) {
        this.http = http;
        this.json = json;
        this.site = site;
        this.project = project;
        this.issueType = issueType;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((email + ":" + token.reveal()).getBytes(StandardCharsets.UTF_8));
        new Secret(authorization.substring("Basic ".length()));
    }

    @Override
    public String name() {
        return "jira";
    }

    private Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "application/json");
        headers.put("Authorization", authorization);
        return headers;
    }

    /** The description as Jira receives it. */
    public static String description(Ticket ticket) {
        return Markup.JIRA.render(ticket.body(), MAX_DESCRIPTION);
    }

    static String hashLabel(Ticket ticket) {
        return "deckhand-body-" + Ticket.bodyHash(description(ticket));
    }

    private URI uri(String path) {
        return site.resolve(site.getPath() + path);
    }

    private JsonNode find(Ticket ticket) {
        ObjectNode search = json.createObjectNode();
        search.put("jql", "project = \"" + project + "\" AND labels = \"" + ticket.fingerprint() + "\" ORDER BY created DESC");
        search.putArray("fields").add("labels").add("status");
        search.put("maxResults", 5);
        JsonNode answer = http.sendJson(json, name(), "POST", uri("/rest/api/3/search/jql"), headers(), search.toString());
        JsonNode issues = answer.path("issues");
        return issues.isArray() && issues.size() > 0 ? issues.get(0) : null;
    }

    private static boolean hasLabel(JsonNode issue, String label) {
        for (JsonNode l : issue.path("fields").path("labels")) {
            if (label.equals(l.asText())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public SinkResult preview(Ticket ticket) {
        JsonNode existing = find(ticket);
        if (existing == null) {
            return result(ticket.close() ? "NOT_FOUND" : "WOULD_CREATE", null);
        }
        if (ticket.close()) {
            return result(hasLabel(existing, CLOSED_LABEL) ? "UNCHANGED" : "WOULD_COMMENT", existing);
        }
        return result(hasLabel(existing, hashLabel(ticket)) ? "UNCHANGED" : "WOULD_UPDATE", existing);
    }

    @Override
    public SinkResult publish(Ticket ticket) {
        JsonNode existing = find(ticket);
        if (existing == null) {
            if (ticket.close()) {
                return result("NOT_FOUND", null);
            }
            ObjectNode request = json.createObjectNode();
            ObjectNode fields = request.putObject("fields");
            fields.putObject("project").put("key", project);
            fields.putObject("issuetype").put("name", issueType);
            fields.put("summary", summary(ticket));
            fields.put("description", description(ticket));
            labels(fields.putArray("labels"), ticket, false);
            return result("CREATED", http.sendJson(json, name(), "POST", uri("/rest/api/2/issue"), headers(), request.toString()));
        }
        String key = existing.path("key").asText();
        if (ticket.close()) {
            if (hasLabel(existing, CLOSED_LABEL)) {
                return result("UNCHANGED", existing);
            }
            ObjectNode comment = json.createObjectNode();
            comment.put("body", description(ticket));
            http.send(name(), "POST", uri("/rest/api/2/issue/" + key + "/comment"), headers(), comment.toString());
            ObjectNode update = json.createObjectNode();
            update.putObject("update").putArray("labels").addObject().put("add", CLOSED_LABEL);
            http.send(name(), "PUT", uri("/rest/api/2/issue/" + key), headers(), update.toString());
            return result("COMMENTED", existing);
        }
        if (hasLabel(existing, hashLabel(ticket))) {
            return result("UNCHANGED", existing);
        }
        ObjectNode request = json.createObjectNode();
        ObjectNode fields = request.putObject("fields");
        fields.put("summary", summary(ticket));
        fields.put("description", description(ticket));
        labels(fields.putArray("labels"), ticket, false);
        http.send(name(), "PUT", uri("/rest/api/2/issue/" + key), headers(), request.toString());
        return result("UPDATED", existing);
    }

    private static void labels(ArrayNode labels, Ticket ticket, boolean closed) {
        labels.add(ticket.fingerprint()).add("deckhand").add(hashLabel(ticket))
                .add("deckhand-" + ticket.severity().name().toLowerCase(java.util.Locale.ROOT));
        if (closed) {
            labels.add(CLOSED_LABEL);
        }
    }

    static String summary(Ticket ticket) {
        return Markup.cap(GitHubIssues.oneLine(ticket.title()), MAX_SUMMARY);
    }

    private SinkResult result(String action, JsonNode issue) {
        String key = issue == null ? null : issue.path("key").asText(null);
        return new SinkResult(name(), action, key, key == null ? null : site + "/browse/" + key);
    }

}
