package dev.deckhand.local.lambda;

import dev.deckhand.emulator.LocalAws;
import dev.deckhand.local.template.FunctionSpec;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A function running as Lambda runs it, without Docker: its zip unpacked into a task root, a new
 * JVM started there with AWS's runtime interface client ({@code AWSLambda HANDLER}), and the
 * Runtime API served on loopback. Events go in through {@link #invoke}; each answer comes back
 * with the log lines the function wrote meanwhile.
 *
 * <pre>{@code
 * try (LambdaProcess function = LambdaProcess.start(spec, Map.of("AWS_ENDPOINT_URL", url))) {
 *     Invocation result = function.invoke(eventBytes);
 * }
 * }</pre>
 */
public final class LambdaProcess implements AutoCloseable {

    private static final String RUNTIME_CLIENT_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    private static final String JNI_PROPERTY = "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";

    private final FunctionSpec spec;
    private final RuntimeApiServer api;
    private final Process process;
    private final Path taskRoot;
    private final Instant started;
    private final List<String> output = new ArrayList<>();
    private final Thread reader;
    private int consumed;

    private LambdaProcess(FunctionSpec spec, RuntimeApiServer api, Process process, Path taskRoot, Instant started) {
        this.spec = spec;
        this.api = api;
        this.process = process;
        this.taskRoot = taskRoot;
        this.started = started;
        this.reader = new Thread(() -> pump(process.getInputStream()), "lambda-output-" + spec.logicalId());
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /**
     * Starts the function's JVM. {@code environment} is added to the function's own (from
     * template.yaml) and to the variables Lambda itself sets.
     */
    public static LambdaProcess start(FunctionSpec spec, Map<String, String> environment) {
        if (!Files.isRegularFile(spec.codeUri())) {
            throw new IllegalStateException(spec.codeUri() + " does not exist: build it with `mvn package`");
        }
        Path taskRoot = unzip(spec.codeUri());
        RuntimeApiServer api;
        try {
            api = new RuntimeApiServer("arn:aws:lambda:" + environment.getOrDefault("AWS_REGION", "us-east-1")
                    + ":123456789012:function:" + spec.logicalId());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(managedRuntimeOptions(spec.memoryMiB()));
        Path jni = ownJniLibrary(taskRoot.getParent());
        if (jni != null) {
            command.add("-D" + JNI_PROPERTY + "=" + jni);
        }
        command.add("-cp");
        command.add(runtimeClientClasspath());
        command.add(RUNTIME_CLIENT_MAIN);
        command.add(spec.handler());
        ProcessBuilder builder = new ProcessBuilder(command).directory(taskRoot.toFile()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.clear();
        env.putAll(lambdaEnvironment(spec, taskRoot, api.address(), environment));
        try {
            Instant started = Instant.now();
            return new LambdaProcess(spec, api, builder.start(), taskRoot, started);
        } catch (IOException e) {
            api.close();
            throw new UncheckedIOException("cannot start a JVM for " + spec.logicalId(), e);
        }
    }

    /**
     * The JVM options Lambda's managed Java runtime starts the runtime client with (its command line
     * as seen from inside a function: heap at about 85% of the memory setting, serial GC, tiered
     * compilation stopped at C1, and org.crac bound to the runtime client's SnapStart hooks), so a
     * function runs here as it runs there. The function's JAVA_TOOL_OPTIONS come on top, as in Lambda.
     */
    static List<String> managedRuntimeOptions(int memoryMiB) {
        return List.of("-XX:MaxHeapSize=" + memoryMiB * 1024L * 85 / 100 + "k", "-XX:+UseSerialGC",
                "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
                "-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac", "-Djava.net.preferIPv4Stack=true");
    }

    private static Map<String, String> lambdaEnvironment(FunctionSpec spec, Path taskRoot, String runtimeApi,
                                                         Map<String, String> extra) {
        Map<String, String> env = new LinkedHashMap<>();
        String path = System.getenv("PATH");
        if (path != null) {
            env.put("PATH", path);
        }
        env.put("LANG", "en_US.UTF-8");
        env.put("AWS_LAMBDA_RUNTIME_API", runtimeApi);
        env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
        env.put("_HANDLER", spec.handler());
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + spec.runtime());
        env.put("AWS_LAMBDA_FUNCTION_NAME", spec.logicalId());
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(spec.memoryMiB()));
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + spec.logicalId());
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", "local");
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        env.putAll(spec.environment());
        env.putAll(extra);
        if (LocalAws.ACCESS_KEY.equals(env.get("AWS_ACCESS_KEY_ID"))) {
            // On the emulator a function signs as itself, as its own role would in AWS, so that the
            // emulator can record what AWS would authorize for it (emulator/python/.../iam_audit.py).
            env.put("AWS_ACCESS_KEY_ID", spec.logicalId());
        }
        if (env.containsKey("AWS_REGION")) {
            env.putIfAbsent("AWS_DEFAULT_REGION", env.get("AWS_REGION"));
        }
        return env;
    }

    /** The runtime interface client and the Lambda libraries it needs, from this JVM's classpath. */
    /**
     * The runtime client unpacks its JNI library to one fixed path, /tmp/.libaws-lambda-jni.so, and
     * loads it from there (its JniHelper). Lambda runs one runtime per sandbox; here several function
     * JVMs start at once, and one overwrote the library while another's ld.so was mapping it (SIGBUS).
     * Each function gets its own copy, named by the system property the runtime client reads first;
     * null (the runtime client's own way) on a platform it ships no glibc library for.
     */
    private static Path ownJniLibrary(Path directory) {
        String arch = System.getProperty("os.arch");
        String name = arch.equals("amd64") || arch.equals("x86_64") ? "libaws-lambda-jni.linux-x86_64.so"
                : arch.equals("aarch64") ? "libaws-lambda-jni.linux-aarch_64.so" : null;
        if (name == null || !System.getProperty("os.name").equals("Linux")) {
            return null;
        }
        try (InputStream library = LambdaProcess.class.getResourceAsStream("/jni/" + name)) {
            if (library == null) {
                return null;
            }
            Path copy = directory.resolve(name);
            Files.copy(library, copy);
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the runtime client's JNI library", e);
        }
    }

    static String runtimeClientClasspath() {
        List<String> jars = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            if (name.startsWith("aws-lambda-java-")) {
                jars.add(entry);
            }
        }
        if (jars.stream().noneMatch(j -> j.contains("runtime-interface-client"))) {
            throw new IllegalStateException("aws-lambda-java-runtime-interface-client is not on the classpath");
        }
        return String.join(File.pathSeparator, jars);
    }

    private static Path unzip(Path zip) {
        try {
            // The task root sits in a directory of its own, next to this function's copy of the runtime client's JNI library.
            Path root = Files.createDirectory(Files.createTempDirectory("deckhand-task-").resolve("task"));
            try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
                for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                    Path target = root.resolve(entry.getName()).normalize();
                    if (!target.startsWith(root)) {
                        throw new IOException("zip entry outside the task root: " + entry.getName());
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(target);
                    } else {
                        Files.createDirectories(target.getParent());
                        Files.copy(in, target);
                    }
                }
            }
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + zip, e);
        }
    }

    private void pump(InputStream stream) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                if (line.startsWith("Picked up JAVA_TOOL_OPTIONS")) {
                    continue;
                }
                synchronized (output) {
                    output.add(line);
                    output.notifyAll();
                }
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }

    /** When the runtime first polled for an event: JVM start and handler init are done. */
    public Instant readyAt(Duration timeout) {
        try {
            return api.firstPoll().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(spec.logicalId() + " did not start within " + timeout + ":\n" + String.join("\n", drainOutput()));
        }
    }

    /** SnapStart: when the runtime asked to be restored (init and beforeCheckpoint hooks done). */
    public Instant checkpointAt(Duration timeout) {
        try {
            return api.checkpoint().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(spec.logicalId() + " did not reach its snapshot within " + timeout + ":\n"
                    + String.join("\n", drainOutput()));
        }
    }

    public Instant startedAt() {
        return started;
    }

    public long pid() {
        return process.pid();
    }

    /** Sends one event, as Lambda would, and waits for the answer (at most the function's timeout). */
    public Invocation invoke(byte[] event) {
        Instant sent = Instant.now();
        long deadline = sent.plus(spec.timeout()).toEpochMilli();
        var answer = api.submit(event, deadline);
        try {
            RuntimeApiServer.Answer result = null;
            while (result == null) {
                if (api.initError().isDone()) {
                    return new Invocation(true, api.initError().get(), "Runtime.InitError", drainOutput(), Duration.between(sent, Instant.now()));
                }
                if (!process.isAlive()) {
                    return new Invocation(true, "{\"errorMessage\":\"the function process exited with " + process.exitValue() + "\"}",
                            "Runtime.ExitError", drainOutput(), Duration.between(sent, Instant.now()));
                }
                if (Instant.now().toEpochMilli() > deadline) {
                    return new Invocation(true, "{\"errorMessage\":\"Task timed out after " + spec.timeout().toSeconds() + " seconds\"}",
                            "Sandbox.Timedout", drainOutput(), Duration.between(sent, Instant.now()));
                }
                try {
                    result = answer.get(50, TimeUnit.MILLISECONDS);
                } catch (TimeoutException notYet) {
                    // poll again
                }
            }
            Duration took = Duration.between(sent, Instant.now());
            settleOutput();
            return new Invocation(result.error(), result.body(), result.errorType(), drainOutput(), took);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Output written just before the answer may still be in the pipe: wait briefly for it to stop growing. */
    private void settleOutput() throws InterruptedException {
        synchronized (output) {
            int size;
            do {
                size = output.size();
                output.wait(30);
            } while (output.size() != size);
        }
    }

    private List<String> drainOutput() {
        synchronized (output) {
            List<String> lines = new ArrayList<>(output.subList(consumed, output.size()));
            consumed = output.size();
            return lines;
        }
    }

    /** The function's peak resident memory (VmHWM) so far, in KiB, read from /proc; -1 where /proc is missing. */
    public long peakMemoryKiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** False once the JVM has exited (a crash, or {@link #close}). */
    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        api.close();
        try (Stream<Path> files = Files.walk(taskRoot.getParent())) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }
}
