package dev.deckhand.local.faults;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback HTTP proxy in front of the emulator that makes AWS misbehave, at configured rates:
 * throttling and server errors shaped as each protocol sends them (AWS JSON for ECS, SSM, SQS;
 * EC2's and Auto Scaling's XML), slow answers, connections dropped before the request reaches AWS,
 * and answers lost after AWS acted. Functions get its endpoint as {@code AWS_ENDPOINT_URL}; the
 * seeding and the local scheduler talk to the emulator directly.
 *
 * <pre>{@code
 * try (FaultProxy proxy = new FaultProxy(emulator.endpoint(), FaultRates.parse("throttle=0.3"), 42)) {
 *     env.put("AWS_ENDPOINT_URL", proxy.endpoint().toString());
 * }
 * }</pre>
 */
public final class FaultProxy implements AutoCloseable {

    public enum Fault { THROTTLE, ERROR, SLOW, DROP, LOST }

    static final Duration SLOW = Duration.ofMillis(1500);

    static {
        // The JDK's HttpServer writes headers and body separately; without TCP_NODELAY, Nagle's
        // algorithm and the client's delayed ACK add about 40 ms to every exchange on loopback.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }
    private static final Set<String> HOP_BY_HOP = Set.of("host", "content-length", "connection", "transfer-encoding", "expect",
            "keep-alive", "upgrade");

    private final URI upstream;
    private FaultRates rates;
    private Random random;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "fault-proxy");
        thread.setDaemon(true);
        return thread;
    });
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<Fault, Integer> injected = new EnumMap<>(Fault.class);
    private final Map<String, Integer> executed = new TreeMap<>();
    private final Map<String, Integer> answersLost = new TreeMap<>();
    private int requests;
    private long upstreamNanos;

    public FaultProxy(URI upstream, FaultRates rates, long seed) {
        this.upstream = upstream;
        this.rates = rates;
        this.random = new Random(seed);
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fault proxy", e);
        }
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * Starts over with other rates and seed, as a new proxy would, on the same endpoint: the tests'
     * replays keep one proxy, so the function JVMs they keep warm keep their endpoint too.
     */
    public synchronized FaultProxy reset(FaultRates rates, long seed) {
        this.rates = rates;
        this.random = new Random(seed);
        injected.clear();
        executed.clear();
        answersLost.clear();
        requests = 0;
        upstreamNanos = 0;
        return this;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Faults injected so far, by kind. */
    public synchronized Map<Fault, Integer> injected() {
        return Map.copyOf(injected);
    }

    /** Requests that reached the emulator, by operation ({@code ecs:UpdateContainerInstancesState}). */
    public synchronized Map<String, Integer> executed() {
        return Map.copyOf(executed);
    }

    /**
     * Requests AWS acted on whose answer was lost, by operation: the SDK sends each again, so it
     * reaches the emulator once more than the function asked.
     */
    public synchronized Map<String, Integer> answersLost() {
        return Map.copyOf(answersLost);
    }

    public synchronized int requests() {
        return requests;
    }

    /** Time spent waiting for the emulator (AWS's side of the calls), summed over all requests. */
    public synchronized Duration upstreamTime() {
        return Duration.ofNanos(upstreamNanos);
    }

    private synchronized Fault draw() {
        requests++;
        double roll = random.nextDouble();
        double edge = 0;
        for (Fault fault : Fault.values()) {
            edge += switch (fault) {
                case THROTTLE -> rates.throttle();
                case ERROR -> rates.error();
                case SLOW -> rates.slow();
                case DROP -> rates.drop();
                case LOST -> rates.lost();
            };
            if (roll < edge) {
                injected.merge(fault, 1, Integer::sum);
                return fault;
            }
        }
        return null;
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String operation = operation(exchange, body);
        Fault fault = draw();
        try {
            if (fault == Fault.DROP) {
                exchange.close();
                return;
            }
            if (fault == Fault.THROTTLE || fault == Fault.ERROR) {
                reject(exchange, fault, body);
                return;
            }
            if (fault == Fault.SLOW) {
                Thread.sleep(SLOW.toMillis());
            }
            long sent = System.nanoTime();
            HttpResponse<byte[]> answer = forward(exchange, body);
            synchronized (this) {
                executed.merge(operation, 1, Integer::sum);
                if (fault == Fault.LOST) {
                    answersLost.merge(operation, 1, Integer::sum);
                }
                upstreamNanos += System.nanoTime() - sent;
            }
            if (fault == Fault.LOST) {
                exchange.close();
                return;
            }
            answer.headers().map().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            send(exchange, answer.statusCode(), answer.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.close();
        }
    }

    private HttpResponse<byte[]> forward(HttpExchange exchange, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(upstream.resolve(exchange.getRequestURI().toString()))
                .timeout(Duration.ofSeconds(60))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
            }
        });
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The error each protocol family sends: AWS JSON (x-amz-json) or the XML of EC2 and the query protocols. */
    private void reject(HttpExchange exchange, Fault fault, byte[] body) throws IOException {
        boolean throttle = fault == Fault.THROTTLE;
        int status = throttle ? 400 : random.nextBoolean() ? 500 : 503;
        String contentType = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"));
        String requestId = UUID.randomUUID().toString();
        exchange.getResponseHeaders().add("x-amzn-RequestId", requestId);
        if (contentType.contains("x-amz-json")) {
            String type = throttle ? "ThrottlingException" : status == 500 ? "InternalFailure" : "ServiceUnavailable";
            exchange.getResponseHeaders().add("Content-Type", contentType);
            exchange.getResponseHeaders().add("x-amzn-query-error", type + ";" + (throttle ? "Sender" : "Receiver"));
            send(exchange, status, ("{\"__type\":\"" + type + "\",\"message\":\"" + (throttle ? "Rate exceeded" : "injected by the fault proxy")
                    + "\"}").getBytes(StandardCharsets.UTF_8));
            return;
        }
        boolean ec2 = authorizationService(exchange).equals("ec2");
        String code = throttle ? (ec2 ? "RequestLimitExceeded" : "Throttling") : status == 500 ? "InternalError" : "ServiceUnavailable";
        String xml = ec2
                ? "<Response><Errors><Error><Code>" + code + "</Code><Message>injected by the fault proxy</Message></Error></Errors><RequestID>"
                        + requestId + "</RequestID></Response>"
                : "<ErrorResponse><Error><Type>" + (throttle ? "Sender" : "Receiver") + "</Type><Code>" + code
                        + "</Code><Message>injected by the fault proxy</Message></Error><RequestId>" + requestId + "</RequestId></ErrorResponse>";
        exchange.getResponseHeaders().add("Content-Type", "text/xml");
        send(exchange, status, xml.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** {@code ecs:UpdateContainerInstancesState}: service from the SigV4 scope, action from X-Amz-Target or the query body. */
    static String operation(HttpExchange exchange, byte[] body) {
        String service = authorizationService(exchange);
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        if (target != null) {
            return service + ":" + target.substring(target.lastIndexOf('.') + 1);
        }
        for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
            if (pair.startsWith("Action=")) {
                return service + ":" + URLDecoder.decode(pair.substring("Action=".length()), StandardCharsets.UTF_8);
            }
        }
        return service + ":" + exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
    }

    private static String authorizationService(HttpExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null) {
            return "?";
        }
        int credential = authorization.indexOf("Credential=");
        if (credential < 0) {
            return "?";
        }
        List<String> scope = List.of(authorization.substring(credential + "Credential=".length()).split("[,/]"));
        return scope.size() > 3 ? scope.get(3) : "?";
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
