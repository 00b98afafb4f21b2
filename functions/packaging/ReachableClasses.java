import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
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

/**
 * The second pass of the SDK shrinking (functions/packaging/README.md): keeps, of the jar ProGuard
 * wrote, only the classes that can ever be loaded, the ones named by the function's classes or its
 * other libraries, directly or through classes kept this way.
 *
 * <p>ProGuard keeps an override in every subclass of a class whose method is called (it does not
 * ask which subclasses are ever created), so a call through {@code Ec2Request.toBuilder()} keeps
 * every one of EC2's 750 request types. A class that no loaded class names cannot be loaded (the
 * service modules load nothing by reflection), so it is dropped. Names are read from each class
 * file's constant pool, descriptors and signatures included.
 *
 * <pre>java ReachableClasses.java SHRUNK_JAR OUT_JAR ROOT...   (ROOT: a jar, or a directory of classes and jars)</pre>
 */
public final class ReachableClasses {
    private static final Pattern TYPE_IN_DESCRIPTOR = Pattern.compile("L([^;<>\\[]+)[;<]");

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            throw new IllegalArgumentException("usage: ReachableClasses SHRUNK_JAR OUT_JAR ROOT...");
        }
        Map<String, byte[]> entries = readJar(Path.of(args[0]));
        Deque<String> toVisit = new ArrayDeque<>();
        for (int i = 2; i < args.length; i++) {
            for (byte[] root : rootClasses(Path.of(args[i]))) {
                toVisit.addAll(namesIn(root));
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
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(Path.of(args[1])))) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                String path = entry.getKey();
                boolean isClass = path.endsWith(".class");
                classes += isClass ? 1 : 0;
                if (isClass && !reached.contains(path.substring(0, path.length() - ".class".length()))) {
                    continue;
                }
                kept += isClass ? 1 : 0;
                out.putNextEntry(new ZipEntry(path));
                out.write(entry.getValue());
                out.closeEntry();
            }
        }
        System.out.printf("ReachableClasses: %d of %d classes can be loaded; %s%n", kept, classes, args[1]);
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
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(classFile))) {
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

    private ReachableClasses() {
    }
}
