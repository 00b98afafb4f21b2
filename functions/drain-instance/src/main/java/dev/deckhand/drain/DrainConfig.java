package dev.deckhand.drain;

import dev.deckhand.core.config.ConfigException;
import dev.deckhand.core.config.Env;
import dev.deckhand.core.config.ManagedClusters;

/**
 * drain-instance's configuration, read once per container. Every key, its default and its
 * validation:
 * <ul>
 * <li>{@code DECKHAND_CLUSTERS}: cluster names, comma-separated; empty (default) = every cluster
 * in the account and region.</li>
 * <li>{@code DECKHAND_DRY_RUN}: {@code true} reads, decides and logs, and changes nothing; default
 * {@code false}.</li>
 * <li>{@code AWS_REGION}: set by Lambda; events from another region are refused.</li>
 * </ul>
 */
public record DrainConfig(ManagedClusters clusters, boolean dryRun, String region) {

    public static final String DRY_RUN = "DECKHAND_DRY_RUN";

    public DrainConfig {
        if (region == null || region.isBlank()) {
            throw new ConfigException("AWS_REGION must be set (Lambda sets it; locally, export it)");
        }
    }

    public static DrainConfig from(Env env) {
        return new DrainConfig(ManagedClusters.from(env), env.bool(DRY_RUN, false), env.raw("AWS_REGION"));
    }
}
