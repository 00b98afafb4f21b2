package dev.deckhand.drain.executor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.core.aws.AwsCallCounter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.PartitionMetadata;
import software.amazon.awssdk.regions.Region;

/**
 * SSM {@code SendCommand}, the one SSM call drain-instance makes, sent as AWS's JSON 1.1 protocol
 * with the SDK's own SigV4 signer, credentials chain and URL-connection client. Why not the SDK's
 * SsmClient: its module is 5.7 MB, a third of the function's zip, for one optional call (the
 * pre-drain command); without it the zip stays under 15 MB. The call is counted as
 * {@code ssm:SendCommand} like every SDK call.
 *
 * <pre>{@code
 * RunCommandClient ssm = RunCommandClient.fromEnvironment("us-east-2", calls);
 * RunCommandClient.Sent sent = ssm.sendCommand("i-1234567890abcdef0", "AWS-RunShellScript", parameters, 60, "comment");
 * }</pre>
 */
public final class RunCommandClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The command as SSM accepted it. */
    public record Sent(String commandId, String status) {
    }

    private final String region;
    private final URI endpoint;
    private final AwsCredentialsProvider credentials;
    private final SdkHttpClient http;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    private final AwsCallCounter calls;

    public RunCommandClient(String region, URI endpoint, AwsCredentialsProvider credentials, AwsCallCounter calls) {
        this.region = region;
        this.endpoint = endpoint;
        this.credentials = credentials;
        this.calls = calls;
        this.http = UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(3)).socketTimeout(Duration.ofSeconds(10)).build();
    }

    /** The endpoint the SDK would use: {@code AWS_ENDPOINT_URL_SSM}, then {@code AWS_ENDPOINT_URL}, then SSM's regional one. */
    public static RunCommandClient fromEnvironment(String region, AwsCallCounter calls) {
        String configured = System.getenv("AWS_ENDPOINT_URL_SSM");
        if (configured == null || configured.isBlank()) {
            configured = System.getenv("AWS_ENDPOINT_URL");
        }
        URI endpoint = configured == null || configured.isBlank()
                ? URI.create("https://ssm." + region + "." + PartitionMetadata.of(Region.of(region)).dnsSuffix())
                : URI.create(configured.trim());
        return new RunCommandClient(region, endpoint, DefaultCredentialsProvider.create(), calls);
    }

    /** @throws RunCommandException with SSM's error code and message when SSM refuses the command */
    public Sent sendCommand(String instanceId, String document, Map<String, List<String>> parameters, int timeoutSeconds,
                            String comment) {
        ObjectNode body = JSON.createObjectNode();
        body.putArray("InstanceIds").add(instanceId);
        body.put("DocumentName", document);
        body.set("Parameters", JSON.valueToTree(parameters));
        body.put("TimeoutSeconds", timeoutSeconds);
        body.put("Comment", comment);
        JsonNode answer = call("SendCommand", body);
        JsonNode command = answer.path("Command");
        return new Sent(command.path("CommandId").asText(null), command.path("Status").asText(null));
    }

    private JsonNode call(String operation, JsonNode body) {
        calls.record("ssm:" + operation);
        byte[] payload = body.toString().getBytes(StandardCharsets.UTF_8);
        SdkHttpRequest request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(endpoint.resolve("/"))
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", "AmazonSSM." + operation)
                .build();
        SignedRequest signed = signer.sign(r -> r
                .identity(credentials.resolveCredentials())
                .request(request)
                .payload(ContentStreamProvider.fromByteArray(payload))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "ssm")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        long sent = System.nanoTime();
        try {
            HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder()
                    .request(signed.request())
                    .contentStreamProvider(signed.payload().orElse(null))
                    .build()).call();
            calls.waited(System.nanoTime() - sent);
            byte[] answer;
            if (response.responseBody().isPresent()) {
                try (InputStream in = response.responseBody().get()) {
                    answer = in.readAllBytes();
                }
            } else {
                answer = new byte[0];
            }
            JsonNode json = answer.length == 0 ? JSON.createObjectNode() : JSON.readTree(answer);
            if (!response.httpResponse().isSuccessful()) {
                String type = json.path("__type").asText("HTTP " + response.httpResponse().statusCode());
                throw new RunCommandException(type.substring(type.lastIndexOf('#') + 1),
                        json.path("message").asText(json.path("Message").asText("")));
            }
            return json;
        } catch (IOException e) {
            throw new UncheckedIOException("SSM " + operation + " failed: " + e.getMessage(), e);
        }
    }

    /** SSM refused the call: its error code (InvalidInstanceId, InvalidDocument, ...) and message. */
    public static final class RunCommandException extends RuntimeException {
        private final String code;

        RunCommandException(String code, String message) {
            super(code + ": " + message);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }
}
