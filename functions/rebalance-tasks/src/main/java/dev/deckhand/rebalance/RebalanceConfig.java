package dev.deckhand.rebalance;

import dev.deckhand.core.config.CommonConfig;
import dev.deckhand.core.config.ConfigException;
import dev.deckhand.core.config.Env;
import dev.deckhand.core.config.ManagedClusters;
import dev.deckhand.rebalance.planner.Budget;
import java.time.Duration;

/**
 * rebalance-tasks' configuration, read once per container. Every key, its default and its validation:
 * <ul>
 * <li>{@code DECKHAND_CLUSTERS}: cluster names, comma-separated; empty (default) = every cluster.</li>
 * <li>{@code DECKHAND_DRY_RUN}: {@code true} plans and logs, stops nothing; default {@code false}.</li>
 * <li>{@code DECKHAND_REBALANCE_MAX_PER_SERVICE}: tasks stopped per service per run; default 2, 1 to 100.</li>
 * <li>{@code DECKHAND_REBALANCE_MAX_PER_CLUSTER}: tasks stopped per cluster per run; default 10, 1 to 1000.</li>
 * <li>{@code DECKHAND_REBALANCE_COOLDOWN}: how long a service is left alone after Deckhand moved its
 * tasks; default 30m, 0s to 24h.</li>
 * <li>{@code AWS_REGION}: set by Lambda; events from another region are refused.</li>
 * </ul>
 */
public record RebalanceConfig(ManagedClusters clusters, boolean dryRun, String region, Budget budget) {

    public static final String MAX_PER_SERVICE = "DECKHAND_REBALANCE_MAX_PER_SERVICE";
    public static final String MAX_PER_CLUSTER = "DECKHAND_REBALANCE_MAX_PER_CLUSTER";
    public static final String COOLDOWN = "DECKHAND_REBALANCE_COOLDOWN";

    public RebalanceConfig {
        CommonConfig.requireRegion(region);
        if (budget.cooldown().isNegative() || budget.cooldown().compareTo(Duration.ofHours(24)) > 0) {
            throw new ConfigException(COOLDOWN + " must be between 0s and 24h, got " + budget.cooldown());
        }
    }

    public static RebalanceConfig from(Env env) {
        CommonConfig common = CommonConfig.from(env);
        return new RebalanceConfig(common.clusters(), common.dryRun(), common.region(),
                new Budget(env.integer(MAX_PER_SERVICE, 2, 1, 100), env.integer(MAX_PER_CLUSTER, 10, 1, 1000),
                        env.duration(COOLDOWN, Duration.ofMinutes(30))));
    }
}
