package dev.deckhand.ticket.handler;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.deckhand.core.aws.AwsCallCounter;
import dev.deckhand.core.config.Env;
import dev.deckhand.core.event.EventTypes;
import dev.deckhand.testkit.BadEventCorpusTest;
import dev.deckhand.testkit.NoAws;
import dev.deckhand.ticket.TicketConfig;
import dev.deckhand.ticket.sink.HttpSender;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.inspector2.Inspector2Client;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetParameterRequest;
import software.amazon.awssdk.services.ssm.model.GetParameterResponse;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * open-ticket's bad events, its own (src/test/resources/bad-events) and the test kit's envelope cases:
 * each refused with a clear error, before any AWS call or any request to GitHub, Jira or chat (every
 * sink is configured, at an address nothing listens on, so a request would fail the test).
 */
class BadEventsTest extends BadEventCorpusTest {

    @Override
    protected RequestStreamHandler handler() {
        return newHandler();
    }

    @Override
    protected Set<String> routedDetailTypes() {
        return Set.of(EventTypes.ECR_IMAGE_SCAN, EventTypes.INSPECTOR_FINDING, EventTypes.ECS_DEPLOYMENT_STATE_CHANGE,
                EventTypes.ECS_SERVICE_ACTION, EventTypes.CODEDEPLOY_DEPLOYMENT, EventTypes.LAUNCH_UNSUCCESSFUL, EventTypes.LAUNCH_SUCCESSFUL,
                EventTypes.EC2_FLEET_ERROR, EventTypes.SPOT_FLEET_ERROR, EventTypes.EC2_FLEET_INSTANCE_CHANGE,
                EventTypes.SPOT_FLEET_INSTANCE_CHANGE, EventTypes.CAPACITY_SHORTAGE);
    }

    @Override
    protected Route envelopeRoute() {
        return new Route(EventTypes.SOURCE_ECR, EventTypes.ECR_IMAGE_SCAN);
    }

    private static final String NOWHERE = "http://127.0.0.1:9";

    private static OpenTicketHandler newHandler() {
        TicketConfig config = TicketConfig.from(new Env(Map.of("AWS_REGION", NoAws.REGION,
                "DECKHAND_TICKET_SINKS", "opscenter,github,jira",
                "DECKHAND_TICKET_GITHUB_REPOSITORY", "acme/platform", "DECKHAND_TICKET_GITHUB_TOKEN_PARAMETER", "/deckhand/github-token",
                "DECKHAND_TICKET_GITHUB_API_URL", NOWHERE + "/github", "DECKHAND_TICKET_JIRA_URL", NOWHERE + "/jira",
                "DECKHAND_TICKET_JIRA_PROJECT", "OPS", "DECKHAND_TICKET_JIRA_EMAIL", "deckhand@example.com",
                "DECKHAND_TICKET_JIRA_TOKEN_PARAMETER", "/deckhand/jira-token", "DECKHAND_CHAT_WEBHOOK_PARAMETER", "/deckhand/chat-webhook")), true);
        HttpSender http = new HttpSender(config.httpMaxAttempts(), config.httpMaxRetryAfter(), slept -> {
            throw new AssertionError("an HTTP retry where no request may happen");
        });
        return new OpenTicketHandler(config, new OpenTicketHandler.Clients(NoAws.client(EcrClient.builder()), NoAws.client(EcsClient.builder()),
                    NoAws.client(CodeDeployClient.builder()), secretsOnly(), NoAws.client(Inspector2Client.builder()),
                    NoAws.client(AutoScalingClient.builder()), NoAws.client(Ec2Client.builder()), http), new AwsCallCounter(), Clock.systemUTC());
    }

    /** SSM that answers only the secrets' GetParameter, read once when the handler is built; any other call fails. */
    private static SsmClient secretsOnly() {
        return new SsmClient() {
                @Override
                public GetParameterResponse getParameter(GetParameterRequest request) {
                    String value = request.name().equals("/deckhand/chat-webhook") ? NOWHERE + "/chat" : "not-a-real-token";
                    return GetParameterResponse.builder().parameter(p -> p.name(request.name()).type(ParameterType.SECURE_STRING).value(value)).build();
                }

                @Override
                public String serviceName() {
                    return SsmClient.SERVICE_NAME;
                }

                @Override
                public void close() {
                }
        };
    }
}
