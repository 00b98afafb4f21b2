package dev.deckhand.ticket.planner;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * One ticket as Deckhand means it, before any sink renders it.
 *
 * @param fingerprint the dedup key every sink searches before creating ({@code deckhand-fp-} and 20 hex digits
 *                    of the SHA-256 of {@link #key}): the same key always finds the same ticket
 * @param key         what makes the ticket one: {@code ecr-scan/<repository>@<digest>},
 *                    {@code inspector/<repository>/<vulnerability>}, {@code ecs-deployment/<cluster>/<service>/<id>}, ...
 * @param title       plain text; each sink escapes and caps it
 * @param severity    the worst severity involved (deployments: HIGH; placement: MEDIUM)
 * @param priority    OpsCenter's 1 (highest) to 5; raised by one when the image is deployed
 * @param category    OpsCenter category: Security, Availability
 * @param resources   ARNs of the affected resources (OpsCenter's /aws/resources)
 * @param close       true when the source says the problem is gone (Inspector CLOSED or SUPPRESSED, a group launching again)
 * @param group       null, or a second label ({@link #groupOf}) shared by the tickets one event may close together: the
 *                    launch failures of one Auto Scaling group or fleet, whatever their cause. Sinks store it beside the
 *                    fingerprint and find every open ticket carrying it with one search ({@link dev.deckhand.ticket.sink.TicketSink#openInGroup})
 */
public record Ticket(String fingerprint, String key, String title, Severity severity, int priority, String category,
                     TicketBody body, List<String> resources, Map<String, String> facts, boolean close, String group) {

    public Ticket {
        resources = List.copyOf(resources);
        facts = Map.copyOf(facts);
    }

    public Ticket(String fingerprint, String key, String title, Severity severity, int priority, String category,
                  TicketBody body, List<String> resources, Map<String, String> facts, boolean close) {
        this(fingerprint, key, title, severity, priority, category, body, resources, facts, close, null);
    }

    /** The group label of {@code groupKey} ({@code launch-failure/asg/<group>}): {@code deckhand-grp-} and 20 hex digits. */
    public static String groupOf(String groupKey) {
        return "deckhand-grp-" + fingerprintOf(groupKey).substring("deckhand-fp-".length());
    }

    /**
     * True for a close that only ends a ticket (a group launching again): the sinks keep the ticket's
     * evidence as it is and say why it closed, instead of replacing the body.
     */
    public boolean keepsBody() {
        return close && group != null;
    }

    /** The label/tag value sinks store and search. */
    public static String fingerprintOf(String key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return "deckhand-fp-" + HexFormat.of().formatHex(hash).substring(0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A short, stable hash of a rendered body: a sink that finds it unchanged changes nothing. */
    public static String bodyHash(String rendered) {
        return fingerprintOf(rendered).substring("deckhand-fp-".length(), "deckhand-fp-".length() + 12);
    }
}
