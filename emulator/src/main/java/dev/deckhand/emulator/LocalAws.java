package dev.deckhand.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * The local AWS: moto_server with Deckhand's fidelity fixes ({@code emulator/python}) on a free
 * loopback port, stopped by its PID.
 *
 * <pre>{@code
 * LocalAws aws = LocalAws.shared();          // one per JVM, stopped at exit
 * aws.reset();                               // before each test: an empty account
 * EcsClient ecs = aws.client(EcsClient.builder(), "us-east-2");
 * }</pre>
 *
 * A missing Python or moto is an error naming the fix, never a skipped test.
 */
public final class LocalAws implements AutoCloseable {

    public static final String ACCESS_KEY = "testing";
    public static final String SECRET_KEY = "testing";

    private static final ObjectMapper CONTROL_JSON = new ObjectMapper();
    private static LocalAws shared;

    private final Process process;
    private final URI endpoint;
    private final Path log;

    private LocalAws(Process process, URI endpoint, Path log) {
        this.process = process;
        this.endpoint = endpoint;
        this.log = log;
    }

    /** The emulator this JVM shares; started on first use and stopped when the JVM exits. */
    public static synchronized LocalAws shared() {
        if (shared == null) {
            shared = start();
            LocalAws stopping = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(stopping::close));
        }
        return shared;
    }

    /**
     * Starts a new emulator; the caller closes it. In the fast test tier ({@code ./deckhand test
     * --fast}, system property {@code deckhand.tier=fast}) it refuses: a test that needs the emulator
     * carries {@code @Tag("emulator")}, and one that forgot fails here instead of slowing the tier.
     */
    public static LocalAws start() {
        if ("fast".equals(System.getProperty("deckhand.tier"))) {
            throw new IllegalStateException("the fast test tier starts no emulator: tag this test class @Tag(\"emulator\")");
        }
        Path home = DeckhandHome.find();
        Path python = home.resolve("emulator/python");
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freePort();
            try {
                Path log = Files.createTempFile("deckhand-emulator-", ".log");
                ProcessBuilder builder = new ProcessBuilder(
                        pythonCommand(), "-m", "deckhand_emulator", "--port", Integer.toString(port))
                        .directory(python.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile());
                builder.environment().put("PYTHONPATH", python.toString());
                builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
                Process process = builder.start();
                URI endpoint = URI.create("http://127.0.0.1:" + port);
                LocalAws aws = new LocalAws(process, endpoint, log);
                if (aws.awaitReady(Duration.ofSeconds(60))) {
                    return aws;
                }
                aws.close();
                String output = Files.readString(log);
                if (output.contains("Address already in use")) {
                    continue;
                }
                throw new IllegalStateException(explain(output));
            } catch (IOException e) {
                last = e;
            }
        }
        throw new IllegalStateException("could not start the emulator (python3 -m deckhand_emulator)", last);
    }

    private static String explain(String output) {
        if (output.contains("No module named 'moto'") || output.contains("No module named 'flask'")) {
            return "moto_server is not installed: run `pip install -r requirements-dev.txt`\n" + output;
        }
        return "the emulator did not start:\n" + output;
    }

    private static String pythonCommand() {
        String configured = System.getenv("DECKHAND_PYTHON");
        return configured == null || configured.isBlank() ? "python3" : configured;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port", e);
        }
    }

    private boolean awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                return false;
            }
            try {
                if (request("GET", "/moto-api/", null) == 200) {
                    return true;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            sleep(100);
        }
        return false;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private int request(String method, String path, String body) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) endpoint.resolve(path).toURL().openConnection();
        connection.setRequestMethod(method);
        connection.setConnectTimeout(2000);
        connection.setReadTimeout(30000);
        if (body != null) {
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", "application/json");
            connection.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
        }
        int status = connection.getResponseCode();
        (status < 400 ? connection.getInputStream() : connection.getErrorStream()).readAllBytes();
        connection.disconnect();
        return status;
    }

    /**
     * Calls the emulator's control API ({@code emulator/python/deckhand_emulator/control.py}): what
     * ECS's scheduler does inside AWS, for the local scheduler only.
     */
    public JsonNode control(String action, Map<String, ?> body) {
        try {
            HttpURLConnection connection = (HttpURLConnection) endpoint.resolve("/_deckhand/" + action).toURL().openConnection();
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", "application/json");
            connection.getOutputStream().write(CONTROL_JSON.writeValueAsBytes(body));
            int status = connection.getResponseCode();
            byte[] answer = (status < 400 ? connection.getInputStream() : connection.getErrorStream()).readAllBytes();
            if (status != 200) {
                throw new IllegalStateException("emulator control " + action + " failed: "
                        + new String(answer, StandardCharsets.UTF_8));
            }
            return CONTROL_JSON.readTree(answer);
        } catch (IOException e) {
            throw new IllegalStateException("emulator control " + action + " failed", e);
        }
    }

    /**
     * An Elastic Load Balancing target group with the given deregistration delay (AWS's default is
     * 300 s): CreateTargetGroup then ModifyTargetGroupAttributes, as the account's owner would. The
     * project has no ELB SDK (no function calls ELB), so this sends the two Query API requests
     * itself, with the test's credentials. Returns the target group's ARN.
     */
    public String targetGroup(String region, String name, int deregistrationDelaySeconds) {
        String vpc = client(Ec2Client.builder(), region)
                .describeVpcs(r -> r.filters(f -> f.name("is-default").values("true"))).vpcs().get(0).vpcId();
        String created = elbv2(region, "Action=CreateTargetGroup&Version=2015-12-01&Name=" + name
                + "&Protocol=HTTP&Port=80&VpcId=" + vpc + "&TargetType=instance");
        Matcher arn = Pattern.compile("<TargetGroupArn>([^<]+)</TargetGroupArn>").matcher(created);
        if (!arn.find()) {
            throw new IllegalStateException("CreateTargetGroup answered no ARN: " + created);
        }
        elbv2(region, "Action=ModifyTargetGroupAttributes&Version=2015-12-01&TargetGroupArn="
                + URLEncoder.encode(arn.group(1), StandardCharsets.UTF_8)
                + "&Attributes.member.1.Key=deregistration_delay.timeout_seconds&Attributes.member.1.Value="
                + deregistrationDelaySeconds);
        return arn.group(1);
    }

    private String elbv2(String region, String form) {
        try {
            HttpURLConnection connection = (HttpURLConnection) endpoint.resolve("/").toURL().openConnection();
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", "application/x-www-form-urlencoded");
            connection.setRequestProperty("Authorization", "AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY + "/20260101/" + region
                    + "/elasticloadbalancing/aws4_request, SignedHeaders=host, Signature=0");
            connection.getOutputStream().write(form.getBytes(StandardCharsets.UTF_8));
            int status = connection.getResponseCode();
            String answer = new String((status < 400 ? connection.getInputStream() : connection.getErrorStream()).readAllBytes(),
                    StandardCharsets.UTF_8);
            if (status != 200) {
                throw new IllegalStateException("ELB " + form.substring(0, form.indexOf('&')) + " answered " + status + ": " + answer);
            }
            return answer;
        } catch (IOException e) {
            throw new IllegalStateException("ELB call failed", e);
        }
    }

    /** Forgets every resource: the next test starts from an empty account. */
    public void reset() {
        try {
            int status = request("POST", "/moto-api/reset", "");
            if (status != 200) {
                throw new IllegalStateException("emulator reset answered " + status);
            }
        } catch (IOException e) {
            throw new IllegalStateException("emulator reset failed", e);
        }
    }

    /** The emulator's test credentials, for code that signs its own requests. */
    public static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
    }

    public URI endpoint() {
        return endpoint;
    }

    public long pid() {
        return process.pid();
    }

    /** The variables a process needs to reach this emulator through the SDK's own settings. */
    public Map<String, String> environment(String region) {
        return Map.of(
                "AWS_ENDPOINT_URL", endpoint.toString(),
                "AWS_REGION", region,
                "AWS_ACCESS_KEY_ID", ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY", SECRET_KEY);
    }

    /** A client of this emulator in {@code region}, with the light HTTP client Deckhand deploys. */
    public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(
            B builder, String region, ExecutionInterceptor... interceptors) {
        return client(credentials(), builder, region, interceptors);
    }

    /**
     * A client that signs as {@code function} (its logical id in template.yaml, e.g.
     * {@code DrainInstanceFunction}), as that function's role would in AWS: the emulator records
     * what AWS would authorize for each of its calls, for the IAM tests ({@code iam_audit.py}).
     * Seeders and tests use {@link #client} and are not recorded.
     */
    public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C functionClient(
            String function, B builder, String region, ExecutionInterceptor... interceptors) {
        return client(StaticCredentialsProvider.create(AwsBasicCredentials.create(function, SECRET_KEY)),
                builder, region, interceptors);
    }

    private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(
            StaticCredentialsProvider credentials, B builder, String region, ExecutionInterceptor... interceptors) {
        return builder
                .endpointOverride(endpoint)
                .region(Region.of(region))
                .credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .executionInterceptors(List.of(interceptors))
                        .build())
                .build();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // a temp file left behind is harmless
        }
    }
}
