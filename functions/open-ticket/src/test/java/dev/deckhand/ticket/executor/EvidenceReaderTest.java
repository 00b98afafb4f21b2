package dev.deckhand.ticket.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deckhand.core.aws.AwsCallCounter;
import dev.deckhand.core.aws.ClusterDirectory;
import dev.deckhand.core.config.ManagedClusters;
import dev.deckhand.emulator.AccountSeeder;
import dev.deckhand.emulator.LocalAws;
import dev.deckhand.ticket.planner.Evidence;
import dev.deckhand.ticket.planner.Severity;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;

/** Paging and bounds of the evidence reads, against the emulator. */
@Tag("emulator")
class EvidenceReaderTest {

    private static final String REGION = "us-east-2";
    private LocalAws aws;
    private final AwsCallCounter calls = new AwsCallCounter();
    private EcrClient ecr;
    private EcsClient ecs;
    private String digest;

    @BeforeEach
    void seed() throws IOException {
        aws = LocalAws.shared();
        aws.reset();
        ecr = aws.functionClient("OpenTicketFunction", EcrClient.builder(), REGION, calls);
        ecs = aws.functionClient("OpenTicketFunction", EcsClient.builder(), REGION, calls);
        EcrClient registry = aws.client(EcrClient.builder(), REGION);
        registry.createRepository(r -> r.repositoryName("web"));
        digest = registry.putImage(r -> r.repositoryName("web").imageTag("v1")
                .imageManifest("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\",\"layers\":[]}"))
                .image().imageId().imageDigest();
        registry.startImageScan(r -> r.repositoryName("web").imageId(i -> i.imageTag("v1")));
    }

    private EvidenceReader reader(ManagedClusters clusters, int maxClusters) {
        return new EvidenceReader(ecr, ecs, aws.functionClient("OpenTicketFunction", CodeDeployClient.builder(), REGION, calls),
                new ClusterDirectory(ecs, clusters, Clock.systemUTC()), maxClusters);
    }

    private void findings(int count, int criticalAt) throws IOException {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            items.add("{\"name\":\"CVE-2026-" + (10000 + i) + "\",\"severity\":\"" + (i == criticalAt ? "CRITICAL" : i % 2 == 0 ? "LOW" : "MEDIUM")
                    + "\",\"attributes\":[{\"key\":\"package_name\",\"value\":\"p" + i + "\"}]}");
        }
        String body = "{\"region\":\"" + REGION + "\",\"results\":[{\"registryId\":\"123456789012\",\"repositoryName\":\"web\",\"imageId\":{\"imageDigest\":\""
                + digest + "\"},\"imageScanStatus\":{\"status\":\"COMPLETE\"},\"imageScanFindings\":{\"findings\":[" + String.join(",", items) + "]}}]}";
        HttpURLConnection c = (HttpURLConnection) aws.endpoint().resolve("/moto-api/static/ecr/scan-finding-results").toURL().openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
        c.getResponseCode();
        c.disconnect();
    }

    @Test
    void scan_readsEveryPage_andKeepsTheWorst() throws IOException {
        findings(150, 140);
        calls.reset();

        Evidence.ImageScan scan = reader(ManagedClusters.all(), 10).scan("123456789012", "web", digest, List.of("v1"),
                Map.of(Severity.CRITICAL, 1), 3);

        assertEquals(2, calls.byOperation().get("ecr:DescribeImageScanFindings"));
        assertEquals(150, scan.read());
        assertFalse(scan.truncated());
        assertEquals("CVE-2026-10140", scan.worst().get(0).name(), "the critical one on the second page comes first");
        assertEquals(Severity.MEDIUM, scan.worst().get(1).severity());
    }

    @Test
    void scan_stopsAtTenPages_andSaysSo() throws IOException {
        findings(1_050, 1_049);
        calls.reset();

        Evidence.ImageScan scan = reader(ManagedClusters.all(), 10).scan("123456789012", "web", digest, List.of(), Map.of(), 5);

        assertEquals(10, calls.byOperation().get("ecr:DescribeImageScanFindings"));
        assertEquals(1_000, scan.read());
        assertTrue(scan.truncated());
    }

    @Test
    void whereRuns_findsServicesByDigestOrTag_withinTheClusterBound_andCachesTaskDefinitions() {
        AccountSeeder seed = new AccountSeeder(aws, REGION);
        String uri = "123456789012.dkr.ecr.us-east-2.amazonaws.com/web";
        for (String cluster : List.of("a", "b", "c")) {
            seed.cluster(cluster);
        }
        String byDigest = aws.client(EcsClient.builder(), REGION).registerTaskDefinition(r -> r.family("web").containerDefinitions(ContainerDefinition.builder().name("web")
                .image(uri + "@" + digest).memory(128).build())).taskDefinition().taskDefinitionArn();
        String byTag = aws.client(EcsClient.builder(), REGION).registerTaskDefinition(r -> r.family("web-tag").containerDefinitions(ContainerDefinition.builder().name("web")
                .image(uri + ":v1").memory(128).build())).taskDefinition().taskDefinitionArn();
        String other = aws.client(EcsClient.builder(), REGION).registerTaskDefinition(r -> r.family("api").containerDefinitions(ContainerDefinition.builder().name("api")
                .image(uri + ":v0").memory(128).build())).taskDefinition().taskDefinitionArn();
        seed.service("a", "web", byDigest, 0);
        seed.service("a", "api", other, 0);
        seed.service("b", "web-tag", byTag, 0);
        seed.service("c", "web", byDigest, 0);
        EvidenceReader reader = reader(ManagedClusters.all(), 2);
        calls.reset();

        Evidence.DeployedIn where = reader.whereRuns("123456789012", REGION, "web", digest, List.of("v1"));

        assertEquals(List.of("a/web", "b/web-tag"), where.services().stream().map(d -> d.cluster() + "/" + d.service()).toList());
        assertTrue(where.truncated(), "cluster c was past the bound");
        assertEquals(3, calls.byOperation().get("ecs:DescribeTaskDefinition"));
        calls.reset();
        reader.whereRuns("123456789012", REGION, "web", digest, List.of("v1"));
        assertEquals(null, calls.byOperation().get("ecs:DescribeTaskDefinition"), "revisions are cached per container");
    }
}
