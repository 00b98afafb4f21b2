package dev.deckhand.rotate;

import dev.deckhand.core.aws.DeckhandBus;
import dev.deckhand.core.config.CommonConfig;
import dev.deckhand.core.config.ConfigException;
import dev.deckhand.core.config.Env;
import dev.deckhand.core.config.ManagedClusters;
import dev.deckhand.rotate.planner.Budget;
import dev.deckhand.rotate.planner.MaintenanceWindow;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * rotate-ami's configuration, read once per container. Every key, its default and its validation:
 * <ul>
 * <li>{@code DECKHAND_CLUSTERS}: cluster names, comma-separated; empty (default) = every cluster.</li>
 * <li>{@code DECKHAND_DRY_RUN}: {@code true} reads, plans and logs, changes nothing; default {@code false}.</li>
 * <li>{@code DECKHAND_AMI_DEFAULT_PARAMETER}: the SSM parameter of a template whose
 * {@code deckhand:ami-parameter} tag is empty; default
 * {@code /aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id}.</li>
 * <li>{@code DECKHAND_ROTATE_MAX_DRAINING}: instances of a cluster draining at once (any cause); default 2, 1 to 1000.</li>
 * <li>{@code DECKHAND_ROTATE_MAX_DRAINING_PERCENT}: the same as a share of the cluster; default 25, 1 to 100
 * (never below one instance).</li>
 * <li>{@code DECKHAND_ROTATE_CANARY_DEADLINE}: how long the canary's replacement may take to register
 * ACTIVE on the new image before the rotation is rolled back; default 30m, 5m to 24h.</li>
 * <li>{@code DECKHAND_MAX_INSTANCE_AGE_HOURS}: retire instances older than this even on the current
 * image (daily rotation); unset (default): never; 1 to 8760.</li>
 * <li>{@code DECKHAND_MAINTENANCE_WINDOW}: {@code cron(...)} (UTC) when retirement windows open; unset
 * (default): always open. {@code DECKHAND_MAINTENANCE_WINDOW_LENGTH}: how long each lasts; default 4h.</li>
 * <li>{@code DECKHAND_EVENT_BUS}: the bus retirement requests go to, a name or ARN; default {@code default}. The
 * template sets Deckhand's own bus, whose policy admits only Deckhand's publishers.</li>
 * <li>{@code AWS_REGION}: set by Lambda; events from another region are refused.</li>
 * </ul>
 */
public record RotateConfig(ManagedClusters clusters, boolean dryRun, String region, String defaultParameter, Budget budget,
                           MaintenanceWindow window, String eventBus) {

    public static final String DEFAULT_PARAMETER = "DECKHAND_AMI_DEFAULT_PARAMETER";
    public static final String MAX_DRAINING = "DECKHAND_ROTATE_MAX_DRAINING";
    public static final String MAX_DRAINING_PERCENT = "DECKHAND_ROTATE_MAX_DRAINING_PERCENT";
    public static final String CANARY_DEADLINE = "DECKHAND_ROTATE_CANARY_DEADLINE";
    public static final String MAX_AGE_HOURS = "DECKHAND_MAX_INSTANCE_AGE_HOURS";
    public static final String WINDOW = "DECKHAND_MAINTENANCE_WINDOW";
    public static final String WINDOW_LENGTH = "DECKHAND_MAINTENANCE_WINDOW_LENGTH";
    public static final String ECS_AL2023 = "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id";
    /** SSM parameter names: a path of letters, digits and {@code _.-/}, up to 1011 characters. */
    public static final Pattern PARAMETER_NAME = Pattern.compile("/?[A-Za-z0-9_./-]{1,1011}");

    public RotateConfig {
        CommonConfig.requireRegion(region);
        if (!PARAMETER_NAME.matcher(defaultParameter).matches()) {
            throw new ConfigException(DEFAULT_PARAMETER + " must be an SSM parameter name such as " + ECS_AL2023 + ", got '" + defaultParameter + "'");
        }
        DeckhandBus.checkedName(eventBus);
        Duration deadline = budget.canaryDeadline();
        if (deadline.compareTo(Duration.ofMinutes(5)) < 0 || deadline.compareTo(Duration.ofHours(24)) > 0) {
            throw new ConfigException(CANARY_DEADLINE + " must be between 5m and 24h, got " + deadline);
        }
    }

    public static RotateConfig from(Env env) {
        CommonConfig common = CommonConfig.from(env);
        int maxAgeHours = env.integer(MAX_AGE_HOURS, 0, 1, 8760);
        Budget budget = new Budget(env.integer(MAX_DRAINING, 2, 1, 1000), env.integer(MAX_DRAINING_PERCENT, 25, 1, 100),
                env.duration(CANARY_DEADLINE, Duration.ofMinutes(30)), maxAgeHours == 0 ? null : Duration.ofHours(maxAgeHours));
        MaintenanceWindow window = MaintenanceWindow.ALWAYS;
        String cron = env.raw(WINDOW);
        if (cron != null) {
            try {
                window = MaintenanceWindow.parse(cron, env.duration(WINDOW_LENGTH, Duration.ofHours(4)));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(WINDOW + " / " + WINDOW_LENGTH + ": " + e.getMessage());
            }
        }
        return new RotateConfig(common.clusters(), common.dryRun(), common.region(),
                env.string(DEFAULT_PARAMETER, ECS_AL2023), budget, window, env.string(DeckhandBus.KEY, "default"));
    }
}
