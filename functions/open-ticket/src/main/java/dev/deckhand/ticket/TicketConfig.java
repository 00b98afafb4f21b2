package dev.deckhand.ticket;

import dev.deckhand.core.config.CommonConfig;
import dev.deckhand.core.config.ConfigException;
import dev.deckhand.core.config.Env;
import dev.deckhand.core.config.ManagedClusters;
import dev.deckhand.ticket.planner.Severity;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * open-ticket's configuration, read once per container. Every key, its default and its validation:
 * <ul>
 * <li>{@code DECKHAND_CLUSTERS}: clusters searched for where an image runs, and whose deployments are ticketed; empty = every cluster.</li>
 * <li>{@code DECKHAND_DRY_RUN}: {@code true} reads and decides, creates nothing, posts nothing; default {@code false}.</li>
 * <li>{@code DECKHAND_TICKET_MIN_SEVERITY}: informational, low, medium, high (default), critical.</li>
 * <li>{@code DECKHAND_TICKET_SINKS}: ticket sinks, comma-separated, of opscenter (default), github, jira; {@code none} for chat only.</li>
 * <li>{@code DECKHAND_TICKET_GITHUB_REPOSITORY} ({@code owner/name}), {@code DECKHAND_TICKET_GITHUB_TOKEN_PARAMETER}
 * (SSM SecureString name), {@code DECKHAND_TICKET_GITHUB_API_URL} (default https://api.github.com): required with github.</li>
 * <li>{@code DECKHAND_TICKET_JIRA_URL} (https://your-site.atlassian.net), {@code DECKHAND_TICKET_JIRA_PROJECT} (key),
 * {@code DECKHAND_TICKET_JIRA_EMAIL}, {@code DECKHAND_TICKET_JIRA_TOKEN_PARAMETER}: required with jira;
 * {@code DECKHAND_TICKET_JIRA_ISSUE_TYPE} default Bug.</li>
 * <li>{@code DECKHAND_CHAT_WEBHOOK_PARAMETER}: SSM SecureString holding a Slack-compatible incoming-webhook URL; empty = no chat.</li>
 * <li>{@code DECKHAND_TICKET_MAX_FINDINGS}: worst findings listed in an ECR ticket; default 10, 1 to 50.</li>
 * <li>{@code DECKHAND_TICKET_MAX_CLUSTERS}: clusters searched for where an image runs; default 10, 1 to 100.</li>
 * <li>{@code DECKHAND_TICKET_STOPPED_TASKS}: stopped tasks shown as evidence; default 5, 1 to 20.</li>
 * <li>{@code DECKHAND_HTTP_MAX_ATTEMPTS}: tries of one HTTP call to a sink (429 and 5xx); default 4, 1 to 10.</li>
 * <li>{@code DECKHAND_HTTP_MAX_RETRY_AFTER}: the longest Retry-After honoured; longer fails the invocation; default 20s, 0s to 5m.</li>
 * <li>{@code AWS_REGION}: set by Lambda; events from another region are refused.</li>
 * </ul>
 * Sink URLs (GitHub, Jira, the chat webhook) must be https. The tests' fake servers are http on
 * loopback: only {@link #from(Env, boolean)} allows them, which the tests call and the Lambda
 * constructor never does, and never in Lambda (AWS_LAMBDA_FUNCTION_NAME set), whatever the caller.
 */
public record TicketConfig(ManagedClusters clusters, boolean dryRun, String region, Severity minSeverity, Set<SinkKind> sinks,
                           GitHub github, Jira jira, String chatWebhookParameter, int maxFindings, int maxClusters,
                           int stoppedTasks, int httpMaxAttempts, Duration httpMaxRetryAfter, boolean loopbackSinks) {

    /** An SSM parameter name, a GitHub owner/repository, a Jira project key, an e-mail address. */
    private static final Pattern PARAMETER_NAME_FORM = Pattern.compile("/?[A-Za-z0-9_.\\-/]{1,1011}");
    private static final Pattern REPOSITORY_FORM = Pattern.compile("[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}");
    private static final Pattern PROJECT_KEY_FORM = Pattern.compile("[A-Z][A-Z0-9_]{1,9}");
    private static final Pattern EMAIL_FORM = Pattern.compile("[^@\\s]+@[^@\\s]+");

    public enum SinkKind { OPSCENTER, GITHUB, JIRA }

    public record GitHub(String repository, String tokenParameter, URI apiUrl) {
    }

    public record Jira(URI url, String project, String issueType, String email, String tokenParameter) {
    }

    public static final String MIN_SEVERITY = "DECKHAND_TICKET_MIN_SEVERITY";
    public static final String SINKS = "DECKHAND_TICKET_SINKS";
    public static final String GITHUB_REPOSITORY = "DECKHAND_TICKET_GITHUB_REPOSITORY";
    public static final String GITHUB_TOKEN_PARAMETER = "DECKHAND_TICKET_GITHUB_TOKEN_PARAMETER";
    public static final String GITHUB_API_URL = "DECKHAND_TICKET_GITHUB_API_URL";
    public static final String JIRA_URL = "DECKHAND_TICKET_JIRA_URL";
    public static final String JIRA_PROJECT = "DECKHAND_TICKET_JIRA_PROJECT";
    public static final String JIRA_ISSUE_TYPE = "DECKHAND_TICKET_JIRA_ISSUE_TYPE";
    public static final String JIRA_EMAIL = "DECKHAND_TICKET_JIRA_EMAIL";
    public static final String JIRA_TOKEN_PARAMETER = "DECKHAND_TICKET_JIRA_TOKEN_PARAMETER";
    public static final String CHAT_WEBHOOK_PARAMETER = "DECKHAND_CHAT_WEBHOOK_PARAMETER";
    /** Set by Lambda in every function (a reserved key: configuration can neither set nor unset it). */
    static final String LAMBDA_FUNCTION_NAME = "AWS_LAMBDA_FUNCTION_NAME";

    public TicketConfig {
        CommonConfig.requireRegion(region);
        // In EnumSet order (opscenter, github, jira): the order sinks are published to.
        sinks = Collections.unmodifiableSet(sinks.isEmpty() ? EnumSet.noneOf(SinkKind.class) : EnumSet.copyOf(sinks));
        if (sinks.contains(SinkKind.GITHUB) && github == null) {
            throw new ConfigException(SINKS + " names github: set " + GITHUB_REPOSITORY + " and " + GITHUB_TOKEN_PARAMETER);
        }
        if (sinks.contains(SinkKind.JIRA) && jira == null) {
            throw new ConfigException(SINKS + " names jira: set " + JIRA_URL + ", " + JIRA_PROJECT + ", " + JIRA_EMAIL + " and " + JIRA_TOKEN_PARAMETER);
        }
    }

    /** What a deployed function reads: sink URLs https only. */
    public static TicketConfig from(Env env) {
        return from(env, false);
    }

    /**
     * With {@code loopbackSinks}, http to 127.0.0.1 or localhost is allowed too, for the tests' fake
     * GitHub, Jira and chat servers. Not an environment key, and refused in Lambda: Lambda sets
     * AWS_LAMBDA_FUNCTION_NAME in every function, and it cannot be set or unset by configuration.
     */
    public static TicketConfig from(Env env, boolean loopbackSinks) {
        CommonConfig common = CommonConfig.from(env);
        if (loopbackSinks && env.raw(LAMBDA_FUNCTION_NAME) != null) {
            throw new ConfigException("loopback sinks are for tests only; this is a Lambda function (" + LAMBDA_FUNCTION_NAME + " is set)");
        }
        Set<SinkKind> sinks = sinks(env);
        GitHub github = null;
        if (sinks.contains(SinkKind.GITHUB)) {
            String repository = env.required(GITHUB_REPOSITORY);
            if (!REPOSITORY_FORM.matcher(repository).matches()) {
                throw new ConfigException(GITHUB_REPOSITORY + " must be owner/name, got '" + repository + "'");
            }
            github = new GitHub(repository, parameterName(env, GITHUB_TOKEN_PARAMETER, true),
                    url(env, GITHUB_API_URL, "https://api.github.com", loopbackSinks));
        }
        Jira jira = null;
        if (sinks.contains(SinkKind.JIRA)) {
            String project = env.required(JIRA_PROJECT);
            if (!PROJECT_KEY_FORM.matcher(project).matches()) {
                throw new ConfigException(JIRA_PROJECT + " must be a Jira project key such as OPS, got '" + project + "'");
            }
            String email = env.required(JIRA_EMAIL);
            if (!EMAIL_FORM.matcher(email).matches()) {
                throw new ConfigException(JIRA_EMAIL + " must be the email of the account the API token belongs to");
            }
            jira = new Jira(url(env, JIRA_URL, null, loopbackSinks), project, env.string(JIRA_ISSUE_TYPE, "Bug"), email,
                    parameterName(env, JIRA_TOKEN_PARAMETER, true));
        }
        Duration retryAfter = env.duration("DECKHAND_HTTP_MAX_RETRY_AFTER", Duration.ofSeconds(20));
        if (retryAfter.isNegative() || retryAfter.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new ConfigException("DECKHAND_HTTP_MAX_RETRY_AFTER must be between 0s and 5m, got " + retryAfter);
        }
        Severity min = Severity.parse(env.string(MIN_SEVERITY, "HIGH"));
        if (min == null || min == Severity.UNDEFINED) {
            throw new ConfigException(MIN_SEVERITY + " must be one of informational, low, medium, high, critical, got '"
                    + env.raw(MIN_SEVERITY) + "'");
        }
        return new TicketConfig(common.clusters(), common.dryRun(), common.region(), min, sinks,
                github, jira, parameterName(env, CHAT_WEBHOOK_PARAMETER, false),
                env.integer("DECKHAND_TICKET_MAX_FINDINGS", 10, 1, 50), env.integer("DECKHAND_TICKET_MAX_CLUSTERS", 10, 1, 100),
                env.integer("DECKHAND_TICKET_STOPPED_TASKS", 5, 1, 20), env.integer("DECKHAND_HTTP_MAX_ATTEMPTS", 4, 1, 10), retryAfter,
                loopbackSinks);
    }

    /** The SSM parameters whose values are secrets, in a stable order. */
    public List<String> secretParameters() {
        List<String> names = new ArrayList<>();
        if (github != null) {
            names.add(github.tokenParameter());
        }
        if (jira != null) {
            names.add(jira.tokenParameter());
        }
        if (chatWebhookParameter != null) {
            names.add(chatWebhookParameter);
        }
        return List.copyOf(names);
    }

    private static Set<SinkKind> sinks(Env env) {
        List<String> names = env.raw(SINKS) == null ? List.of("opscenter") : env.list(SINKS);
        Set<SinkKind> sinks = EnumSet.noneOf(SinkKind.class);
        for (String name : names) {
            if (name.equalsIgnoreCase("none") && names.size() == 1) {
                return sinks;
            }
            try {
                sinks.add(SinkKind.valueOf(name.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(SINKS + " must list opscenter, github, jira (or be none), got '" + name + "'");
            }
        }
        return sinks;
    }

    private static String parameterName(Env env, String key, boolean required) {
        String name = required ? env.required(key) : env.raw(key);
        if (name != null && !PARAMETER_NAME_FORM.matcher(name).matches()) {
            throw new ConfigException(key + " must be an SSM parameter name (letters, digits, _ . - /), got '" + name + "'");
        }
        return name;
    }

    private static URI url(Env env, String key, String defaultValue, boolean loopbackSinks) {
        String value = defaultValue == null ? env.required(key) : env.string(key, defaultValue);
        URI uri;
        try {
            uri = URI.create(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + " must be a URL, got '" + value + "'");
        }
        if (!isAllowed(uri, loopbackSinks)) {
            throw new ConfigException(key + " must be an https URL, got '" + value + "'");
        }
        return uri;
    }

    /** Whether a sink may be sent to {@code uri}: https with a host, or http on loopback when this configuration is a test's. */
    public boolean sinkUrlAllowed(URI uri) {
        return isAllowed(uri, loopbackSinks);
    }

    private static boolean isAllowed(URI uri, boolean loopbackSinks) {
        if (uri.getHost() == null) {
            return false;
        }
        return "https".equals(uri.getScheme()) || loopbackSinks && "http".equals(uri.getScheme())
                && (uri.getHost().equals("127.0.0.1") || uri.getHost().equals("localhost"));
    }
}
