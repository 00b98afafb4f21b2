package dev.deckhand.ticket.planner;

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
 * @param close       true when the source says the problem is gone (Inspector CLOSED or SUPPRESSED)
 */
public record Ticket(String fingerprint, String key, String title, Severity severity, int priority, String category,
                     Doc body, List<String> resources, Map<String, String> facts, boolean close) {

    public Ticket {
        resources = List.copyOf(resources);
        facts = Map.copyOf(facts);
    }

    /** The label/tag value sinks store and search. */
    public static String fingerprintOf(String key) {
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "deckhand-fp-" + java.util.HexFormat.of().formatHex(hash).substring(0, 20);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A short, stable hash of a rendered body: a sink that finds it unchanged changes nothing. */
    public static String bodyHash(String rendered) {
        return fingerprintOf(rendered).substring("deckhand-fp-".length(), "deckhand-fp-".length() + 12);
    }
}
