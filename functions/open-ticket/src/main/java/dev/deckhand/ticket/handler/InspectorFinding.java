package dev.deckhand.ticket.handler;

import java.util.List;

/**
 * The detail of {@code aws.inspector2} / {@code Inspector2 Finding}, the fields a ticket uses.
 * Example (Amazon ECR User Guide, "Event for an image scan finding (enhanced scanning)"), shortened:
 *
 * <pre>{@code
 * "detail": {"findingArn": "arn:aws:inspector2:us-east-1:123456789012:finding/be674aaddd0f75ac632055EXAMPLE",
 *   "severity": "MEDIUM", "status": "ACTIVE", "title": "CVE-2019-17498 - libssh2", "type": "PACKAGE_VULNERABILITY",
 *   "inspectorScore": 6.5, "description": "In libssh2 v1.9.0 and earlier versions, ...",
 *   "packageVulnerabilityDetails": {"vulnerabilityId": "CVE-2019-17498", "sourceUrl": "https://nvd.nist.gov/vuln/detail/CVE-2019-17498",
 *     "vulnerablePackages": [{"name": "libssh2", "version": "1.4.3", "release": "12.amzn2.0.3"}]},
 *   "remediation": {"recommendation": {"text": "None Provided"}},
 *   "resources": [{"type": "AWS_ECR_CONTAINER_IMAGE", "id": "arn:aws:ecr:us-east-1:123456789012:repository/amazon/amazon-ecs-sample/sha256:88a7...",
 *     "details": {"awsEcrContainerImage": {"repositoryName": "amazon/amazon-ecs-sample", "imageHash": "sha256:88a7...",
 *       "imageTags": ["latest"], "registry": "123456789012"}}}]}
 * }</pre>
 * Its dates are written like "Oct 14, 2021, 9:44:16 PM" and are not read.
 */
record InspectorFinding(String findingArn, String type, String status, String severity, String title, String description,
                        Double inspectorScore, String fixAvailable, PackageVulnerability packageVulnerabilityDetails,
                        Remediation remediation, List<Resource> resources) {

    record PackageVulnerability(String vulnerabilityId, String sourceUrl, List<VulnerablePackage> vulnerablePackages) {
    }

    record VulnerablePackage(String name, String version, String release, String fixedInVersion) {
    }

    record Remediation(Recommendation recommendation) {
    }

    record Recommendation(String text) {
    }

    record Resource(String type, String id, Details details) {
    }

    record Details(EcrImage awsEcrContainerImage) {
    }

    record EcrImage(String repositoryName, String imageHash, List<String> imageTags, String registry) {
    }

    InspectorFinding {
        EventFieldChecks.require("detail.findingArn", findingArn);
        EventFieldChecks.text("detail.findingArn", findingArn, 2048);
        EventFieldChecks.require("detail.status", status);
        EventFieldChecks.require("detail.type", type);
        EventFieldChecks.text("detail.title", title, 1024);
        EventFieldChecks.text("detail.description", description, 8192);
        EventFieldChecks.text("detail.fixAvailable", fixAvailable, 32);
        resources = resources == null ? List.of() : List.copyOf(resources);
    }
}
