package dev.drawbridge.broker.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A {@code -Xlog:class+load} file, read for where each class came from: the package's and the image's archive tests. */
final class ClassLoadLog {

    /** Where the log says a class came from when a dynamic class-data-sharing archive held it. */
    static final String TOP = "shared objects file (top)";

    private static final Pattern LOADED = Pattern.compile(".*\\[class,load\\] (\\S+) source: (.*)");

    private ClassLoadLog() {}

    /** Each class in the log with where it came from ({@link #TOP}, a jar). */
    static Map<String, String> sources(Path classLog) throws IOException {
        Map<String, String> sources = new HashMap<>();
        for (String line : Files.readAllLines(classLog)) {
            Matcher loaded = LOADED.matcher(line);
            if (loaded.matches()) {
                sources.put(loaded.group(1), loaded.group(2));
            }
        }
        return sources;
    }

    /**
     * A broker that ran without the archive and said nothing of it: its output has no word of class-data sharing and
     * no warning, and the log names its classes (positive control), none of them from the archive.
     */
    static void assertStartedWithoutTheArchiveAndSaidNothing(String output, Path classLog) throws IOException {
        assertThat(output).doesNotContainIgnoringCase("cds").doesNotContain("[warning]");
        Map<String, String> sources = sources(classLog);
        assertThat(sources)
                .as("positive control: the class log names the broker's classes")
                .containsKeys(
                        "dev.drawbridge.broker.Drawbridge", "dev.drawbridge.broker.engine.protocol.PublishHandler");
        assertThat(sources.values()).as("classes from the archive").doesNotContain(TOP);
    }
}
