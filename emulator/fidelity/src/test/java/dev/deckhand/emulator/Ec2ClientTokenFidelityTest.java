package dev.deckhand.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;

/**
 * Amazon EC2 Developer Guide, "Ensuring idempotency in Amazon EC2 API requests"
 * (https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-idempotency.html): CreateLaunchTemplateVersion takes a
 * client token; a request repeated with the same token and the same parameters succeeds without doing anything more,
 * and with other parameters fails with IdempotentParameterMismatch. The SDK fills the token itself (the API model
 * marks ClientToken idempotencyToken) and sends it again with a retry, so rotate-ami's new version is made once
 * even when the SDK re-sends the call after its answer was lost: ec2_client_tokens.py.
 */
@Tag("emulator")
class Ec2ClientTokenFidelityTest extends EmptyAccountTest {

    @Test
    void createLaunchTemplateVersion_repeatedWithItsToken_makesOneVersion_andOtherParametersAreRefused() {
        Ec2Client ec2 = aws.client(Ec2Client.builder(), REGION);
        String template = ec2.createLaunchTemplate(r -> r.launchTemplateName("tokens").launchTemplateData(d -> d.imageId("ami-12345678")
                .instanceType("m5.large"))).launchTemplate().launchTemplateId();

        long first = ec2.createLaunchTemplateVersion(r -> r.launchTemplateId(template).clientToken("rotate-1")
                .launchTemplateData(d -> d.imageId("ami-87654321"))).launchTemplateVersion().versionNumber();
        long again = ec2.createLaunchTemplateVersion(r -> r.launchTemplateId(template).clientToken("rotate-1")
                .launchTemplateData(d -> d.imageId("ami-87654321"))).launchTemplateVersion().versionNumber();
        Ec2Exception other = assertThrows(Ec2Exception.class, () -> ec2.createLaunchTemplateVersion(r -> r.launchTemplateId(template)
                .clientToken("rotate-1").launchTemplateData(d -> d.imageId("ami-11111111"))));
        long untokened = ec2.createLaunchTemplateVersion(r -> r.launchTemplateId(template)
                .launchTemplateData(d -> d.imageId("ami-87654321"))).launchTemplateVersion().versionNumber();

        assertEquals(2, first);
        assertEquals(first, again, "the same token and parameters: the version made the first time");
        assertEquals("IdempotentParameterMismatch", other.awsErrorDetails().errorCode());
        assertEquals(3, untokened, "the SDK fills a new token for each request it builds");
        assertEquals(3, ec2.describeLaunchTemplateVersions(r -> r.launchTemplateId(template)).launchTemplateVersions().size());
    }
}
