package dev.deckhand.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.inspector2.Inspector2Client;
import software.amazon.awssdk.services.inspector2.model.FilterCriteria;
import software.amazon.awssdk.services.inspector2.model.Finding;
import software.amazon.awssdk.services.inspector2.model.ListFindingsResponse;
import software.amazon.awssdk.services.inspector2.model.StringComparison;
import software.amazon.awssdk.services.inspector2.model.StringFilter;
import software.amazon.awssdk.services.inspector2.model.ValidationException;

/**
 * Pins emulator/python/deckhand_emulator/inspector_findings.py to the Amazon Inspector API
 * Reference: ListFindings ({@code filterCriteria}, {@code maxResults} 1-100, {@code nextToken}),
 * FilterCriteria (every key given must match; the filters of one key are alternatives) and
 * StringFilter ({@code comparison} EQUALS, PREFIX or NOT_EQUALS). moto 5.2.1 answered ListFindings
 * from a static queue and ignored every filter.
 */
@Tag("emulator")
class InspectorFidelityTest extends EmptyAccountTest {

    private Inspector2Client inspector;

    @BeforeEach
    void client() {
        inspector = aws.client(Inspector2Client.builder(), REGION);
    }

    private void finding(String id, String repository, String digest, String cve, String status) {
        aws.control("inspector2/finding", Map.of("region", REGION, "account", "123456789012", "finding", Map.of(
                "findingArn", "arn:aws:inspector2:" + REGION + ":123456789012:finding/" + id, "awsAccountId", "123456789012",
                "type", "PACKAGE_VULNERABILITY", "severity", "HIGH", "status", status,
                "packageVulnerabilityDetails", Map.of("vulnerabilityId", cve, "source", "NVD"),
                "resources", List.of(Map.of("type", "AWS_ECR_CONTAINER_IMAGE", "id", "arn:aws:ecr:" + REGION + ":123456789012:repository/" + repository + "/" + digest,
                        "details", Map.of("awsEcrContainerImage", Map.of("repositoryName", repository, "imageHash", digest, "registry", "123456789012")))))));
    }

    private static StringFilter eq(String value) {
        return StringFilter.builder().comparison(StringComparison.EQUALS).value(value).build();
    }

    private List<String> ids(FilterCriteria criteria) {
        return inspector.listFindings(r -> r.filterCriteria(criteria)).findings().stream()
                .map(f -> f.findingArn().substring(f.findingArn().lastIndexOf('/') + 1)).sorted().toList();
    }

    @Test
    void listFindings_filtersByRepositoryVulnerabilityAndStatus_allKeysMustMatch() {
        finding("a", "demo/app", "sha256:aaa", "CVE-1", "ACTIVE");
        finding("b", "demo/app", "sha256:bbb", "CVE-1", "CLOSED");
        finding("c", "demo/app", "sha256:ccc", "CVE-2", "ACTIVE");
        finding("d", "demo/other", "sha256:ddd", "CVE-1", "ACTIVE");

        assertEquals(List.of("a"), ids(FilterCriteria.builder().ecrImageRepositoryName(eq("demo/app")).vulnerabilityId(eq("CVE-1"))
                .findingStatus(eq("ACTIVE")).build()));
        assertEquals(List.of("a", "b"), ids(FilterCriteria.builder().ecrImageRepositoryName(eq("demo/app")).vulnerabilityId(eq("CVE-1")).build()));
        assertEquals(List.of("a", "b", "d"), ids(FilterCriteria.builder().vulnerabilityId(eq("CVE-1")).build()));
    }

    @Test
    void listFindings_filtersOfOneKeyAreAlternatives_andNotEqualsExcludes() {
        finding("a", "demo/app", "sha256:aaa", "CVE-1", "ACTIVE");
        finding("b", "demo/app", "sha256:bbb", "CVE-1", "SUPPRESSED");
        finding("c", "demo/app", "sha256:ccc", "CVE-1", "CLOSED");

        assertEquals(List.of("a", "b"), ids(FilterCriteria.builder().findingStatus(eq("ACTIVE"), eq("SUPPRESSED")).build()));
        assertEquals(List.of("a", "c"), ids(FilterCriteria.builder().findingStatus(StringFilter.builder()
                .comparison(StringComparison.NOT_EQUALS).value("SUPPRESSED").build()).build()));
        assertEquals(List.of("a", "b", "c"), ids(FilterCriteria.builder().ecrImageRepositoryName(StringFilter.builder()
                .comparison(StringComparison.PREFIX).value("demo/").build()).build()));
    }

    @Test
    void listFindings_pagesByMaxResults_andRefusesMoreThan100() {
        for (int i = 0; i < 5; i++) {
            finding("f" + i, "demo/app", "sha256:" + i, "CVE-1", "ACTIVE");
        }

        ListFindingsResponse first = inspector.listFindings(r -> r.maxResults(2));
        ListFindingsResponse second = inspector.listFindings(r -> r.maxResults(2).nextToken(first.nextToken()));
        ListFindingsResponse last = inspector.listFindings(r -> r.maxResults(2).nextToken(second.nextToken()));

        assertEquals(2, first.findings().size());
        assertNotNull(first.nextToken());
        assertEquals(1, last.findings().size());
        assertNull(last.nextToken());
        assertEquals(5, Stream.of(first, second, last).flatMap(p -> p.findings().stream()).map(Finding::findingArn).distinct().count());
        assertThrows(ValidationException.class, () -> inspector.listFindings(r -> r.maxResults(101)));
    }
}
