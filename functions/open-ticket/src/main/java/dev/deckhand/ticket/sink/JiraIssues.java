package dev.deckhand.ticket.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.ticket.planner.Markup;
import dev.deckhand.ticket.planner.Severity;
import dev.deckhand.ticket.planner.Ticket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

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
    /** Jira reconciles at most 50 issues per search. */
    static final int MAX_RECONCILE = 50;

    private final HttpSender http;
    private final ObjectMapper json;
    private final URI site;
    private final String project;
    private final String issueType;
    private final String authorization;
    /** Ids of issues this container created lately, oldest first: sent as {@code reconcileIssues}. */
    private final ArrayDeque<Long> recentlyCreated = new ArrayDeque<>();

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

    /**
     * The issue with the fingerprint label. Jira's JQL search is eventually consistent (Atlassian,
     * "Search and reconcile"): an issue created seconds ago may be missing, unless its id is in
     * {@code reconcileIssues}. The ids this container created recently are sent there.
     */
    private JsonNode find(Ticket ticket) {
        ObjectNode search = json.createObjectNode();
        search.put("jql", "project = \"" + project + "\" AND labels = \"" + ticket.fingerprint() + "\" ORDER BY created DESC");
        search.putArray("fields").add("labels").add("status");
        search.put("maxResults", 5);
        synchronized (recentlyCreated) {
            if (!recentlyCreated.isEmpty()) {
                ArrayNode reconcile = search.putArray("reconcileIssues");
                recentlyCreated.forEach(reconcile::add);
            }
        }
        JsonNode answer = http.sendJson(json, name(), "POST", uri("/rest/api/3/search/jql"), headers(), search.toString());
        JsonNode issues = answer.path("issues");
        return issues.isArray() && issues.size() > 0 ? issues.get(0) : null;
    }

    private void created(JsonNode issue) {
        long id = issue.path("id").asLong(-1);
        if (id < 0) {
            return;
        }
        synchronized (recentlyCreated) {
            recentlyCreated.addLast(id);
            while (recentlyCreated.size() > MAX_RECONCILE) {
                recentlyCreated.removeFirst();
            }
        }
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
        return result(hasLabel(existing, hashLabel(ticket)) && !hasLabel(existing, CLOSED_LABEL) ? "UNCHANGED" : "WOULD_UPDATE", existing);
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
            ArrayNode labels = fields.putArray("labels");
            ownLabels(ticket).forEach(labels::add);
            // No lookup: the search may not show an issue made a moment ago, so an uncertain create is not repeated.
            JsonNode created = http.create(json, name(), uri("/rest/api/2/issue"), headers(), request.toString(), null);
            created(created);
            return result("CREATED", created);
        }
        String key = existing.path("key").asText();
        if (ticket.close()) {
            if (hasLabel(existing, CLOSED_LABEL)) {
                return result("UNCHANGED", existing);
            }
            comment(key, description(ticket), ticket);
            editLabels(key, existing, ticket, true, null);
            return result("COMMENTED", existing);
        }
        boolean reopened = hasLabel(existing, CLOSED_LABEL);
        if (hasLabel(existing, hashLabel(ticket)) && !reopened) {
            return result("UNCHANGED", existing);
        }
        if (reopened) {
            comment(key, Markup.JIRA.escape("Deckhand: the finding is active again.") + "\n\n" + description(ticket), ticket);
        }
        ObjectNode fields = json.createObjectNode();
        fields.put("summary", summary(ticket));
        fields.put("description", description(ticket));
        editLabels(key, existing, ticket, false, fields);
        return result(reopened ? "REOPENED" : "UPDATED", existing);
    }

    /**
     * One edit: {@code fields} (summary and description, or none) and the labels as operations
     * ({@code update.labels} add and remove; {@code fields.labels} would replace the list and drop
     * the labels people added). Deckhand removes only its own labels that no longer apply.
     */
    private void editLabels(String key, JsonNode existing, Ticket ticket, boolean closed, ObjectNode fields) {
        Set<String> wanted = new LinkedHashSet<>(ownLabels(ticket));
        if (closed) {
            wanted.add(CLOSED_LABEL);
        }
        ObjectNode request = json.createObjectNode();
        if (fields != null) {
            request.set("fields", fields);
        }
        ArrayNode ops = request.putObject("update").putArray("labels");
        for (JsonNode l : existing.path("fields").path("labels")) {
            String label = l.asText();
            if (!wanted.contains(label) && (label.startsWith("deckhand-body-") || label.equals(CLOSED_LABEL)
                    || Arrays.stream(Severity.values())
                            .anyMatch(v -> label.equals("deckhand-" + v.name().toLowerCase(Locale.ROOT))))) {
                ops.addObject().put("remove", label);
            }
        }
        for (String label : wanted) {
            if (!hasLabel(existing, label)) {
                ops.addObject().put("add", label);
            }
        }
        http.send(name(), "PUT", uri("/rest/api/2/issue/" + key), headers(), request.toString());
    }

    /**
     * Posts a comment that ends with a marker of this ticket and body, unless the issue has it
     * already: the issue's comments are read by key (consistent, unlike search) first, and again
     * after an uncertain failure. A retry after the label edit failed thus comments once.
     */
    private void comment(String key, String text, Ticket ticket) {
        String marker = "deckhand-comment " + ticket.fingerprint() + " " + Ticket.bodyHash(text);
        Supplier<JsonNode> posted = () -> {
            JsonNode page = http.sendJson(json, name(), "GET", uri("/rest/api/2/issue/" + key + "/comment?orderBy=-created&maxResults=50"),
                    headers(), null);
            for (JsonNode c : page.path("comments")) {
                if (c.path("body").asText().contains(marker)) {
                    return c;
                }
            }
            return null;
        };
        if (posted.get() != null) {
            return;
        }
        ObjectNode comment = json.createObjectNode();
        comment.put("body", text + "\n\n" + marker);
        http.create(json, name(), uri("/rest/api/2/issue/" + key + "/comment"), headers(), comment.toString(), posted);
    }

    private static List<String> ownLabels(Ticket ticket) {
        List<String> labels = new ArrayList<>(List.of(ticket.fingerprint(), "deckhand", hashLabel(ticket),
                "deckhand-" + ticket.severity().name().toLowerCase(Locale.ROOT)));
        if (ticket.group() != null) {
            labels.add(ticket.group());
        }
        return labels;
    }

    /**
     * One JQL search: the issues labelled {@code group} and not closed by Deckhand, by their
     * fingerprint labels. The search may lag a create by seconds (see {@link #find}); an issue it
     * misses stays open until the group's next launch.
     */
    @Override
    public List<String> openInGroup(String group) {
        ObjectNode search = json.createObjectNode();
        search.put("jql", "project = \"" + project + "\" AND labels = \"" + group + "\" AND labels != \"" + CLOSED_LABEL + "\" ORDER BY created DESC");
        search.putArray("fields").add("labels");
        search.put("maxResults", 50);
        JsonNode answer = http.sendJson(json, name(), "POST", uri("/rest/api/3/search/jql"), headers(), search.toString());
        List<String> fingerprints = new ArrayList<>();
        for (JsonNode issue : answer.path("issues")) {
            if (hasLabel(issue, CLOSED_LABEL)) {
                continue;
            }
            for (JsonNode l : issue.path("fields").path("labels")) {
                if (l.asText().startsWith("deckhand-fp-") && !fingerprints.contains(l.asText())) {
                    fingerprints.add(l.asText());
                }
            }
        }
        return fingerprints;
    }

    static String summary(Ticket ticket) {
        return Markup.cap(GitHubIssues.oneLine(ticket.title()), MAX_SUMMARY);
    }

    private SinkResult result(String action, JsonNode issue) {
        String key = issue == null ? null : issue.path("key").asText(null);
        return new SinkResult(name(), action, key, key == null ? null : site + "/browse/" + key);
    }

}
