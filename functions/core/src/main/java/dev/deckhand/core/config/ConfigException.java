package dev.deckhand.core.config;

/** A configuration value that is missing or not allowed; the message names the key and what it accepts. */
public final class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }
}
