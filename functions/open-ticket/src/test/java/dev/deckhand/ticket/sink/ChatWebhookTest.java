package dev.deckhand.ticket.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.deckhand.core.config.ConfigException;
import dev.deckhand.core.config.Env;
import dev.deckhand.ticket.TicketConfig;
import dev.deckhand.ticket.planner.ChatMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Slack-compatible webhook's URL is its credential, and the path alone is enough to post (Slack,
 * "Sending messages using incoming webhooks", https://api.slack.com/messaging/webhooks: the URL
 * contains a secret; keep it secret). Whatever way chat fails, neither a log line nor the
 * exception that fails the invocation (its message, its causes' messages: Lambda logs the whole
 * trace and the failure queue keeps the error) may carry the path, or the host with the path.
 */
class ChatWebhookTest {

    private static final String PATH = "/services/T0DECKHND/B0CHATHK/x7SECRETwebhookTOKENz9";
    private static final String TOKEN = "x7SECRETwebhookTOKENz9";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Env ENV = new Env(Map.of("AWS_REGION", "us-east-2"));
    /** The tests' allowance: http to the loopback webhook below. */
    private static final Predicate<URI> TESTS = TicketConfig.from(ENV, true)::sinkUrlAllowed;
    private static final Predicate<URI> DEPLOYED = TicketConfig.from(ENV)::sinkUrlAllowed;

    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
    private final List<Duration> slept = new ArrayList<>();
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private PrintStream original;
    private HttpServer server;

    @BeforeEach
    void captureLogs() {
        original = System.out;
        System.setOut(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                original.write(b);
                synchronized (logs) {
                    logs.write(b);
                }
            }
        }, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() throws IOException {
        System.setOut(original);
        if (server != null) {
            server.stop(0);
        }
        for (Socket socket : held) {
            socket.close();
        }
    }

    /** A loopback answer can take seconds on a loaded machine: only the silent sink's test waits briefly. */
    private HttpSender http(int attempts) {
        return http(attempts, Duration.ofSeconds(5));
    }

    private HttpSender http(int attempts, Duration requestTimeout) {
        return new HttpSender(attempts, Duration.ofSeconds(20), slept::add, requestTimeout);
    }

    /** A webhook on loopback that answers every POST with {@code status} and {@code body}. */
    private String webhookAnswering(int status, String body) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
    }

    private static String everything(Throwable thrown) {
        StringWriter trace = new StringWriter();
        thrown.printStackTrace(new PrintWriter(trace));
        return trace.toString();
    }

    private void assertNoWebhookIn(String url, Throwable thrown) {
        String hostAndPath = url.substring(url.indexOf("://") + 3);
        String failure = everything(thrown);
        String logged;
        synchronized (logs) {
            logged = logs.toString(StandardCharsets.UTF_8);
        }
        for (String secret : List.of(url, hostAndPath, PATH, TOKEN)) {
            assertFalse(failure.contains(secret), "the failure carries the webhook (" + secret.length() + " chars): " + failure);
            assertFalse(logged.contains(secret), "a log line carries the webhook (" + secret.length() + " chars): " + logged);
        }
    }

    private static ChatMessage message() {
        return new ChatMessage("DEPLOYMENT_FAILED", ":x: Deployment failed: *demo-batch/report-builder*");
    }

    @Test
    void chatAnswering500_failsWithoutPostingAgain_andWithoutTheWebhookInLogsOrFailure() throws IOException {
        String url = webhookAnswering(500, "internal error");
        ChatWebhook chat = new ChatWebhook(http(3), JSON, new Secret(url), TESTS);

        SinkUnavailableException e = assertThrows(SinkUnavailableException.class, () -> chat.post(message()));

        assertEquals(500, e.status());
        assertTrue(e.getMessage().startsWith("chat POST"), e.getMessage());
        assertTrue(e.getMessage().contains("not sent again"), "a 500 may come after the line was posted: " + e.getMessage());
        assertEquals(0, slept.size(), "no second post");
        assertNoWebhookIn(url, e);
    }

    @Test
    void chatEchoingThePathInItsError_isRedacted() throws IOException {
        String url = webhookAnswering(404, "Cannot POST " + PATH);
        ChatWebhook chat = new ChatWebhook(http(3), JSON, new Secret(url), TESTS);

        SinkUnavailableException e = assertThrows(SinkUnavailableException.class, () -> chat.post(message()));

        assertEquals(404, e.status());
        assertTrue(e.getMessage().contains("Cannot POST"), "the answer is still shown: " + e.getMessage());
        assertNoWebhookIn(url, e);
    }

    @Test
    void chatRefusingTheConnection_failsWithoutTheWebhookInLogsOrFailure() throws IOException {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port + PATH;
        ChatWebhook chat = new ChatWebhook(http(2), JSON, new Secret(url), TESTS);

        SinkUnavailableException e = assertThrows(SinkUnavailableException.class, () -> chat.post(message()));

        assertEquals(0, e.status(), "no answer came");
        assertTrue(e.getMessage().contains("ConnectException"), e.getMessage());
        assertNoWebhookIn(url, e);
    }

    @Test
    void chatTimingOut_failsWithoutTheWebhookInLogsOrFailure() throws IOException {
        ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            try {
                while (!silent.isClosed()) {
                    held.add(silent.accept());
                }
            } catch (IOException closed) {
                // the test is over
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        String url = "http://127.0.0.1:" + silent.getLocalPort() + PATH;
        ChatWebhook chat = new ChatWebhook(http(2, Duration.ofMillis(300)), JSON, new Secret(url), TESTS);
        try {
            SinkUnavailableException e = assertThrows(SinkUnavailableException.class, () -> chat.post(message()));

            assertEquals(0, e.status(), "no answer came");
            assertTrue(e.getMessage().contains("HttpTimeoutException"), e.getMessage());
            assertNoWebhookIn(url, e);
        } finally {
            silent.close();
        }
    }

    @Test
    void malformedWebhookUrl_failsAtInit_withoutTheUrlInTheFailure() {
        String url = "https://hooks.example.com" + PATH + " trailing";

        ConfigException e = assertThrows(ConfigException.class, () -> new ChatWebhook(http(1), JSON, new Secret(url), DEPLOYED));

        assertTrue(e.getMessage().contains("chat webhook"), e.getMessage());
        assertNoWebhookIn(url, e);
    }

    @Test
    void loopbackWebhook_isRefusedByADeployedConfiguration() throws IOException {
        String url = webhookAnswering(200, "ok");

        ConfigException e = assertThrows(ConfigException.class, () -> new ChatWebhook(http(1), JSON, new Secret(url), DEPLOYED));

        assertTrue(e.getMessage().contains("https"), e.getMessage());
        assertNoWebhookIn(url, e);
    }

    @Test
    void webhookUrlThatIsNotHttps_failsAtInit_withoutTheUrlInTheFailure() {
        String url = "ftp://hooks.example.com" + PATH;

        ConfigException e = assertThrows(ConfigException.class, () -> new ChatWebhook(http(1), JSON, new Secret(url), DEPLOYED));

        assertTrue(e.getMessage().contains("https"), e.getMessage());
        assertNoWebhookIn(url, e);
    }

    @Test
    void causeNamingTheUrl_isRedactedInTheFailure_keepingItsTypeAndFrames() throws IOException {
        String url = webhookAnswering(200, "ok");
        new Secret(url);
        IOException urlConnection = new IOException("Server returned HTTP response code: 500 for URL: " + url,
                new java.net.SocketException("reset on " + PATH.substring(1)));

        SinkUnavailableException e = new SinkUnavailableException("chat POST failed", 500, urlConnection);

        assertTrue(everything(e).contains("Caused by: java.io.IOException: Server returned HTTP response code: 500 for URL: "), everything(e));
        assertTrue(everything(e).contains("Caused by: java.net.SocketException: reset on "), everything(e));
        assertEquals(urlConnection.getStackTrace()[0], e.getCause().getStackTrace()[0]);
        assertNoWebhookIn(url, e);
    }

    @Test
    void secretUrl_isRedactedByItsPath_andByHostAndPath() {
        new Secret("https://hooks.example.com/services/T1REDACT/B1REDACT/redactedTOKEN1");

        assertEquals("POST ****", Secret.redact("POST /services/T1REDACT/B1REDACT/redactedTOKEN1"));
        assertEquals("to ****", Secret.redact("to hooks.example.com/services/T1REDACT/B1REDACT/redactedTOKEN1"));
        assertEquals("token ****", Secret.redact("token redactedTOKEN1"));
        assertEquals("/services/other is no secret", Secret.redact("/services/other is no secret"));
    }

    @Test
    void secretUrl_withItsKeyInTheQuery_isRedactedByEachValue() {
        new Secret("https://chat.example.com/v1/spaces/AAAAredact/messages?key=QUERYkeyREDACT1&token=QUERYtokenREDACT2");

        assertEquals("key **** token ****", Secret.redact("key QUERYkeyREDACT1 token QUERYtokenREDACT2"));
        assertEquals("POST ****", Secret.redact("POST /v1/spaces/AAAAredact/messages"), "the path a request is named by");
    }
}
