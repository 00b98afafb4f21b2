package dev.deckhand.local.template;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deckhand.emulator.DeckhandHome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * template.yaml after {@code AWS::LanguageExtensions} (its {@code Fn::ForEach} loops expanded, short-form
 * intrinsics in their long form), as {@code local/template/expand.py} prints it with cfn-lint's own
 * implementation of the transform. The SAM transform is not applied: Globals and Events are as written.
 *
 * <p>The script runs once per template content: its output is kept in
 * {@code .deckhand/template/expanded-<sha256>.json} beside the template, and in memory.
 */
final class ExpandedTemplate {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCRIPT = "local/template/expand.py";
    private static final Map<String, Map<String, Object>> LOADED = new ConcurrentHashMap<>();

    private ExpandedTemplate() {
    }

    static Map<String, Object> load(Path file) {
        if ("fast".equals(System.getProperty("deckhand.tier"))) {
            // Like LocalAws: a test that reads the template carries @Tag("template"); one that forgot fails here.
            throw new IllegalStateException("the fast test tier runs no Python (" + SCRIPT + "): tag this test class @Tag(\"template\")");
        }
        byte[] text;
        try {
            text = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        String hash = sha256(text);
        return LOADED.computeIfAbsent(hash, key -> read(file.toAbsolutePath(), key));
    }

    private static Map<String, Object> read(Path file, String hash) {
        Path cache = file.getParent().resolve(".deckhand/template/expanded-" + hash + ".json");
        try {
            if (!Files.isRegularFile(cache)) {
                expand(file, cache);
            }
            return JSON.readValue(cache.toFile(), new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot expand " + file, e);
        }
    }

    /** Runs the script into a file of its own, then moves it into place: two test JVMs may expand at once. */
    private static void expand(Path file, Path cache) throws IOException {
        Files.createDirectories(cache.getParent());
        Path partial = Files.createTempFile(cache.getParent(), "expanding-", ".json");
        Path errors = Files.createTempFile(cache.getParent(), "expanding-", ".err");
        try {
            Process process = new ProcessBuilder(python(), script(file).toString(), file.toString())
                    .redirectOutput(partial.toFile())
                    .redirectError(errors.toFile())
                    .start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(SCRIPT + " did not finish in 120 s on " + file);
            }
            if (process.exitValue() != 0) {
                throw new IllegalArgumentException(SCRIPT + " refused " + file + ":\n"
                        + Files.readString(errors, StandardCharsets.UTF_8).strip());
            }
            Files.move(partial, cache, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while expanding " + file, e);
        } finally {
            Files.deleteIfExists(partial);
            Files.deleteIfExists(errors);
        }
    }

    /** The script beside the template (the repository root), else in the Deckhand home. */
    private static Path script(Path file) {
        Path beside = file.getParent().resolve(SCRIPT);
        return Files.isRegularFile(beside) ? beside : DeckhandHome.find().resolve(SCRIPT);
    }

    private static String python() {
        String configured = System.getenv("DECKHAND_PYTHON");
        return configured == null || configured.isBlank() ? "python3" : configured;
    }

    private static String sha256(byte[] text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
