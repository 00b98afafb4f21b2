package dev.deckhand.ticket.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.ticket.planner.Markup;
import dev.deckhand.ticket.planner.Ticket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * GitHub Issues over the REST API: {@code GET /repos/{repo}/issues?labels=<fingerprint>&state=all}
 * (the list endpoint, which is consistent, unlike search), else {@code GET /search/issues} for the
 * fingerprint marker every body ends with (labels can be dropped, the body cannot); then
 * {@code POST /repos/{repo}/issues} when none exists, or {@code PATCH /repos/{repo}/issues/{n}}
 * when its body changed (reopening it if the finding came back, unless a person closed it as not
 * planned); a close sets {@code state: closed} in the same PATCH. A created or found issue without
 * its fingerprint label fails loudly (the token lacks push access). Bodies are Markdown, capped at
 * GitHub's 65,536 characters; titles at 256.
 */
public final class GitHubIssues implements TicketSink {

    /** Control characters and the Unicode line and paragraph separators: what would break a line. */
    private static final Pattern LINE_BREAKING = Pattern.compile("[\\p{Cntrl}\\u2028\\u2029]+");

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
        String marker = "\n\n<!-- " + marker(ticket) + " -->";
        return Markup.MARKDOWN.render(ticket.body(), MAX_BODY - marker.length()) + marker;
    }

    /** The hidden marker at the end of every body: searchable, and never dropped as labels can be. */
    static String marker(Ticket ticket) {
        return ticket.fingerprint();
    }

    static String title(Ticket ticket) {
        return Markup.cap(oneLine(ticket.title()), MAX_TITLE);
    }

    /**
     * The issue of {@code ticket}: by its fingerprint label (the list endpoint, consistent), else by
     * the marker in its body (the search API), which GitHub keeps even when it drops labels.
     */
    private JsonNode find(Ticket ticket) {
        URI uri = api.resolve(api.getPath() + "/repos/" + repository + "/issues?state=all&per_page=10&labels="
                + URLEncoder.encode(ticket.fingerprint(), StandardCharsets.UTF_8));
        JsonNode best = best(http.sendJson(json, name(), "GET", uri, headers(), null));
        if (best != null) {
            return best;
        }
        String query = "\"" + marker(ticket) + "\" repo:" + repository + " is:issue in:body";
        URI search = api.resolve(api.getPath() + "/search/issues?per_page=10&q=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
        return best(http.sendJson(json, name(), "GET", search, headers(), null).path("items"));
    }

    /** One list request: the open issues labelled {@code group}, by their fingerprint labels. */
    @Override
    public List<String> openInGroup(String group) {
        URI uri = api.resolve(api.getPath() + "/repos/" + repository + "/issues?state=open&per_page=50&labels="
                + URLEncoder.encode(group, StandardCharsets.UTF_8));
        List<String> fingerprints = new ArrayList<>();
        for (JsonNode issue : http.sendJson(json, name(), "GET", uri, headers(), null)) {
            if (issue.has("pull_request") || !"open".equals(issue.path("state").asText())) {
                continue;
            }
            for (JsonNode label : issue.path("labels")) {
                String name = label.path("name").asText(label.asText());
                if (name.startsWith("deckhand-fp-") && !fingerprints.contains(name)) {
                    fingerprints.add(name);
                }
            }
        }
        return fingerprints;
    }

    /** Of the issues listed (never a pull request), an open one first. */
    private static JsonNode best(JsonNode issues) {
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

    private static boolean labelled(JsonNode issue, Ticket ticket) {
        for (JsonNode label : issue.path("labels")) {
            if (ticket.fingerprint().equals(label.path("name").asText(label.asText()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * GitHub drops the labels of a token without push access silently (REST API, "Create an issue":
     * "Only users with push access can set labels for new issues. Labels are silently dropped
     * otherwise."). The issue is found by its body marker, so no second one is made, but Deckhand
     * says loudly that it is not labelled as it should be.
     */
    private SinkUnavailableException unlabelled(JsonNode issue) {
        return new SinkUnavailableException("github issue #" + issue.path("number").asText() + " in " + repository
                + " has no fingerprint label: GitHub drops labels silently when the token has no push access to the repository."
                + " Grant the token write access (fine-grained: Issues read and write), then add the label or let Deckhand's next event find it by its body marker",
                0, null);
    }

    @Override
    public SinkResult preview(Ticket ticket) {
        JsonNode existing = find(ticket);
        if (existing == null) {
            return result(ticket.close() ? "NOT_FOUND" : "WOULD_CREATE", null);
        }
        if (notPlanned(ticket, existing)) {
            return result("KEPT_CLOSED", existing);
        }
        return result(plan(ticket, existing) == null ? "UNCHANGED" : ticket.close() ? "WOULD_CLOSE" : "WOULD_UPDATE", existing);
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
            ArrayNode labels = request.putArray("labels").add(ticket.fingerprint()).add("deckhand")
                    .add("severity:" + ticket.severity().name().toLowerCase(Locale.ROOT)).add("priority:" + ticket.priority());
            if (ticket.group() != null) {
                labels.add(ticket.group());
            }
            JsonNode created = http.create(json, name(), api.resolve(api.getPath() + "/repos/" + repository + "/issues"), headers(),
                    request.toString(), () -> find(ticket));
            if (!labelled(created, ticket)) {
                throw unlabelled(created);
            }
            return result("CREATED", created);
        }
        if (!labelled(existing, ticket)) {
            throw unlabelled(existing);
        }
        if (notPlanned(ticket, existing)) {
            return result("KEPT_CLOSED", existing);
        }
        ObjectNode patch = plan(ticket, existing);
        if (patch == null) {
            return result("UNCHANGED", existing);
        }
        JsonNode updated = http.sendJson(json, name(), "PATCH", api.resolve(api.getPath() + "/repos/" + repository + "/issues/"
                + existing.path("number").asLong()), headers(), patch.toString());
        return result(ticket.close() ? "CLOSED" : "closed".equals(existing.path("state").asText()) ? "REOPENED" : "UPDATED", updated);
    }

    /**
     * A person closed the issue as not planned (GitHub REST, "Update an issue": {@code state_reason}
     * completed, not_planned or reopened): that decision stands, the finding coming again does not
     * reopen it.
     */
    private static boolean notPlanned(Ticket ticket, JsonNode existing) {
        return !ticket.close() && "closed".equals(existing.path("state").asText()) && "not_planned".equals(existing.path("state_reason").asText());
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
        if (!ticket.keepsBody()) {
            patch.put("body", body);
        }
        patch.put("state", wantedState);
        if (ticket.close()) {
            patch.put("state_reason", "completed");
        } else {
            patch.put("title", title(ticket));
            if ("closed".equals(state)) {
                patch.put("state_reason", "reopened");
            }
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
        return LINE_BREAKING.matcher(text).replaceAll(" ").strip();
    }
}
