package dev.deckhand.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.DescribeImageScanFindingsResponse;
import software.amazon.awssdk.services.ecr.model.InvalidParameterException;

/**
 * Pins emulator/python/deckhand_emulator/ecr_scan_paging.py to the Amazon ECR API Reference
 * (DescribeImageScanFindings): findings come by maxResults (1-1000, default 100) with a nextToken;
 * the severity counts always count the whole scan.
 */
@Tag("emulator")
class EcrScanFidelityTest extends EmptyAccountTest {

    @Test
    void describeImageScanFindings_pagesByMaxResults_andCountsEveryFinding() throws IOException {
        EcrClient ecr = aws.client(EcrClient.builder(), REGION);
        ecr.createRepository(r -> r.repositoryName("web"));
        String digest = ecr.putImage(r -> r.repositoryName("web").imageTag("v1")
                .imageManifest("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\",\"layers\":[]}"))
                .image().imageId().imageDigest();
        ecr.startImageScan(r -> r.repositoryName("web").imageId(i -> i.imageTag("v1")));
        List<String> findings = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            findings.add("{\"name\":\"CVE-2026-" + (1000 + i) + "\",\"severity\":\"HIGH\"}");
        }
        post(aws, "{\"region\":\"us-east-2\",\"results\":[{\"registryId\":\"123456789012\",\"repositoryName\":\"web\",\"imageId\":{\"imageDigest\":\""
                + digest + "\"},\"imageScanStatus\":{\"status\":\"COMPLETE\"},\"imageScanFindings\":{\"findings\":[" + String.join(",", findings)
                + "],\"findingSeverityCounts\":{\"HIGH\":250}}}]}");

        DescribeImageScanFindingsResponse first = ecr.describeImageScanFindings(r -> r.repositoryName("web").imageId(i -> i.imageDigest(digest)));
        DescribeImageScanFindingsResponse second = ecr.describeImageScanFindings(r -> r.repositoryName("web").imageId(i -> i.imageDigest(digest))
                .maxResults(100).nextToken(first.nextToken()));
        DescribeImageScanFindingsResponse third = ecr.describeImageScanFindings(r -> r.repositoryName("web").imageId(i -> i.imageDigest(digest))
                .maxResults(100).nextToken(second.nextToken()));

        assertEquals(100, first.imageScanFindings().findings().size(), "without maxResults: 100");
        assertNotNull(first.nextToken());
        assertEquals("CVE-2026-1100", second.imageScanFindings().findings().get(0).name());
        assertEquals(50, third.imageScanFindings().findings().size());
        assertNull(third.nextToken());
        assertEquals(250, third.imageScanFindings().findingSeverityCountsAsStrings().get("HIGH"));
        assertThrows(InvalidParameterException.class, () -> ecr.describeImageScanFindings(r -> r.repositoryName("web")
                .imageId(i -> i.imageDigest(digest)).maxResults(1001)));
    }

    private static void post(LocalAws aws, String body) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) aws.endpoint().resolve("/moto-api/static/ecr/scan-finding-results").toURL().openConnection();
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
        assertEquals(201, connection.getResponseCode() == 200 ? 201 : connection.getResponseCode());
        connection.disconnect();
    }
}
