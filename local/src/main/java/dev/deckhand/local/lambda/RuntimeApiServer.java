package dev.deckhand.local.lambda;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The Lambda Runtime API (2018-06-01), served on loopback for one function process: the runtime
 * client polls {@code /runtime/invocation/next}, then posts a response or an error. Also records
 * when the runtime first asked for work (its init is done then), for cold-start timing. With
 * SnapStart ({@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start}) the runtime client runs the
 * functions' {@code beforeCheckpoint} hooks, then asks for {@code /runtime/restore/next}: this
 * server answers at once, as if the snapshot were taken and restored on the spot.
 */
final class RuntimeApiServer implements AutoCloseable {

    private static final String PREFIX = "/2018-06-01/runtime/";

    static {
        // The JDK's HttpServer writes headers and body separately; without TCP_NODELAY, Nagle's
        // algorithm and the client's delayed ACK add about 40 ms to every exchange on loopback.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    record Request(String id, byte[] event, long deadlineMs) {
    }

    record Answer(boolean error, String body, String errorType) {
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "runtime-api");
        thread.setDaemon(true);
        return thread;
    });
    private final BlockingQueue<Request> pending = new LinkedBlockingQueue<>();
    private final Map<String, CompletableFuture<Answer>> answers = new ConcurrentHashMap<>();
    private final CompletableFuture<Instant> firstPoll = new CompletableFuture<>();
    private final CompletableFuture<String> initError = new CompletableFuture<>();
    private final CompletableFuture<Instant> checkpoint = new CompletableFuture<>();
    private final String functionArn;

    RuntimeApiServer(String functionArn) throws IOException {
        this.functionArn = functionArn;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(threads);
        server.createContext(PREFIX, this::handle);
        server.start();
    }

    /** {@code host:port}, the value of AWS_LAMBDA_RUNTIME_API. */
    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    CompletableFuture<Instant> firstPoll() {
        return firstPoll;
    }

    /** When a SnapStart runtime asked to be restored: its init and beforeCheckpoint hooks are done then. */
    CompletableFuture<Instant> checkpoint() {
        return checkpoint;
    }

    CompletableFuture<String> initError() {
        return initError;
    }

    CompletableFuture<Answer> submit(byte[] event, long deadlineMs) {
        String id = UUID.randomUUID().toString();
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        answers.put(id, answer);
        pending.add(new Request(id, event, deadlineMs));
        return answer;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath().substring(PREFIX.length());
        byte[] body = exchange.getRequestBody().readAllBytes();
        try {
            if (path.equals("invocation/next") && exchange.getRequestMethod().equals("GET")) {
                firstPoll.complete(Instant.now());
                Request request = pending.take();
                exchange.getResponseHeaders().add("Lambda-Runtime-Aws-Request-Id", request.id());
                exchange.getResponseHeaders().add("Lambda-Runtime-Deadline-Ms", Long.toString(request.deadlineMs()));
                exchange.getResponseHeaders().add("Lambda-Runtime-Invoked-Function-Arn", functionArn);
                exchange.getResponseHeaders().add("Lambda-Runtime-Trace-Id",
                        "Root=1-" + Long.toHexString(System.currentTimeMillis() / 1000) + "-" + request.id().replace("-", "").substring(0, 24));
                reply(exchange, 200, request.event());
            } else if (path.startsWith("invocation/") && path.endsWith("/response")) {
                complete(path, new Answer(false, new String(body, StandardCharsets.UTF_8), null));
                reply(exchange, 202, "{\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8));
            } else if (path.startsWith("invocation/") && path.endsWith("/error")) {
                complete(path, new Answer(true, new String(body, StandardCharsets.UTF_8),
                        exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type")));
                reply(exchange, 202, "{\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8));
            } else if (path.equals("restore/next") && exchange.getRequestMethod().equals("GET")) {
                checkpoint.complete(Instant.now());
                reply(exchange, 200, new byte[0]);
            } else if (path.equals("init/error")) {
                initError.complete(new String(body, StandardCharsets.UTF_8));
                reply(exchange, 202, "{\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8));
            } else {
                reply(exchange, 404, ("{\"errorMessage\":\"unknown path " + path + "\"}").getBytes(StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.close();
        }
    }

    private void complete(String path, Answer answer) {
        String id = path.substring("invocation/".length(), path.lastIndexOf('/'));
        CompletableFuture<Answer> future = answers.remove(id);
        if (future != null) {
            future.complete(answer);
        }
    }

    private static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
