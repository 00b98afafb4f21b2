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
 * {@code AWS_RETRY_MODE}. Call once per container, from a handler's constructor.
 *
 * <pre>{@code
 * AwsCallCounter calls = new AwsCallCounter();
 * EcsClient ecs = AwsClients.build(EcsClient.builder(), calls);
 * }</pre>
 */
public final class AwsClients {

    private AwsClients() {
    }

    public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(
            B builder, ExecutionInterceptor... interceptors) {
        B configured = builder
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(3))
                        .socketTimeout(Duration.ofSeconds(20)));
        configured.overrideConfiguration(c -> {
            for (ExecutionInterceptor interceptor : interceptors) {
                c.addExecutionInterceptor(interceptor);
            }
            c.apiCallTimeout(Duration.ofSeconds(45));
        });
        return configured.build();
    }
}
