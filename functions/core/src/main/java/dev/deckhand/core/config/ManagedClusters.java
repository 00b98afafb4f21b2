package dev.deckhand.core.config;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The clusters Deckhand may act on, from {@code DECKHAND_CLUSTERS}: a comma-separated list of
 * cluster names, or empty for every cluster in the account and region.
 */
public record ManagedClusters(List<String> names) {

    public static final String KEY = "DECKHAND_CLUSTERS";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,255}");

    public ManagedClusters {
        names = List.copyOf(names);
        for (String name : names) {
            if (!NAME.matcher(name).matches()) {
                throw new ConfigException(KEY + " must list cluster names (letters, digits, - and _, up to 255), got '"
                        + name + "'" + (name.startsWith("arn:") ? ": give the name, not the ARN" : ""));
            }
        }
    }

    public static ManagedClusters from(Env env) {
        return new ManagedClusters(env.list(KEY));
    }

    public static ManagedClusters all() {
        return new ManagedClusters(List.of());
    }

    public static ManagedClusters of(String... names) {
        return new ManagedClusters(List.of(names));
    }

    /** True when every cluster in the account and region is managed. */
    public boolean isAll() {
        return names.isEmpty();
    }

    /** True when {@code clusterName} (a name or an ARN) is managed. */
    public boolean contains(String clusterNameOrArn) {
        if (isAll()) {
            return true;
        }
        String name = clusterNameOrArn.substring(clusterNameOrArn.lastIndexOf('/') + 1);
        return names.contains(name);
    }
}
