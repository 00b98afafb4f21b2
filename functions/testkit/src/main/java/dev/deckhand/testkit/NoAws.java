package dev.deckhand.testkit;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * Clients for tests where no AWS call may happen (a bad event is refused before any): any call
 * fails the test with an AssertionError naming it, which no handler catches. No emulator, so these
 * tests run in the fast tier.
 *
 * <pre>{@code
 * RotateAmiHandler handler = new RotateAmiHandler(config, NoAws.client(Ec2Client.builder()), ...);
 * }</pre>
 */
public final class NoAws {

    public static final String REGION = "us-east-2";

    private NoAws() {
    }

    public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(B builder) {
        return builder.region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .endpointOverride(URI.create("http://127.0.0.1:9"))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(c -> c.addExecutionInterceptor(new Refuse()))
                .build();
    }

    private static final class Refuse implements ExecutionInterceptor {
        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            throw new AssertionError("an AWS call where none may happen: " + attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME)
                    + ":" + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
        }
    }
}
