package dev.deckhand.drain;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deckhand.core.config.CommonConfig;
import dev.deckhand.core.config.ConfigException;
import dev.deckhand.core.config.DisruptionBudget;
import dev.deckhand.core.config.Env;
import dev.deckhand.core.config.ManagedClusters;
import dev.deckhand.core.config.RebalancePolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * drain-instance's configuration, read once per container. Every key, its default and its
 * validation:
 * <ul>
 * <li>{@code DECKHAND_CLUSTERS}: cluster names, comma-separated; empty (default) = every cluster
 * in the account and region.</li>
 * <li>{@code DECKHAND_DRY_RUN}: {@code true} reads, decides and logs, and changes nothing; default
 * {@code false}.</li>
 * <li>{@code DECKHAND_REBALANCE_POLICY}: {@code drain} (default), {@code notify} or {@code ignore}.</li>
 * <li>{@code DECKHAND_DRAIN_DEADLINE}: how long a terminate lifecycle hook waits for tasks to
 * leave before it completes anyway; default 1h, 1m to 48h (Auto Scaling's own limit). Each hook's
 * GlobalTimeout (the smaller of 48h and 100 x its HeartbeatTimeout) caps it: the wait then ends
 * shortly before that.</li>
 * <li>{@code DECKHAND_LAUNCH_DEADLINE}: how long a launch hook waits for the instance to be ACTIVE
 * with its agent connected before it is ABANDONed; default 15m, 1m to 48h; capped the same way.</li>
 * <li>{@code DECKHAND_RECHECK_QUEUE_URL}: the SQS queue a hook's wait re-checks through (set by
 * template.yaml); required.</li>
 * <li>{@code DECKHAND_RECHECK_INTERVAL}: time between checks of a hook's wait; default 30s, 5s to
 * 15m (SQS's longest delay).</li>
 * <li>{@code DECKHAND_RECHECK_MAX_RECEIVES}: the recheck queue's maxReceiveCount; a failing check
 * comes back within seconds (bounded by the hook's time left), and on the last receive it
 * completes the hook rather than leave it to its timeout; default 5.</li>
 * <li>{@code DECKHAND_LIFECYCLE_HOOK_PREFIX}: only hooks whose name starts with it are Deckhand's;
 * default {@code deckhand-}.</li>
 * <li>{@code DECKHAND_PREDRAIN_DOCUMENT}: an SSM document to run on the instance when its drain
 * starts; empty (default) = none.</li>
 * <li>{@code DECKHAND_PREDRAIN_PARAMETERS}: the document's parameters, a JSON object of string
 * lists, e.g. {@code {"commands":["systemctl kill -s USR1 fluent-bit"]}}; default {}.</li>
 * <li>{@code DECKHAND_HEALTH_DRAIN_LEAD}: how long before an AWS Health scheduled change's
 * {@code startTime} (instance retirement, stop, reboot maintenance) the instance is drained;
 * default 1h, 5m to 7d. An event that arrives inside the lead drains at once.</li>
 * <li>{@code DECKHAND_REBALANCE_DRAIN_MAX}: how long an instance drained for a rebalance recommendation
 * (its group has Capacity Rebalancing) waits for Auto Scaling to replace and terminate it; still in
 * service then, it is set ACTIVE again. Default 1h, 15m to 24h.</li>
 * <li>{@code DECKHAND_RETIREMENT_MAX_DRAINING}, {@code DECKHAND_RETIREMENT_MAX_DRAINING_PERCENT}: the disruption
 * budget a retirement request drains within (template.yaml sets rotate-ami's {@code RotateMaxDraining} and
 * {@code RotateMaxDrainingPercent}); default 2 and 25, 1 to 1000 and 1 to 100.</li>
 * <li>{@code AWS_REGION}: set by Lambda; events from another region are refused.</li>
 * </ul>
 */
public record DrainConfig(
        ManagedClusters clusters,
        boolean dryRun,
        String region,
        RebalancePolicy rebalancePolicy,
        Duration drainDeadline,
        Duration launchDeadline,
        String recheckQueueUrl,
        Duration recheckInterval,
        int recheckMaxReceives,
        String lifecycleHookPrefix,
        String preDrainDocument,
        Map<String, List<String>> preDrainParameters,
        Duration healthDrainLead,
        DisruptionBudget retirementBudget,
        Duration rebalanceDrainMax) {

    public static final String DRAIN_DEADLINE = "DECKHAND_DRAIN_DEADLINE";
    public static final String LAUNCH_DEADLINE = "DECKHAND_LAUNCH_DEADLINE";
    public static final String RECHECK_QUEUE_URL = "DECKHAND_RECHECK_QUEUE_URL";
    public static final String RECHECK_INTERVAL = "DECKHAND_RECHECK_INTERVAL";
    public static final String RECHECK_MAX_RECEIVES = "DECKHAND_RECHECK_MAX_RECEIVES";
    public static final String LIFECYCLE_HOOK_PREFIX = "DECKHAND_LIFECYCLE_HOOK_PREFIX";
    public static final String PREDRAIN_DOCUMENT = "DECKHAND_PREDRAIN_DOCUMENT";
    public static final String PREDRAIN_PARAMETERS = "DECKHAND_PREDRAIN_PARAMETERS";
    public static final String HEALTH_DRAIN_LEAD = "DECKHAND_HEALTH_DRAIN_LEAD";
    public static final String RETIREMENT_MAX_DRAINING = "DECKHAND_RETIREMENT_MAX_DRAINING";
    public static final String RETIREMENT_MAX_DRAINING_PERCENT = "DECKHAND_RETIREMENT_MAX_DRAINING_PERCENT";
    public static final String REBALANCE_DRAIN_MAX = "DECKHAND_REBALANCE_DRAIN_MAX";
    /** How long an instance drained for a rebalance recommendation waits for Auto Scaling's replacement before it is ACTIVE again. */
    public static final Duration DEFAULT_REBALANCE_DRAIN_MAX = Duration.ofHours(1);
    /** rotate-ami's own defaults for its budget. */
    public static final DisruptionBudget DEFAULT_RETIREMENT_BUDGET = new DisruptionBudget(2, 25);
    /** The lead's bounds: long enough for a drain (deregistration delay, stop timeouts), short enough to strand no capacity for weeks. */
    public static final Duration MIN_HEALTH_DRAIN_LEAD = Duration.ofMinutes(5);
    public static final Duration MAX_HEALTH_DRAIN_LEAD = Duration.ofDays(7);

    /** SSM document names: letters, digits, _ - . and an optional ARN form. */
    private static final Pattern QUEUE_URL = Pattern.compile("https?://\\S+/\\d{12}/[\\w-]{1,80}");
    private static final Pattern DOCUMENT = Pattern.compile("(arn:[\\w-]+:ssm:[\\w-]+:\\d*:document/)?[a-zA-Z0-9_.-]{3,128}");

    public DrainConfig {
        CommonConfig.requireRegion(region);
        if (recheckQueueUrl == null || !QUEUE_URL.matcher(recheckQueueUrl).matches()) {
            throw new ConfigException(RECHECK_QUEUE_URL + " must be an SQS queue URL (template.yaml sets it), got '"
                    + recheckQueueUrl + "'");
        }
        within(DRAIN_DEADLINE, drainDeadline, Duration.ofMinutes(1), Duration.ofHours(48));
        within(LAUNCH_DEADLINE, launchDeadline, Duration.ofMinutes(1), Duration.ofHours(48));
        within(RECHECK_INTERVAL, recheckInterval, Duration.ofSeconds(5), Duration.ofMinutes(15));
        within(HEALTH_DRAIN_LEAD, healthDrainLead, MIN_HEALTH_DRAIN_LEAD, MAX_HEALTH_DRAIN_LEAD);
        within(REBALANCE_DRAIN_MAX, rebalanceDrainMax, Duration.ofMinutes(15), Duration.ofHours(24));
        if (preDrainDocument != null && !DOCUMENT.matcher(preDrainDocument).matches()) {
            throw new ConfigException(PREDRAIN_DOCUMENT + " must be an SSM document name or ARN, got '" + preDrainDocument + "'");
        }
        preDrainParameters = Map.copyOf(preDrainParameters);
        if (retirementBudget == null) {
            throw new ConfigException(RETIREMENT_MAX_DRAINING + " / " + RETIREMENT_MAX_DRAINING_PERCENT + " must be set");
        }
    }

    private static void within(String key, Duration value, Duration min, Duration max) {
        if (value == null) {
            throw new ConfigException(key + " must be set");
        }
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new ConfigException(key + " must be between " + min.toString().substring(2).toLowerCase()
                    + " and " + max.toString().substring(2).toLowerCase() + ", got " + value.toString().substring(2).toLowerCase());
        }
    }

    public static DrainConfig from(Env env) {
        CommonConfig common = CommonConfig.from(env);
        return new DrainConfig(
                common.clusters(), common.dryRun(), common.region(),
                RebalancePolicy.from(env),
                env.duration(DRAIN_DEADLINE, Duration.ofHours(1)),
                env.duration(LAUNCH_DEADLINE, Duration.ofMinutes(15)),
                env.raw(RECHECK_QUEUE_URL),
                env.duration(RECHECK_INTERVAL, Duration.ofSeconds(30)),
                env.integer(RECHECK_MAX_RECEIVES, 5, 2, 1000),
                env.string(LIFECYCLE_HOOK_PREFIX, "deckhand-"),
                env.raw(PREDRAIN_DOCUMENT),
                parameters(env.raw(PREDRAIN_PARAMETERS)),
                env.duration(HEALTH_DRAIN_LEAD, Duration.ofHours(1)),
                new DisruptionBudget(env.integer(RETIREMENT_MAX_DRAINING, 2, 1, 1000), env.integer(RETIREMENT_MAX_DRAINING_PERCENT, 25, 1, 100)),
                env.duration(REBALANCE_DRAIN_MAX, DEFAULT_REBALANCE_DRAIN_MAX));
    }

    /** For tests: every optional key at its default. */
    public static DrainConfig defaults(ManagedClusters clusters, boolean dryRun, String region, String recheckQueueUrl) {
        return new DrainConfig(clusters, dryRun, region, RebalancePolicy.DRAIN, Duration.ofHours(1), Duration.ofMinutes(15),
                recheckQueueUrl, Duration.ofSeconds(30), 5, "deckhand-", null, Map.of(), Duration.ofHours(1),
                DEFAULT_RETIREMENT_BUDGET, DEFAULT_REBALANCE_DRAIN_MAX);
    }

    public DrainConfig withRebalancePolicy(RebalancePolicy policy) {
        return new DrainConfig(clusters, dryRun, region, policy, drainDeadline, launchDeadline, recheckQueueUrl,
                recheckInterval, recheckMaxReceives, lifecycleHookPrefix, preDrainDocument, preDrainParameters, healthDrainLead,
                retirementBudget, rebalanceDrainMax);
    }

    public DrainConfig withPreDrain(String document, Map<String, List<String>> parameters) {
        return new DrainConfig(clusters, dryRun, region, rebalancePolicy, drainDeadline, launchDeadline, recheckQueueUrl,
                recheckInterval, recheckMaxReceives, lifecycleHookPrefix, document, parameters, healthDrainLead, retirementBudget,
                rebalanceDrainMax);
    }

    public DrainConfig withDeadlines(Duration drain, Duration launch) {
        return new DrainConfig(clusters, dryRun, region, rebalancePolicy, drain, launch, recheckQueueUrl,
                recheckInterval, recheckMaxReceives, lifecycleHookPrefix, preDrainDocument, preDrainParameters, healthDrainLead,
                retirementBudget, rebalanceDrainMax);
    }

    public DrainConfig withHealthDrainLead(Duration lead) {
        return new DrainConfig(clusters, dryRun, region, rebalancePolicy, drainDeadline, launchDeadline, recheckQueueUrl,
                recheckInterval, recheckMaxReceives, lifecycleHookPrefix, preDrainDocument, preDrainParameters, lead, retirementBudget,
                rebalanceDrainMax);
    }

    public DrainConfig withRetirementBudget(DisruptionBudget budget) {
        return new DrainConfig(clusters, dryRun, region, rebalancePolicy, drainDeadline, launchDeadline, recheckQueueUrl,
                recheckInterval, recheckMaxReceives, lifecycleHookPrefix, preDrainDocument, preDrainParameters, healthDrainLead, budget,
                rebalanceDrainMax);
    }

    private static Map<String, List<String>> parameters(String json) {
        if (json == null) {
            return Map.of();
        }
        try {
            return new ObjectMapper().readValue(json, new TypeReference<Map<String, List<String>>>() { });
        } catch (Exception e) {
            throw new ConfigException(PREDRAIN_PARAMETERS + " must be a JSON object of string lists, such as "
                    + "{\"commands\":[\"echo flush\"]}");
        }
    }
}
