package dev.deckhand.capacity;

import dev.deckhand.capacity.planner.HoldSettings;
import dev.deckhand.core.aws.DeckhandBus;
import dev.deckhand.core.config.CommonConfig;
import dev.deckhand.core.config.ConfigException;
import dev.deckhand.core.config.Env;
import dev.deckhand.core.config.ManagedClusters;
import dev.deckhand.core.config.RebalancePolicy;
import java.time.Duration;

/**
 * hold-capacity's configuration, read once per container. Every key, its default and its validation:
 * <ul>
 * <li>{@code DECKHAND_CLUSTERS}: cluster names, comma-separated; empty (default) = every cluster.</li>
 * <li>{@code DECKHAND_DRY_RUN}: {@code true} reads, decides and logs, changes nothing; default {@code false}.</li>
 * <li>{@code DECKHAND_HOLD_MAX}: the most On-Demand capacity Deckhand adds to one cluster, unless its
 * lever's tag {@code deckhand:hold-max} says otherwise; default 10, 0 to 1000.</li>
 * <li>{@code DECKHAND_HOLD_WINDOW}: a Spot loss signal older than this is stale and not counted; default 10m, 1m to 24h.</li>
 * <li>{@code DECKHAND_HOLD_COOLDOWN}: no hand-back step sooner than this after a raise or the previous step; default 30m, 0s to 24h.</li>
 * <li>{@code DECKHAND_HOLD_STABLE_PERIOD}: how long the Spot side must have been at its desired capacity
 * before a step; default 30m, 0s to 7d.</li>
 * <li>{@code DECKHAND_HOLD_DRAIN_WAIT}: how long a retiring instance may take to drain before its step
 * completes anyway; default 15m, 1m to 48h.</li>
 * <li>{@code DECKHAND_EVENT_BUS}: the bus retirement requests go to; default {@code default}.</li>
 * <li>{@code DECKHAND_REBALANCE_POLICY}: drain-instance's policy for rebalance recommendations, read here
 * too: {@code drain} (default) holds capacity for a recommendation; under {@code notify} or {@code ignore}
 * drain-instance leaves the instance ACTIVE, nothing is lost, and a recommendation buys no On-Demand.</li>
 * <li>{@code AWS_REGION}: set by Lambda; events from another region are refused.</li>
 * </ul>
 */
public record HoldConfig(ManagedClusters clusters, boolean dryRun, String region, int defaultCap, HoldSettings settings,
                         String eventBus, RebalancePolicy rebalancePolicy) {

    /** With the default rebalance policy, {@code drain}. */
    public HoldConfig(ManagedClusters clusters, boolean dryRun, String region, int defaultCap, HoldSettings settings, String eventBus) {
        this(clusters, dryRun, region, defaultCap, settings, eventBus, RebalancePolicy.DRAIN);
    }

    public HoldConfig withRebalancePolicy(RebalancePolicy policy) {
        return new HoldConfig(clusters, dryRun, region, defaultCap, settings, eventBus, policy);
    }

    public static final String MAX = "DECKHAND_HOLD_MAX";
    public static final String WINDOW = "DECKHAND_HOLD_WINDOW";
    public static final String COOLDOWN = "DECKHAND_HOLD_COOLDOWN";
    public static final String STABLE_PERIOD = "DECKHAND_HOLD_STABLE_PERIOD";
    public static final String DRAIN_WAIT = "DECKHAND_HOLD_DRAIN_WAIT";

    public HoldConfig {
        CommonConfig.requireRegion(region);
        within(WINDOW, settings.window(), Duration.ofMinutes(1), Duration.ofHours(24));
        within(COOLDOWN, settings.cooldown(), Duration.ZERO, Duration.ofHours(24));
        within(STABLE_PERIOD, settings.stablePeriod(), Duration.ZERO, Duration.ofDays(7));
        within(DRAIN_WAIT, settings.drainWait(), Duration.ofMinutes(1), Duration.ofHours(48));
        if (rebalancePolicy == null) {
            throw new ConfigException(RebalancePolicy.KEY + " must be drain, notify or ignore");
        }
        DeckhandBus.checkedName(eventBus);
    }

    public static HoldConfig from(Env env) {
        CommonConfig common = CommonConfig.from(env);
        return new HoldConfig(common.clusters(), common.dryRun(), common.region(),
                env.integer(MAX, 10, 0, 1000),
                new HoldSettings(env.duration(WINDOW, Duration.ofMinutes(10)), env.duration(COOLDOWN, Duration.ofMinutes(30)),
                        env.duration(STABLE_PERIOD, Duration.ofMinutes(30)), env.duration(DRAIN_WAIT, Duration.ofMinutes(15))),
                env.string(DeckhandBus.KEY, "default"), RebalancePolicy.from(env));
    }

    private static void within(String key, Duration value, Duration min, Duration max) {
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new ConfigException(key + " must be between " + min + " and " + max + ", got " + value);
        }
    }
}
