package dev.drawbridge.broker.packaging;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The image's files mapped onto this machine, for running the Dockerfile's commands without a container: {@code java}
 * is this test's JVM, {@code /opt/drawbridge/drawbridge.jar} a jar given here, the rest of {@code /opt/drawbridge/}
 * (the class-data-sharing archive) and {@code /mosquitto/} directories given here. A path is mapped where it is a
 * whole argument and where it is an option's value ({@code -XX:SharedArchiveFile=/opt/drawbridge/drawbridge.jsa}); any
 * other absolute path fails, so that no command reads or writes the machine's own {@code /opt} or {@code /mosquitto}.
 */
record ImagePaths(Path jar, Path opt, Path mosquitto) {

    static final String IMAGE_JAR = "/opt/drawbridge/drawbridge.jar";
    static final String IMAGE_ARCHIVE = "/opt/drawbridge/drawbridge.jsa";
    private static final String OPT = "/opt/drawbridge/";
    private static final String MOSQUITTO = "/mosquitto/";

    /** {@code command} with every image path replaced by this machine's. */
    List<String> map(List<String> command) {
        List<String> mapped = new ArrayList<>();
        for (String argument : command) {
            if (argument.equals("java")) {
                mapped.add(PackagingFiles.javaCommand().toString());
                continue;
            }
            int equals = argument.indexOf('=');
            String prefix = argument.startsWith("-") && equals > 0 ? argument.substring(0, equals + 1) : "";
            String value = argument.substring(prefix.length());
            mapped.add(value.startsWith("/") ? prefix + path(value) : argument);
        }
        return mapped;
    }

    /** One image path on this machine. */
    Path path(String imagePath) {
        if (imagePath.equals(IMAGE_JAR)) {
            return jar;
        }
        if (imagePath.startsWith(OPT)) {
            return opt.resolve(imagePath.substring(OPT.length()));
        }
        if (imagePath.startsWith(MOSQUITTO)) {
            return mosquitto.resolve(imagePath.substring(MOSQUITTO.length()));
        }
        throw new AssertionError("no mapping for the image path " + imagePath);
    }
}
