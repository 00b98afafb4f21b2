package dev.deckhand.ticket.handler;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.deckhand.core.event.BadEventException;
import dev.deckhand.core.event.EventParser;
import java.util.List;
import java.util.Map;

/**
 * The detail of {@code aws.ecr} / {@code ECR Image Scan} (basic scanning). Example (Amazon ECR
 * User Guide, "Event for an image scan completed (basic scanning)"):
 *
 * <pre>{@code
 * "resources": ["arn:aws:ecr:us-east-1:123456789012:repository/my-repository-name"],
 * "detail": {"scan-status": "COMPLETE", "repository-name": "my-repository-name",
 *            "finding-severity-counts": {"CRITICAL": 10, "MEDIUM": 9},
 *            "image-digest": "sha256:7f5b2640fe6fb4f46592dfd3410c4a79dac4f89e4782432e0378abcd1234", "image-tags": []}
 * }</pre>
 */
record EcrImageScan(@JsonProperty("scan-status") String scanStatus, @JsonProperty("repository-name") String repositoryName,
                    @JsonProperty("image-digest") String imageDigest, @JsonProperty("image-tags") List<String> imageTags,
                    @JsonProperty("finding-severity-counts") Map<String, Integer> findingSeverityCounts) {

    EcrImageScan {
        EventFieldChecks.require("detail.scan-status", scanStatus);
        EventFieldChecks.matching("detail.repository-name", repositoryName, EventFieldChecks.REPOSITORY, 256, "an ECR repository name");
        EventFieldChecks.matching("detail.image-digest", imageDigest, EventFieldChecks.DIGEST, EventFieldChecks.DIGEST_MAX, EventFieldChecks.DIGEST_WHAT);
        imageTags = EventFieldChecks.tags("detail.image-tags", imageTags);
        findingSeverityCounts = findingSeverityCounts == null ? Map.of() : Map.copyOf(findingSeverityCounts);
        findingSeverityCounts.forEach((severity, count) -> {
            if (count == null || count < 0) {
                throw new BadEventException("event field `detail.finding-severity-counts." + EventParser.abbreviate(severity)
                        + "` must be a count (a whole number, 0 or more)");
            }
        });
    }
}
