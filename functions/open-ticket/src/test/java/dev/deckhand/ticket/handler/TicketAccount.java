package dev.deckhand.ticket.handler;

import dev.deckhand.core.aws.AwsCallCounter;
import dev.deckhand.core.config.Env;
import dev.deckhand.emulator.LocalAws;
import dev.deckhand.ticket.TicketConfig;
import dev.deckhand.ticket.sink.HttpSender;
import java.io.IOException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.inspector2.Inspector2Client;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * Where open-ticket's handler tests start: the shared emulator emptied, the sinks' secrets in SSM as
 * an operator puts them (SecureString), a loopback GitHub, Jira and chat ({@link FakeApi}), and
 * open-ticket built as deployed on them, its clients signing as OpenTicketFunction.
 *
 * <pre>{@code
 * account = new TicketAccount();
 * JsonNode result = invoke(account.handler(Map.of("DECKHAND_TICKET_SINKS", "github")), event);
 * }</pre>
 */
final class TicketAccount implements AutoCloseable {

    static final String REGION = "us-east-2";
    static final String GITHUB_TOKEN = "ghp_SEEDEDgithubTOKEN0123456789abcdef";
    static final String JIRA_TOKEN = "ATATT3xSEEDEDjiraTOKEN0123456789";
    static final String JIRA_EMAIL = "ops@example.com";
    /** The secret part of the chat webhook's URL, which no log line may show. */
    static final String WEBHOOK_SECRET_PATH = "/chat/T000/B000/SEEDEDwebhookSECRET";

    final LocalAws aws = LocalAws.shared();
    final FakeApi api;
    final AwsCallCounter calls = new AwsCallCounter();
    /** SSM as open-ticket reads it (its calls counted). */
    final SsmClient ssm;

    TicketAccount() throws IOException {
        aws.reset();
        api = new FakeApi();
        ssm = aws.functionClient("OpenTicketFunction", SsmClient.builder(), REGION, calls);
        SsmClient operator = aws.client(SsmClient.builder(), REGION);
        operator.putParameter(r -> r.name("/deckhand/github-token").type(ParameterType.SECURE_STRING).value(GITHUB_TOKEN));
        operator.putParameter(r -> r.name("/deckhand/jira-token").type(ParameterType.SECURE_STRING).value(JIRA_TOKEN));
        operator.putParameter(r -> r.name("/deckhand/chat-webhook").type(ParameterType.SECURE_STRING)
                .value(api.uri(WEBHOOK_SECRET_PATH).toString()));
    }

    /** open-ticket with the sinks OpsCenter, GitHub and Jira on {@link #api}, and {@code extra} environment over that. */
    OpenTicketHandler handler(Map<String, String> extra) {
        return handler(extra, config -> new HttpSender(config.httpMaxAttempts(), config.httpMaxRetryAfter(), d -> { }));
    }

    /** The same, sending to the sinks through {@code http}. */
    OpenTicketHandler handler(Map<String, String> extra, Function<TicketConfig, HttpSender> http) {
        Map<String, String> env = new HashMap<>(Map.of("AWS_REGION", REGION, "DECKHAND_TICKET_SINKS", "opscenter,github,jira",
                "DECKHAND_TICKET_GITHUB_REPOSITORY", "acme/platform", "DECKHAND_TICKET_GITHUB_TOKEN_PARAMETER", "/deckhand/github-token",
                "DECKHAND_TICKET_GITHUB_API_URL", api.uri("/github").toString(), "DECKHAND_TICKET_JIRA_URL", api.uri("/jira").toString(),
                "DECKHAND_TICKET_JIRA_PROJECT", "OPS", "DECKHAND_TICKET_JIRA_EMAIL", JIRA_EMAIL,
                "DECKHAND_TICKET_JIRA_TOKEN_PARAMETER", "/deckhand/jira-token"));
        env.putAll(extra);
        TicketConfig config = TicketConfig.from(new Env(env), true);
        return handler(config, http.apply(config));
    }

    /** open-ticket built with {@code config} as it stands (a deployed one refuses a loopback sink), on this account. */
    OpenTicketHandler handler(TicketConfig config, HttpSender http) {
        return new OpenTicketHandler(config, new OpenTicketHandler.Clients(client(EcrClient.builder()), client(EcsClient.builder()),
                client(CodeDeployClient.builder()), ssm, client(Inspector2Client.builder()), client(AutoScalingClient.builder()),
                client(Ec2Client.builder()), http), calls, Clock.systemUTC());
    }

    private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(B builder) {
        return aws.functionClient("OpenTicketFunction", builder, REGION, calls);
    }

    @Override
    public void close() {
        api.close();
    }
}
