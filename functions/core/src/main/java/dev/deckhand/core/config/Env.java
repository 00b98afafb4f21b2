package dev.deckhand.core.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed, validated reads of environment variables. A bad value fails with the key and the values
 * it accepts, so a function fails at init, not at its first event.
 *
 * <pre>{@code
 * Env env = Env.system();
 * boolean dryRun = env.bool("DECKHAND_DRY_RUN", false);
 * }</pre>
 */
public final class Env {

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private final Map<String, String> variables;

    public Env(Map<String, String> variables) {
        this.variables = Map.copyOf(variables);
    }

    public static Env system() {
        return new Env(System.getenv());
    }

    /** The value, or null when unset or blank. */
    public String raw(String key) {
        String value = variables.get(key);
        return value == null || value.isBlank() ? null : value.trim();
    }

    public String string(String key, String defaultValue) {
        String value = raw(key);
        return value == null ? defaultValue : value;
    }

    public String required(String key) {
        String value = raw(key);
        if (value == null) {
            throw new ConfigException(key + " must be set");
        }
        return value;
    }

    public boolean bool(String key, boolean defaultValue) {
        String value = raw(key);
        if (value == null) {
            return defaultValue;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException(key + " must be true or false, got '" + value + "'");
        };
    }

    public int integer(String key, int defaultValue, int min, int max) {
        String value = raw(key);
        if (value == null) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed < min || parsed > max) {
                throw new ConfigException(key + " must be between " + min + " and " + max + ", got " + parsed);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new ConfigException(key + " must be a whole number between " + min + " and " + max + ", got '" + value + "'");
        }
    }

    /** A duration written as {@code 90s}, {@code 15m}, {@code 1h}, {@code 2d}, {@code 500ms} or ISO-8601 ({@code PT1H}). */
    public Duration duration(String key, Duration defaultValue) {
        String value = raw(key);
        if (value == null) {
            return defaultValue;
        }
        Matcher matcher = DURATION.matcher(value.toLowerCase(Locale.ROOT));
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            return switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        try {
            return Duration.parse(value);
        } catch (RuntimeException e) {
            throw new ConfigException(key + " must be a duration such as 90s, 15m, 1h or PT1H, got '" + value + "'");
        }
    }

    /** One of {@code type}'s constants, written in any case with - or _. */
    public <E extends Enum<E>> E choice(String key, Class<E> type, E defaultValue) {
        String value = raw(key);
        if (value == null) {
            return defaultValue;
        }
        String normalized = value.toUpperCase(Locale.ROOT).replace('-', '_');
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(normalized)) {
                return constant;
            }
        }
        List<String> allowed = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            allowed.add(constant.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        throw new ConfigException(key + " must be one of " + String.join(", ", allowed) + ", got '" + value + "'");
    }

    /** A comma-separated list; blanks between commas are dropped. */
    public List<String> list(String key) {
        String value = raw(key);
        List<String> items = new ArrayList<>();
        if (value == null) {
            return items;
        }
        for (String item : value.split(",")) {
            if (!item.isBlank()) {
                items.add(item.trim());
            }
        }
        return List.copyOf(items);
    }
}
