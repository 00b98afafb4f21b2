package dev.deckhand.core.config;

/**
 * The head every function's configuration shares, read and checked in one place: which clusters
 * Deckhand manages ({@code DECKHAND_CLUSTERS}, see {@link ManagedClusters}), dry run
 * ({@code DECKHAND_DRY_RUN}: read, decide and log, change nothing; default {@code false}), and the
 * region it acts in ({@code AWS_REGION}, set by Lambda; events from another region are refused).
 *
 * <pre>{@code
 * CommonConfig common = CommonConfig.from(env);
 * return new RebalanceConfig(common.clusters(), common.dryRun(), common.region(), budget);
 * }</pre>
 */
public record CommonConfig(ManagedClusters clusters, boolean dryRun, String region) {

    public static final String DRY_RUN = "DECKHAND_DRY_RUN";
    public static final String REGION = "AWS_REGION";

    public CommonConfig {
        requireRegion(region);
    }

    public static CommonConfig from(Env env) {
        return new CommonConfig(ManagedClusters.from(env), env.bool(DRY_RUN, false), env.raw(REGION));
    }

    /** Every function's configuration record checks its region with this, whichever way it was built. */
    public static void requireRegion(String region) {
        if (region == null || region.isBlank()) {
            throw new ConfigException(REGION + " must be set (Lambda sets it; locally, export it)");
        }
    }
}
