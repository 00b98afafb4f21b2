package dev.deckhand.core.aws;

import java.time.Duration;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/**
 * The one place AWS clients are built: the JDK's URL-connection HTTP client (no Apache, no
 * Netty), region and credentials from the SDK's own chain ({@code AWS_REGION}, the Lambda role),
 * endpoint from {@code AWS_ENDPOINT_URL} when set (the SDK reads it itself), retry mode from
 * {@code AWS_RETRY_MODE}. Call once per container, from a handler's constructor. When the SDK's own
 * setting {@code -Dsoftware.amazon.awssdk.http.service.impl} names an HTTP client, the SDK's choice
 * is left alone: that is how {@code deckhand bench} measures the SDK's default (Apache) client
 * against this one.
 *
 * <p>A known cost of this client: the SDK sends each request with a Content-Length in the JDK's
 * fixed-length streaming mode, and for a streamed POST on a kept-alive connection the JDK first checks
 * that the server has not closed it with a read of 1 ms timeout ({@code sun.net.www.http.HttpClient
 * .available}, in JDK 17 and 25), so each AWS call on a reused connection waits about 1 ms more. Left
 * as it is: without streaming mode the JDK resends a POST whose answer it lost ({@code
 * sun.net.http.retryPost}), outside the SDK's retry policy and its count of attempts.
 *
 * <pre>{@code
 * AwsCallCounter calls = new AwsCallCounter();
 * EcsClient ecs = AwsClients.build(EcsClient.builder(), calls);
 * }</pre>
 */
public final class AwsClients {

    /** The SDK's system property that picks the synchronous HTTP client implementation. */
    static final String SDK_HTTP_SERVICE = "software.amazon.awssdk.http.service.impl";

    private AwsClients() {
    }

    public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(
            B builder, ExecutionInterceptor... interceptors) {
        B configured = builder;
        if (System.getProperty(SDK_HTTP_SERVICE) == null) {
            configured.httpClientBuilder(UrlConnectionHttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(3))
                    .socketTimeout(Duration.ofSeconds(20)));
        }
        configured.overrideConfiguration(c -> {
            for (ExecutionInterceptor interceptor : interceptors) {
                c.addExecutionInterceptor(interceptor);
            }
            c.apiCallTimeout(Duration.ofSeconds(45));
        });
        return configured.build();
    }
}
