package dev.drawbridge.broker.it.acl;

import dev.drawbridge.acl.spi.AclPlugin;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.jspecify.annotations.NullMarked;

/**
 * Builds plugin jars at test time without Maven: the JDK's compiler against the SPI classes the broker itself uses,
 * then a jar written entry by entry.
 */
final class PluginJars {

    static final String SERVICES = "META-INF/services/" + AclPlugin.class.getName();

    private PluginJars() {}

    /** Compiles every {@code .java} file under {@code sourceRoot} into {@code work/classes}. */
    static Path compile(Path sourceRoot, Path work) {
        List<Path> sources;
        try (Stream<Path> files = Files.walk(sourceRoot)) {
            sources = files.filter(p -> p.toString().endsWith(".java")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path classes = work.resolve("classes");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8)) {
            Files.createDirectories(classes);
            List<String> options = List.of(
                    "--release", "17", "-Xlint:all", "-Werror", "-classpath", spiClassPath(), "-d", classes.toString());
            boolean ok = javac.getTask(
                            null, files, diagnostics, options, null, files.getJavaFileObjectsFromPaths(sources))
                    .call();
            if (!ok) {
                throw new AssertionError("compiling " + sources + " failed:\n"
                        + diagnostics.getDiagnostics().stream()
                                .map(d -> d.toString())
                                .collect(Collectors.joining("\n")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return classes;
    }

    /** Writes one source file per entry (a class name mapped to its source) and compiles them. */
    static Path compile(Map<String, String> sourcesByClassName, Path work) {
        Path root = work.resolve("src");
        sourcesByClassName.forEach((className, source) -> {
            Path file = root.resolve(className.replace('.', '/') + ".java");
            try {
                Files.createDirectories(file.getParent());
                Files.writeString(file, source);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return compile(root, work);
    }

    /**
     * Jars the classes and lists {@code services} (class names) in the plugin services file, if any.
     *
     * @param extraRoots folders whose files go into the jar too (resources, possibly a services file of their own)
     */
    static Path jar(Path classes, Path jar, List<String> services, List<Path> extraRoots) {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        List<Path> roots = new ArrayList<>(List.of(classes));
        roots.addAll(extraRoots);
        try (OutputStream file = Files.newOutputStream(jar);
                JarOutputStream out = new JarOutputStream(file, manifest)) {
            for (Path root : roots) {
                List<Path> entries;
                try (Stream<Path> walk = Files.walk(root)) {
                    entries = walk.filter(Files::isRegularFile).sorted().toList();
                }
                for (Path entry : entries) {
                    out.putNextEntry(
                            new JarEntry(root.relativize(entry).toString().replace('\\', '/')));
                    out.write(Files.readAllBytes(entry));
                    out.closeEntry();
                }
            }
            if (!services.isEmpty()) {
                out.putNextEntry(new JarEntry(SERVICES));
                out.write((String.join("\n", services) + "\n").getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return jar;
    }

    /** The SPI classes and the nullness annotations they carry, from wherever the broker's tests load them. */
    private static String spiClassPath() {
        return Stream.of(AclPlugin.class, NullMarked.class)
                .map(PluginJars::location)
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
