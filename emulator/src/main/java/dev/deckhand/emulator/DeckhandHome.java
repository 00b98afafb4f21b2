package dev.deckhand.emulator;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the repository root: the {@code deckhand.home} system property (set by the {@code deckhand}
 * script), else the nearest directory above the working directory that holds {@code template.yaml}
 * and {@code emulator/python}. Tests run from their module directory and find it by walking up.
 */
public final class DeckhandHome {

    private DeckhandHome() {
    }

    public static Path find() {
        String configured = System.getProperty("deckhand.home");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("template.yaml")) && Files.isDirectory(dir.resolve("emulator/python"))) {
                return dir;
            }
        }
        throw new IllegalStateException(
                "cannot find the Deckhand repository above " + Path.of("").toAbsolutePath()
                        + " (set -Ddeckhand.home=...)");
    }
}
