package dev.deckhand.ticket.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one HTTP client of open-ticket's REST sinks: the JDK's {@link HttpClient}, built once per
 * container. A rate limit (429, or GitHub's 403 with {@code retry-after} or
 * {@code x-ratelimit-remaining: 0}) waits for its {@code retry-after} or {@code x-ratelimit-reset}
 * (see {@link #rateLimitWait}), and a 503 for its Retry-After, up to the configured longest wait;
 * another 5xx or a lost connection backs off exponentially with jitter; after the last attempt,
 * or on another 4xx, {@link SinkUnavailableException}. A create ({@link #create}) is never sent
 * twice blindly.
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
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private final HttpClient client;
    private final int maxAttempts;
    private final Duration maxRetryAfter;
    private final Sleeper sleeper;
    private final Duration requestTimeout;
    private final AtomicInteger requests = new AtomicInteger();
    private final Clock clock = Clock.systemUTC();

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
     * returns a 2xx answer; anything else after the retries throws. For requests that are safe to
     * repeat (GET, PUT, PATCH, a search): every retryable failure is retried.
     */
    public Response send(String sink, String method, URI uri, Map<String, String> headers, String body) {
        return exchange(sink, method, uri, headers, body, true, null, null);
    }

    /**
     * A {@code POST} that creates something (an issue, a comment, a chat line), which repeating
     * could create twice. Retried as it is only when it surely did not take effect: a rate limit
     * (the request was refused) or a connection that never opened. After a 5xx or a timeout it may
     * have: {@code lookup} is asked first (after the backoff), and what it finds is the answer; when
     * it finds nothing the POST is sent again. With no {@code lookup} (or one that cannot be trusted
     * right after a write) the failure is thrown without a second POST: a failed invocation is
     * retried by Lambda a minute or more later, and its sinks look again before creating.
     */
    public JsonNode create(ObjectMapper json, String sink, URI uri, Map<String, String> headers, String body,
                           Supplier<JsonNode> lookup) {
        JsonNode[] found = new JsonNode[1];
        Response response = exchange(sink, "POST", uri, headers, body, false, lookup, found);
        return found[0] != null ? found[0] : parse(json, sink, "POST", uri, response.body());
    }

    /** A create whose answer is not JSON and that nothing can look up (a chat webhook): {@link #create} without a lookup. */
    public Response createUnchecked(String sink, URI uri, Map<String, String> headers, String body) {
        return exchange(sink, "POST", uri, headers, body, false, null, null);
    }

    private Response exchange(String sink, String method, URI uri, Map<String, String> headers, String body, boolean idempotent,
                              Supplier<JsonNode> lookup,
                              JsonNode[] found) {
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
            boolean mayHaveTakenEffect = false;
            try {
                requests.incrementAndGet();
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return new Response(status, response.body());
                }
                detail = snippet(response.body());
                wait = rateLimitWait(status, response.headers(), response.body(), attempt);
                if (wait != null) {
                    if (wait.compareTo(maxRetryAfter) > 0) {
                        throw new SinkUnavailableException(what + " was rate limited (" + status + "), to retry in " + wait.toSeconds()
                                + " s, longer than DECKHAND_HTTP_MAX_RETRY_AFTER; Lambda retries the event later", status, null);
                    }
                } else if (status >= 500) {
                    wait = status == 503 && response.headers().firstValue("Retry-After").isPresent()
                            ? retryAfter(response.headers().firstValue("Retry-After").get(), attempt) : backoff(attempt);
                    if (wait.compareTo(maxRetryAfter) > 0) {
                        throw new SinkUnavailableException(what + " answered 503 with Retry-After " + wait.toSeconds()
                                + " s, longer than DECKHAND_HTTP_MAX_RETRY_AFTER; Lambda retries the event later", status, null);
                    }
                    mayHaveTakenEffect = true;
                } else {
                    throw new SinkUnavailableException(what + " was refused with " + status + ": " + detail
                            + " (check the sink's configuration and token)", status, null);
                }
            } catch (IOException e) {
                cause = e;
                detail = e.getClass().getSimpleName();
                wait = backoff(attempt);
                // A connection that never opened carried no request; anything later may have.
                mayHaveTakenEffect = !(e instanceof ConnectException || e instanceof HttpConnectTimeoutException);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SinkUnavailableException(what + " was interrupted", status, e);
            }
            if (!idempotent && mayHaveTakenEffect && lookup == null) {
                throw new SinkUnavailableException(what + " failed (" + (status == 0 ? detail : status + " " + detail)
                        + ") after it may have taken effect; not sent again, so nothing is made twice; Lambda retries the event", status, cause);
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
                if (!idempotent && mayHaveTakenEffect) {
                    JsonNode made = lookup.get();
                    if (made != null) {
                        log.atWarn().addKeyValue("sink", sink).addKeyValue("status", status)
                                .log("{} failed ({}) but had taken effect: found, not sent again", what, status == 0 ? detail : status);
                        found[0] = made;
                        return new Response(status, null);
                    }
                }
            }
        }
        throw new SinkUnavailableException(what + " still failing after " + maxAttempts + " attempts (last: "
                + (status == 0 ? detail : status + " " + detail) + "); Lambda retries the event, then the failure queue keeps it", status, cause);
    }

    /**
     * How long a rate-limited answer asks to wait, or null when the answer is not a rate limit.
     * GitHub ("Rate limits for the REST API", "Exceeding the rate limit") answers 403 or 429:
     * {@code retry-after} seconds when present; else, with {@code x-ratelimit-remaining: 0}, until
     * {@code x-ratelimit-reset} (UTC epoch seconds); else (a secondary limit) at least a minute.
     * Jira and Slack answer 429 with Retry-After.
     */
    Duration rateLimitWait(int status, HttpHeaders headers, String body, int attempt) {
        String retryAfter = headers.firstValue("Retry-After").orElse(null);
        String remaining = headers.firstValue("x-ratelimit-remaining").orElse(null);
        boolean exhausted = "0".equals(remaining == null ? null : remaining.trim());
        boolean secondary = body != null && body.toLowerCase(Locale.ROOT).contains("rate limit");
        if (status != 429 && !(status == 403 && (retryAfter != null || exhausted || secondary))) {
            return null;
        }
        if (retryAfter != null) {
            return retryAfter(retryAfter, attempt);
        }
        String reset = headers.firstValue("x-ratelimit-reset").orElse(null);
        if (exhausted && reset != null) {
            try {
                Duration until = Duration.between(clock.instant(), Instant.ofEpochSecond(Long.parseLong(reset.trim())));
                return until.isNegative() ? Duration.ZERO : until.plusSeconds(1);
            } catch (NumberFormatException e) {
                // unreadable: wait as for a secondary limit
            }
        }
        return Duration.ofMinutes(1);
    }

    /** {@link #send}, with the answer read as JSON; an answer that is not JSON is the sink failing. */
    public JsonNode sendJson(ObjectMapper json, String sink, String method,
                                                           URI uri, Map<String, String> headers, String body) {
        return parse(json, sink, method, uri, send(sink, method, uri, headers, body).body());
    }

    private static JsonNode parse(ObjectMapper json, String sink, String method,
                                                                URI uri, String answer) {
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
                Duration until = Duration.between(Instant.now(),
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
        String line = WHITESPACE.matcher(body).replaceAll(" ").strip();
        return Secret.redact(line.length() > 200 ? line.substring(0, 200) + "..." : line);
    }
}
