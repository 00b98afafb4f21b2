package dev.deckhand.ticket.sink;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one HTTP client of open-ticket's REST sinks: the JDK's {@link HttpClient}, built once per
 * container. A 429 waits for its Retry-After (seconds or an HTTP date; absent: backoff), up to
 * the configured longest wait; a 5xx or a lost connection backs off exponentially with jitter;
 * after the last attempt, or on another 4xx, {@link SinkUnavailableException}.
 *
 * <pre>{@code
 * HttpSender.Response r = http.send("github", HttpRequest.newBuilder(uri).GET(), Map.of(...));
 * }</pre>
 */
public final class HttpSender {

    /** Waits; tests pass one that records instead of sleeping. */
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    public record Response(int status, String body) {
    }

    private static final Logger log = LoggerFactory.getLogger(HttpSender.class);

    private final HttpClient client;
    private final int maxAttempts;
    private final Duration maxRetryAfter;
    private final Sleeper sleeper;
    private final Duration requestTimeout;
    private final AtomicInteger requests = new AtomicInteger();

    public HttpSender(int maxAttempts, Duration maxRetryAfter, Sleeper sleeper) {
        this(maxAttempts, maxRetryAfter, sleeper, Duration.ofSeconds(10));
    }

    /** With a shorter {@code requestTimeout}, for tests of a sink that never answers. */
    HttpSender(int maxAttempts, Duration maxRetryAfter, Sleeper sleeper, Duration requestTimeout) {
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
        this.maxAttempts = maxAttempts;
        this.maxRetryAfter = maxRetryAfter;
        this.sleeper = sleeper;
        this.requestTimeout = requestTimeout;
    }

    public static HttpSender standard(int maxAttempts, Duration maxRetryAfter) {
        return new HttpSender(maxAttempts, maxRetryAfter, duration -> Thread.sleep(duration.toMillis()));
    }

    /** HTTP requests sent since the last reset (retries included). */
    public int requests() {
        return requests.get();
    }

    public void reset() {
        requests.set(0);
    }

    /**
     * Sends {@code method} {@code uri} with {@code headers} and {@code body} (JSON, or null) and
     * returns a 2xx answer, or a 404 when {@code allow404}; anything else after the retries throws.
     */
    public Response send(String sink, String method, URI uri, Map<String, String> headers, String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(requestTimeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers.forEach(builder::header);
        if (body != null) {
            builder.header("Content-Type", "application/json; charset=utf-8");
        }
        HttpRequest request = builder.build();
        String what = sink + " " + method + " " + Secret.redact(uri.getPath());
        int status = 0;
        String detail = null;
        Exception cause = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            Duration wait;
            try {
                requests.incrementAndGet();
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return new Response(status, response.body());
                }
                detail = snippet(response.body());
                if (status == 429) {
                    wait = retryAfter(response.headers().firstValue("Retry-After").orElse(null), attempt);
                    if (wait.compareTo(maxRetryAfter) > 0) {
                        throw new SinkUnavailableException(what + " answered 429 with Retry-After " + wait.toSeconds()
                                + " s, longer than DECKHAND_HTTP_MAX_RETRY_AFTER; Lambda retries the event later", status, null);
                    }
                } else if (status >= 500) {
                    wait = backoff(attempt);
                } else {
                    throw new SinkUnavailableException(what + " was refused with " + status + ": " + detail
                            + " (check the sink's configuration and token)", status, null);
                }
            } catch (IOException e) {
                cause = e;
                detail = e.getClass().getSimpleName();
                wait = backoff(attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SinkUnavailableException(what + " was interrupted", status, e);
            }
            if (attempt < maxAttempts) {
                log.atWarn().addKeyValue("sink", sink).addKeyValue("status", status).addKeyValue("attempt", attempt)
                        .addKeyValue("waitMs", wait.toMillis()).log("{} failed ({}); retrying", what, status == 0 ? detail : status);
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SinkUnavailableException(what + " was interrupted", status, e);
                }
            }
        }
        throw new SinkUnavailableException(what + " still failing after " + maxAttempts + " attempts (last: "
                + (status == 0 ? detail : status + " " + detail) + "); Lambda retries the event, then the failure queue keeps it", status, cause);
    }

    /** {@link #send}, with the answer read as JSON; an answer that is not JSON is the sink failing. */
    public com.fasterxml.jackson.databind.JsonNode sendJson(com.fasterxml.jackson.databind.ObjectMapper json, String sink, String method,
                                                           URI uri, Map<String, String> headers, String body) {
        String answer = send(sink, method, uri, headers, body).body();
        try {
            return json.readTree(answer == null || answer.isEmpty() ? "{}" : answer);
        } catch (IOException e) {
            throw new SinkUnavailableException(sink + " answered " + method + " " + Secret.redact(uri.getPath())
                    + " with a body that is not JSON", 200, e);
        }
    }

    static Duration backoff(int attempt) {
        long base = 250L << Math.min(attempt - 1, 6);
        return Duration.ofMillis(base + ThreadLocalRandom.current().nextLong(base / 2 + 1));
    }

    /** Retry-After as delay-seconds or an HTTP date (RFC 9110); absent or unreadable: backoff. */
    static Duration retryAfter(String value, int attempt) {
        if (value == null || value.isBlank()) {
            return backoff(attempt);
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            try {
                Duration until = Duration.between(java.time.Instant.now(),
                        ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException ignored) {
                return backoff(attempt);
            }
        }
    }

    private static String snippet(String body) {
        if (body == null) {
            return "";
        }
        String line = body.replaceAll("\\s+", " ").strip();
        return Secret.redact(line.length() > 200 ? line.substring(0, 200) + "..." : line);
    }
}
