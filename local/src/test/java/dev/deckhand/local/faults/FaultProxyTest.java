package dev.deckhand.local.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deckhand.emulator.LocalAws;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.EcsException;

@Tag("emulator")
class FaultProxyTest {

    @BeforeEach
    void emptyAccount() {
        LocalAws.shared().reset();
    }

    private static EcsClient ecs(URI endpoint, int attempts) {
        return through(EcsClient.builder(), endpoint, attempts);
    }

    private static Ec2Client ec2(URI endpoint, int attempts) {
        return through(Ec2Client.builder(), endpoint, attempts);
    }

    /** A client of the proxy at {@code endpoint}, making at most {@code attempts} attempts a call. */
    private static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C through(B builder, URI endpoint, int attempts) {
        return builder.endpointOverride(endpoint).region(Region.US_EAST_2)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD).retryStrategy(b -> b.maxAttempts(attempts)))
                .build();
    }

    @Test
    void noFaults_passesEverythingThrough_andCountsWhatReachedAws() {
        try (FaultProxy proxy = new FaultProxy(LocalAws.shared().endpoint(), FaultRates.NONE, 1)) {
            EcsClient ecs = ecs(proxy.endpoint(), 1);

            ecs.createCluster(r -> r.clusterName("web"));

            assertEquals(1, ecs.listClusters().clusterArns().size());
            assertEquals(Map.of("ecs:CreateCluster", 1, "ecs:ListClusters", 1), proxy.executed());
        }
    }

    @Test
    void throttling_looksLikeAwsThrottling_toTheSdk() {
        try (FaultProxy proxy = new FaultProxy(LocalAws.shared().endpoint(), FaultRates.parse("throttle=1"), 1)) {
            EcsException error = assertThrows(EcsException.class, () -> ecs(proxy.endpoint(), 1).listClusters());

            assertTrue(error.isThrottlingException(), error.toString());
            assertEquals(Map.of(), proxy.executed());
        }
    }

    @Test
    void throttlingOfTheXmlProtocols_isEc2sRequestLimitExceeded() {
        try (FaultProxy proxy = new FaultProxy(LocalAws.shared().endpoint(), FaultRates.parse("throttle=1"), 1)) {
            Ec2Client ec2 = ec2(proxy.endpoint(), 1);

            Ec2Exception error = assertThrows(Ec2Exception.class, ec2::describeInstances);

            assertEquals("RequestLimitExceeded", error.awsErrorDetails().errorCode());
        }
    }

    @Test
    void serverErrorsAndDroppedConnections_areRetriedByTheSdk() {
        try (FaultProxy proxy = new FaultProxy(LocalAws.shared().endpoint(), FaultRates.parse("error=0.3,drop=0.3"), 7)) {
            EcsClient ecs = ecs(proxy.endpoint(), 10);

            for (int i = 0; i < 10; i++) {
                ecs.listClusters();
            }

            assertTrue(proxy.injected().getOrDefault(FaultProxy.Fault.ERROR, 0) > 0);
            assertTrue(proxy.injected().getOrDefault(FaultProxy.Fault.DROP, 0) > 0);
            assertEquals(10, proxy.executed().get("ecs:ListClusters"));
        }
    }

    @Test
    void lostAnswer_reachedAws_butTheCallerSeesAFailure() {
        try (FaultProxy proxy = new FaultProxy(LocalAws.shared().endpoint(), FaultRates.parse("lost=1"), 1)) {
            assertThrows(SdkClientException.class, () -> ecs(proxy.endpoint(), 1).createCluster(r -> r.clusterName("web")));

            assertEquals(Map.of("ecs:CreateCluster", 1), proxy.executed());
            assertEquals(Map.of("ecs:CreateCluster", 1), proxy.answersLost());
            assertEquals(1, LocalAws.shared().client(EcsClient.builder(), "us-east-2").listClusters().clusterArns().size());
        }
    }

    /**
     * rotate-ami's new launch template version, its answer lost every time: the SDK sends the call again with the
     * client token it filled once, and EC2 makes one version (EC2 Developer Guide, "Ensuring idempotency in Amazon
     * EC2 API requests", https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-idempotency.html).
     */
    @Test
    void lostAnswerOfANewTemplateVersion_isSentAgainWithItsToken_andMakesOneVersion() {
        Ec2Client direct = LocalAws.shared().client(Ec2Client.builder(), "us-east-2");
        String template = direct.createLaunchTemplate(r -> r.launchTemplateName("lost-answers").launchTemplateData(d -> d
                .imageId("ami-12345678"))).launchTemplate().launchTemplateId();
        try (FaultProxy proxy = new FaultProxy(LocalAws.shared().endpoint(), FaultRates.parse("lost=1"), 1)) {
            Ec2Client ec2 = ec2(proxy.endpoint(), 3);

            assertThrows(SdkClientException.class, () -> ec2.createLaunchTemplateVersion(r -> r.launchTemplateId(template)
                    .launchTemplateData(d -> d.imageId("ami-87654321"))));

            assertEquals(Map.of("ec2:CreateLaunchTemplateVersion", 3), proxy.answersLost());
            assertEquals(2, direct.describeLaunchTemplateVersions(r -> r.launchTemplateId(template)).launchTemplateVersions().size());
        }
    }

    @Test
    void rates_areValidated() {
        assertThrows(IllegalArgumentException.class, () -> FaultRates.parse("throttle=0.8,error=0.5"));
        assertThrows(IllegalArgumentException.class, () -> FaultRates.parse("fire=0.1"));
        assertThrows(IllegalArgumentException.class, () -> FaultRates.parse("slow=x"));
    }
}
