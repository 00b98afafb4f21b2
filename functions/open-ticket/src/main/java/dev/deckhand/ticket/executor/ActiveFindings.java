package dev.deckhand.ticket.executor;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.inspector2.Inspector2Client;
import software.amazon.awssdk.services.inspector2.model.Finding;
import software.amazon.awssdk.services.inspector2.model.FilterCriteria;
import software.amazon.awssdk.services.inspector2.model.ListFindingsResponse;
import software.amazon.awssdk.services.inspector2.model.StringComparison;
import software.amazon.awssdk.services.inspector2.model.StringFilter;

/**
 * Which images of a repository Inspector still holds an ACTIVE finding of a vulnerability on:
 * {@code ListFindings} filtered by account, resource type {@code AWS_ECR_CONTAINER_IMAGE},
 * repository, vulnerability id and status ACTIVE, by 100, at most {@link #MAX_PAGES} pages.
 * An Inspector ticket is per repository and vulnerability, and Inspector closes an image's
 * finding when that image is deleted or leaves its re-scan window, so a CLOSED finding for one
 * digest does not mean the repository is rid of it.
 *
 * <pre>{@code
 * List<String> digests = new ActiveFindings(inspector).imagesCarrying(account, "demo/app", "CVE-2024-6387");
 * }</pre>
 */
public final class ActiveFindings {

    static final int MAX_PAGES = 5;

    private final Inspector2Client inspector;

    public ActiveFindings(Inspector2Client inspector) {
        this.inspector = inspector;
    }

    /** The image digests (in Inspector's order, each once) with an ACTIVE finding of {@code vulnerability}. */
    public List<String> imagesCarrying(String account, String repository, String vulnerability) {
        FilterCriteria criteria = FilterCriteria.builder()
                .awsAccountId(equal(account))
                .resourceType(equal("AWS_ECR_CONTAINER_IMAGE"))
                .ecrImageRepositoryName(equal(repository))
                .vulnerabilityId(equal(vulnerability))
                .findingStatus(equal("ACTIVE"))
                .build();
        Set<String> digests = new LinkedHashSet<>();
        String token = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            String next = token;
            ListFindingsResponse response = inspector.listFindings(r -> r.filterCriteria(criteria).maxResults(100).nextToken(next));
            for (Finding finding : response.findings()) {
                finding.resources().stream().filter(r -> r.details() != null && r.details().awsEcrContainerImage() != null)
                        .map(r -> r.details().awsEcrContainerImage().imageHash()).forEach(digests::add);
            }
            token = response.nextToken();
            if (token == null) {
                break;
            }
        }
        return new ArrayList<>(digests);
    }

    private static StringFilter equal(String value) {
        return StringFilter.builder().comparison(StringComparison.EQUALS).value(value).build();
    }
}
