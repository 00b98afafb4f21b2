package dev.deckhand.local.bench;

import dev.deckhand.local.lambda.Invocation;
import dev.deckhand.local.lambda.LambdaProcess;
import dev.deckhand.local.template.FunctionSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The cold-start options tried for a function, each started {@code runs} times in the same bench
 * run as the plain configuration (the SDK's default HTTP client, no JVM options of our own):
 * the URL-connection client, JAVA_TOOL_OPTIONS with tiered compilation stopped at C1, an AppCDS
 * archive of the function's classes, and SnapStart priming. Every JVM starts with the managed
 * runtime's own options ({@link LambdaProcess#managedRuntimeOptions}).
 *
 * <pre>{@code
 * List<String[]> rows = new ColdStartOptions(home, runs, first).measure(function, environment);
 * }</pre>
 */
final class ColdStartOptions {

    /** The first invocation of a started process (the bench's own invoke: AWS's state before, the event, rearm). */
    interface FirstInvocation {
        Invocation run(LambdaProcess process) throws IOException;
    }

    private record Option(String name, FunctionSpec spec, Map<String, String> environment, boolean snapStart) {
    }

    private static final String APACHE = "-Dsoftware.amazon.awssdk.http.service.impl=software.amazon.awssdk.http.apache.ApacheSdkHttpService";
    private static final String TIERED = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1";
    private static final Duration READY = Duration.ofSeconds(120);

    private final Path home;
    private final int runs;
    private final FirstInvocation first;

    ColdStartOptions(Path home, int runs, FirstInvocation first) {
        this.home = home;
        this.runs = runs;
        this.first = first;
    }

    /** One row per option: name, zip MB, start to first poll, first invocation, start to first answer, against plain. */
    List<String[]> measure(FunctionSpec function, Map<String, String> environment) throws IOException {
        Path work = Files.createTempDirectory("deckhand-bench-options-");
        try {
            Path archive = work.resolve("app.jsa");
            Path unshrunk = unshrunk(function.codeUri(), work);
            List<Option> options = List.of(
                    new Option("plain: SDK default HTTP client (Apache), SDK modules as published, no JAVA_TOOL_OPTIONS",
                            withCode(function, withApacheClient(unshrunk, work)), with(environment, APACHE), false),
                    new Option("URL-connection client, SDK modules as published", withCode(function, unshrunk),
                            with(environment, ""), false),
                    new Option("URL-connection client, SDK modules shrunk (shipped)", function, with(environment, ""), false),
                    new Option("URL-connection + JAVA_TOOL_OPTIONS " + TIERED, function, with(environment, TIERED), false),
                    new Option("URL-connection + eager init (the priming run at init, -Ddeckhand.primeAtInit=true)", function,
                            with(environment, "-Ddeckhand.primeAtInit=true"), false),
                    new Option("URL-connection + AppCDS archive (-XX:SharedArchiveFile)", function,
                            with(environment, "-XX:SharedArchiveFile=" + train(function, environment, archive)), false),
                    new Option("URL-connection + SnapStart with priming (first invocation after restore)", function,
                            snapStart(with(environment, "")), true));
            List<String[]> rows = new ArrayList<>();
            double plain = 0;
            for (Option option : options) {
                Measured measured = run(option);
                if (rows.isEmpty()) {
                    plain = measured.total().median();
                }
                rows.add(new String[] {option.name(), String.format("%.1f", Files.size(option.spec().codeUri()) / 1_000_000.0),
                        measured.init().medianAndRange(), measured.invocation().medianAndRange(), measured.total().medianAndRange(),
                        String.format("%.2f", measured.total().median() / plain)});
            }
            return rows;
        } finally {
            delete(work);
        }
    }

    private record Measured(Stats init, Stats invocation, Stats total) {
    }

    private Measured run(Option option) throws IOException {
        List<Double> init = new ArrayList<>();
        List<Double> invocation = new ArrayList<>();
        List<Double> total = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            try (LambdaProcess process = LambdaProcess.start(option.spec(), option.environment())) {
                // With SnapStart, init and the priming hooks happen before the snapshot, off the
                // invocation's path; what a restored container pays is afterRestore and the invocation.
                double ready = millis(Duration.between(process.startedAt(),
                        option.snapStart() ? process.checkpointAt(READY) : process.readyAt(READY)));
                if (option.snapStart()) {
                    process.readyAt(READY);
                }
                Invocation answer = first.run(process);
                init.add(ready);
                invocation.add(millis(answer.duration()));
                total.add(option.snapStart() ? millis(answer.duration()) : ready + millis(answer.duration()));
            }
        }
        return new Measured(Stats.of(init), Stats.of(invocation), Stats.of(total));
    }

    /** A training run writes the classes a Spot warning loads into a dynamic AppCDS archive (at JVM exit). */
    private Path train(FunctionSpec function, Map<String, String> environment, Path archive) throws IOException {
        try (LambdaProcess process = LambdaProcess.start(function, with(environment, "-XX:ArchiveClassesAtExit=" + archive))) {
            process.readyAt(READY);
            first.run(process);
        }
        if (!Files.isRegularFile(archive)) {
            throw new IllegalStateException("the AppCDS training run wrote no archive at " + archive);
        }
        return archive;
    }

    /** A copy of the zip with the SDK's Apache client and its dependencies (target/bench-lib) in lib/. */
    private Path withApacheClient(Path zip, Path work) throws IOException {
        Path lib = home.resolve("local/target/bench-lib");
        if (!Files.isDirectory(lib)) {
            throw new IllegalStateException(lib + " is missing: build with `mvn package`");
        }
        return copy(zip, work.resolve("apache-" + zip.getFileName()), lib, entry -> true);
    }

    /**
     * A copy of the zip with the SDK's service modules as published, in place of the shrunk jar
     * (functions/packaging/README.md): the jars of target/lambda-deps that the zip's lib/ lacks.
     */
    private static Path unshrunk(Path zip, Path work) throws IOException {
        Path deps = zip.resolveSibling("lambda-deps");
        if (!Files.isDirectory(deps)) {
            throw new IllegalStateException(deps + " is missing: build with `mvn package`");
        }
        return copy(zip, work.resolve("unshrunk-" + zip.getFileName()), deps, entry -> !entry.startsWith("lib/aws-sdk-services-"));
    }

    /** The zip's entries that {@code keep} accepts, plus every jar of {@code jars} its lib/ does not already hold. */
    private static Path copy(Path zip, Path copy, Path jars, Predicate<String> keep) throws IOException {
        Set<String> shipped = new HashSet<>();
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(copy));
             ZipInputStream in = new ZipInputStream(Files.newInputStream(zip));
             Stream<Path> added = Files.list(jars)) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                shipped.add(entry.getName());
                if (keep.test(entry.getName())) {
                    out.putNextEntry(new ZipEntry(entry.getName()));
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
            for (Path jar : added.filter(j -> j.toString().endsWith(".jar")).sorted().toList()) {
                if (!shipped.contains("lib/" + jar.getFileName())) {
                    out.putNextEntry(new ZipEntry("lib/" + jar.getFileName()));
                    Files.copy(jar, out);
                    out.closeEntry();
                }
            }
        }
        return copy;
    }

    private static FunctionSpec withCode(FunctionSpec spec, Path zip) {
        return new FunctionSpec(spec.logicalId(), spec.handler(), zip, spec.runtime(), spec.memoryMiB(), spec.timeout(),
                spec.environment(), spec.maximumRetryAttempts(), spec.failureQueue());
    }

    private static Map<String, String> with(Map<String, String> environment, String javaToolOptions) {
        Map<String, String> copy = new LinkedHashMap<>(environment);
        copy.put("JAVA_TOOL_OPTIONS", javaToolOptions);
        return copy;
    }

    private static Map<String, String> snapStart(Map<String, String> environment) {
        Map<String, String> copy = new LinkedHashMap<>(environment);
        copy.put("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start");
        return copy;
    }

    private static double millis(Duration duration) {
        return duration.toNanos() / 1e6;
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
