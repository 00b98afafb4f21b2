package dev.deckhand.ticket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deckhand.core.config.ConfigException;
import dev.deckhand.core.config.Env;
import dev.deckhand.ticket.planner.Severity;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TicketConfigTest {

    private static TicketConfig config(String... pairs) {
        Map<String, String> env = new HashMap<>(Map.of("AWS_REGION", "us-east-2"));
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return TicketConfig.from(new Env(env));
    }

    private static String refused(String... pairs) {
        return assertThrows(ConfigException.class, () -> config(pairs)).getMessage();
    }

    @Test
    void defaults_opsCenterOnly_high_noChat_noSecrets() {
        TicketConfig config = config();

        assertEquals(Set.of(TicketConfig.SinkKind.OPSCENTER), config.sinks());
        assertEquals(Severity.HIGH, config.minSeverity());
        assertEquals(List.of(), config.secretParameters());
        assertEquals(null, config.chatWebhookParameter());
    }

    @Test
    void badValues_nameTheKey() {
        assertTrue(refused("DECKHAND_TICKET_SINKS", "email").contains("DECKHAND_TICKET_SINKS"));
        assertTrue(refused("DECKHAND_TICKET_MIN_SEVERITY", "urgent").contains("DECKHAND_TICKET_MIN_SEVERITY"));
        assertTrue(refused("DECKHAND_TICKET_SINKS", "github").contains("DECKHAND_TICKET_GITHUB_REPOSITORY"));
        assertTrue(refused("DECKHAND_TICKET_SINKS", "github", "DECKHAND_TICKET_GITHUB_REPOSITORY", "not a repo",
                "DECKHAND_TICKET_GITHUB_TOKEN_PARAMETER", "/t").contains("owner/name"));
        assertTrue(refused("DECKHAND_TICKET_SINKS", "jira", "DECKHAND_TICKET_JIRA_URL", "http://jira.example.com", "DECKHAND_TICKET_JIRA_PROJECT",
                "OPS", "DECKHAND_TICKET_JIRA_EMAIL", "a@b.c", "DECKHAND_TICKET_JIRA_TOKEN_PARAMETER", "/j").contains("https"));
        assertTrue(refused("DECKHAND_CHAT_WEBHOOK_PARAMETER", "not a name!").contains("DECKHAND_CHAT_WEBHOOK_PARAMETER"));
        assertTrue(refused("DECKHAND_HTTP_MAX_RETRY_AFTER", "1h").contains("DECKHAND_HTTP_MAX_RETRY_AFTER"));
        assertTrue(refused("AWS_REGION", "").contains("AWS_REGION"));
    }

    @Test
    void severalSinks_andChatOnly() {
        assertEquals(Set.of(), config("DECKHAND_TICKET_SINKS", "none", "DECKHAND_CHAT_WEBHOOK_PARAMETER", "/c").sinks());
        TicketConfig all = config("DECKHAND_TICKET_SINKS", "opscenter,github", "DECKHAND_TICKET_GITHUB_REPOSITORY", "acme/platform",
                "DECKHAND_TICKET_GITHUB_TOKEN_PARAMETER", "/deckhand/gh", "DECKHAND_CHAT_WEBHOOK_PARAMETER", "/deckhand/chat");
        assertEquals(List.of("/deckhand/gh", "/deckhand/chat"), all.secretParameters());
        assertEquals("https://api.github.com", all.github().apiUrl().toString());
    }

    @Test
    void deployedConfig_refusesLoopbackSinkUrls() {
        assertTrue(refused("DECKHAND_TICKET_SINKS", "github", "DECKHAND_TICKET_GITHUB_REPOSITORY", "acme/platform",
                "DECKHAND_TICKET_GITHUB_TOKEN_PARAMETER", "/t", "DECKHAND_TICKET_GITHUB_API_URL", "http://127.0.0.1:8080")
                .contains("DECKHAND_TICKET_GITHUB_API_URL"));
        assertTrue(refused("DECKHAND_TICKET_SINKS", "jira", "DECKHAND_TICKET_JIRA_URL", "http://localhost:9000", "DECKHAND_TICKET_JIRA_PROJECT",
                "OPS", "DECKHAND_TICKET_JIRA_EMAIL", "a@b.c", "DECKHAND_TICKET_JIRA_TOKEN_PARAMETER", "/j").contains("DECKHAND_TICKET_JIRA_URL"));
        assertEquals("https://jira.example.com", config("DECKHAND_TICKET_SINKS", "jira", "DECKHAND_TICKET_JIRA_URL", "https://jira.example.com",
                "DECKHAND_TICKET_JIRA_PROJECT", "OPS", "DECKHAND_TICKET_JIRA_EMAIL", "a@b.c", "DECKHAND_TICKET_JIRA_TOKEN_PARAMETER", "/j")
                .jira().url().toString());
    }

    @Test
    void loopbackSinks_onlyThroughTheTestsFactory_andNeverInLambda() {
        Map<String, String> env = new HashMap<>(Map.of("AWS_REGION", "us-east-2", "DECKHAND_TICKET_SINKS", "github",
                "DECKHAND_TICKET_GITHUB_REPOSITORY", "acme/platform", "DECKHAND_TICKET_GITHUB_TOKEN_PARAMETER", "/t",
                "DECKHAND_TICKET_GITHUB_API_URL", "http://127.0.0.1:8080"));

        TicketConfig tests = TicketConfig.from(new Env(env), true);

        assertEquals("http://127.0.0.1:8080", tests.github().apiUrl().toString());
        assertTrue(tests.sinkUrlAllowed(java.net.URI.create("http://localhost:1/chat")));
        assertTrue(!tests.sinkUrlAllowed(java.net.URI.create("http://hooks.example.com/chat")), "http elsewhere stays refused");
        env.put("AWS_LAMBDA_FUNCTION_NAME", "deckhand-OpenTicketFunction");
        String inLambda = assertThrows(ConfigException.class, () -> TicketConfig.from(new Env(env), true)).getMessage();
        assertTrue(inLambda.contains("AWS_LAMBDA_FUNCTION_NAME"), inLambda);
        assertTrue(!TicketConfig.from(new Env(Map.of("AWS_REGION", "us-east-2"))).sinkUrlAllowed(java.net.URI.create("http://127.0.0.1:1/chat")));
    }
}
