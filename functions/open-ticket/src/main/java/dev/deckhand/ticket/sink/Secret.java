package dev.deckhand.ticket.sink;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A token or webhook URL read from an SSM SecureString. {@link #toString()} never shows it, and
 * every value ever created is known to {@link #redact}, which sinks apply to anything they put in
 * an exception or a log line (an error body that echoes a header, a URL). A URL is known by its
 * parts too: a webhook's path is its credential, and messages show a path without the host (a
 * request's name, a server's "Cannot POST /services/..."), or the host and path without the scheme.
 */
public final class Secret {

    private static final Set<String> KNOWN = ConcurrentHashMap.newKeySet();
    /** Parts shorter than this are not redacted on their own: they would blank out ordinary words and paths. */
    private static final int MIN_PART = 12;
    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*");
    private static final Pattern QUERY_SEPARATOR = Pattern.compile("[&#]");
    private static final Pattern TRAILING_SEPARATORS = Pattern.compile("[/?#]+$");

    private final String value;

    public Secret(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("a secret must not be empty");
        }
        this.value = value.strip();
        KNOWN.add(this.value);
        KNOWN.addAll(urlParts(this.value));
    }

    /**
     * The host and path, the path (with and without its query, and decoded), its last segment (a
     * Slack webhook's token) and each query value (a key or token some webhooks take there) of a
     * value that looks like a URL, read as text: a malformed URL has parts to hide as well.
     */
    static Set<String> urlParts(String value) {
        Set<String> parts = new LinkedHashSet<>();
        int scheme = value.indexOf("://");
        if (scheme < 1 || !SCHEME.matcher(value.substring(0, scheme)).matches()) {
            return parts;
        }
        String hostAndPath = value.substring(scheme + 3);
        int slash = hostAndPath.indexOf('/');
        if (slash < 0) {
            return parts;
        }
        String pathAndQuery = hostAndPath.substring(slash);
        int question = pathAndQuery.indexOf('?');
        String path = question < 0 ? pathAndQuery : pathAndQuery.substring(0, question);
        parts.add(hostAndPath);
        parts.add(pathAndQuery);
        parts.add(path);
        if (question >= 0) {
            for (String pair : QUERY_SEPARATOR.split(pathAndQuery.substring(question + 1))) {
                parts.add(pair.substring(pair.indexOf('=') + 1));
            }
        }
        try {
            parts.add(URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException malformedEscape) {
            // the raw path is known already
        }
        String trimmed = TRAILING_SEPARATORS.matcher(path).replaceAll("");
        parts.add(trimmed.substring(trimmed.lastIndexOf('/') + 1));
        parts.removeIf(part -> part.length() < MIN_PART);
        return parts;
    }

    /** The value, for an Authorization header or a request URI only. */
    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return "****";
    }

    /** {@code text} with every known secret replaced by ****, longest first (a URL before its path). */
    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String secret : KNOWN.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList()) {
            if (out.contains(secret)) {
                out = out.replace(secret, "****");
            }
        }
        return out;
    }
}
