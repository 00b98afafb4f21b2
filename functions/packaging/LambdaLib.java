import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import proguard.Configuration;
import proguard.ConfigurationParser;
import proguard.ProGuard;

/**
 * A function's Lambda lib/ (functions/packaging/README.md), built in the package phase by the parent
 * pom's one antrun execution, with ProGuard on the class path:
 *
 * <pre>java -cp PROGUARD LambdaLib.java SHRINK_PRO TARGET CLASSES SDK_VERSION SERVICES RUNTIME_CLASSPATH</pre>
 *
 * <p>TARGET/lambda-deps gets the function's runtime jars (RUNTIME_CLASSPATH's), emptied first;
 * TARGET/lambda-lib, the zip's lib/, the same jars except the SDK service modules (SERVICES, artifact
 * ids separated by commas), which become one jar of what the function can reach, in two passes:
 * ProGuard (SHRINK_PRO) keeps the methods that CLASSES and deckhand-core can reach, then only the
 * classes that some class in the zip names are kept.
 *
 * <p>The second pass: ProGuard keeps an override in every subclass of a class whose method is called
 * (it does not ask which subclasses are ever created), so a call through {@code Ec2Request.toBuilder()}
 * keeps every one of EC2's 750 request types. A class that no loaded class names cannot be loaded
 * (the service modules load nothing by reflection), so it is dropped. Names are read from each class
 * file's constant pool, descriptors and signatures included.
 */
public final class LambdaLib {
    private static final Pattern TYPE_IN_DESCRIPTOR = Pattern.compile("L([^;<>\\[]+)[;<]");
    private static final List<String> JMODS =
            List.of("java.base", "java.xml", "java.logging", "java.net.http", "java.management", "java.naming", "java.sql");
    private static final String NO_META_INF = "(!META-INF/**)";

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            throw new IllegalArgumentException(
                    "usage: LambdaLib SHRINK_PRO TARGET CLASSES SDK_VERSION SERVICES RUNTIME_CLASSPATH");
        }
        Path target = Path.of(args[1]);
        Path classes = Path.of(args[2]).toAbsolutePath().normalize();
        String sdkVersion = args[3];
        Pattern service = Pattern.compile("(" + args[4].replace(',', '|') + ")-.*\\.jar");
        // The SDK's other modules and deckhand-core: traced through by ProGuard, shipped unchanged.
        Pattern sdk = Pattern.compile("(deckhand-core-.*|[a-z-]+-" + Pattern.quote(sdkVersion) + "|eventstream-.*)\\.jar");
        Path jmods = Path.of(System.getProperty("java.home"), "jmods");
        if (!Files.exists(jmods.resolve("java.base.jmod"))) {
            throw new IllegalStateException(jmods + " is missing: the SDK shrinking step needs a full JDK 17 (with jmods)");
        }
        Path deps = emptied(target.resolve("lambda-deps"));
        Path lib = emptied(target.resolve("lambda-lib"));
        Path shrunk = emptied(target.resolve("lambda-shrunk"));

        List<String> services = new ArrayList<>();
        List<String> roots = new ArrayList<>(List.of(classes.toString()));
        List<String> others = new ArrayList<>();
        for (String element : args[5].split(Pattern.quote(File.pathSeparator))) {
            Path jar = Path.of(element).toAbsolutePath().normalize();
            String name = jar.getFileName().toString();
            if (jar.equals(classes)) {
                continue;
            }
            if (!name.endsWith(".jar")) {
                throw new IllegalStateException(jar + " on the runtime class path is not a jar; package its module first");
            }
            Files.copy(jar, deps.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            if (service.matcher(name).matches()) {
                services.add(jar + NO_META_INF);
                continue;
            }
            Files.copy(jar, lib.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            if (sdk.matcher(name).matches()) {
                roots.add(jar + NO_META_INF);
            } else {
                others.add(jar.toString());
            }
        }

        Path servicesJar = shrunk.resolve("aws-sdk-services.jar");
        List<String> proguard = new ArrayList<>(List.of("@" + Path.of(args[0]).toAbsolutePath(),
                "-injars", String.join(File.pathSeparator, roots), "-outjars", shrunk.resolve("discarded").toString(),
                "-injars", String.join(File.pathSeparator, services), "-outjars", servicesJar.toString(),
                "-libraryjars", String.join(File.pathSeparator,
                        JMODS.stream().map(m -> jmods.resolve(m + ".jmod") + "(!**.jar;!module-info.class)").toList())));
        if (!others.isEmpty()) {
            proguard.addAll(List.of("-libraryjars", String.join(File.pathSeparator, others)));
        }
        Configuration configuration = new Configuration();
        try (ConfigurationParser parser = new ConfigurationParser(proguard.toArray(String[]::new), System.getProperties())) {
            parser.parse(configuration);
        }
        new ProGuard(configuration).execute();

        keepReachable(servicesJar, lib.resolve("aws-sdk-services-" + sdkVersion + "-shrunk.jar"), List.of(classes, lib));
    }

    private static Path emptied(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                    Files.delete(file);
                }
            }
        }
        return Files.createDirectories(dir);
    }

    /** Writes to {@code out} the entries of {@code shrunkJar} but the classes no class under {@code roots} can load. */
    private static void keepReachable(Path shrunkJar, Path out, List<Path> roots) throws IOException {
        Map<String, byte[]> entries = readJar(shrunkJar);
        Deque<String> toVisit = new ArrayDeque<>();
        for (Path root : roots) {
            for (byte[] rootClass : rootClasses(root)) {
                toVisit.addAll(namesIn(rootClass));
            }
        }
        Set<String> reached = new HashSet<>();
        while (!toVisit.isEmpty()) {
            String name = toVisit.pop();
            byte[] bytes = entries.get(name + ".class");
            if (bytes != null && reached.add(name)) {
                toVisit.addAll(namesIn(bytes));
            }
        }
        int classes = 0;
        int kept = 0;
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(out))) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                String path = entry.getKey();
                boolean isClass = path.endsWith(".class");
                classes += isClass ? 1 : 0;
                if (isClass && !reached.contains(path.substring(0, path.length() - ".class".length()))) {
                    continue;
                }
                kept += isClass ? 1 : 0;
                zip.putNextEntry(new ZipEntry(path));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        }
        System.out.printf("LambdaLib: %d of %d SDK service classes can be loaded; %s%n", kept, classes, out);
    }

    private static Map<String, byte[]> readJar(Path jar) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(jar))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                if (!entry.isDirectory()) {
                    entries.put(entry.getName(), in.readAllBytes());
                }
            }
        }
        return entries;
    }

    /** The class files under a directory, those of the jars in it included, or those of one jar. */
    private static List<byte[]> rootClasses(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return readJar(root).entrySet().stream().filter(e -> e.getKey().endsWith(".class")).map(Map.Entry::getValue).toList();
        }
        List<byte[]> classes = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (file.toString().endsWith(".class")) {
                    classes.add(Files.readAllBytes(file));
                } else if (file.toString().endsWith(".jar")) {
                    classes.addAll(rootClasses(file));
                }
            }
        }
        return classes;
    }

    /** Every class name a class file can make the JVM load: its constant pool's strings, as names and as descriptors. */
    static Set<String> namesIn(byte[] classFile) {
        Set<String> names = new HashSet<>();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile))) {
            in.skipBytes(8); // magic, minor, major
            int count = in.readUnsignedShort();
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> {
                        String text = in.readUTF();
                        names.add(text);
                        Matcher types = TYPE_IN_DESCRIPTOR.matcher(text);
                        while (types.find()) {
                            names.add(types.group(1));
                        }
                    }
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);
                    case 5, 6 -> {
                        in.skipBytes(8);
                        i++; // a long or double takes two slots
                    }
                    case 7, 8, 16, 19, 20 -> in.skipBytes(2);
                    case 15 -> in.skipBytes(3);
                    default -> throw new IllegalStateException("unknown constant pool tag " + tag);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    private LambdaLib() {
    }
}
