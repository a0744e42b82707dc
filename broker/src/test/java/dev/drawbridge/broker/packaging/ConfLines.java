package dev.drawbridge.broker.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The options of a {@code mosquitto.conf} as lines of {@code NAME VALUE}, for comparing paths and ports with the
 * packaging files (whether the broker accepts the file is for the integration tests, which start it).
 */
record ConfLines(Path file, List<String> lines) {

    private static final Pattern LISTENER = Pattern.compile("listener\\s+(\\d+)(?:\\s+(\\S+))?\\s*");

    static ConfLines read(Path file) {
        try {
            return new ConfLines(
                    file,
                    Files.readAllLines(file).stream()
                            .map(String::strip)
                            .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                            .toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The values of every {@code name} line, in order. */
    List<String> values(String name) {
        return lines.stream()
                .filter(line -> line.startsWith(name + " "))
                .map(line -> line.substring(name.length()).strip())
                .toList();
    }

    String value(String name) {
        List<String> values = values(name);
        if (values.size() != 1) {
            throw new AssertionError(file + ": expected one " + name + " line, found " + values);
        }
        return values.get(0);
    }

    List<Integer> listenerPorts() {
        return values("listener").stream()
                .map(value -> Integer.valueOf(value.split("\\s+")[0]))
                .toList();
    }

    /**
     * The file's text with each {@code listener PORT [ADDRESS]} moved to {@code listener ports[PORT] 127.0.0.1} and
     * every other line passed through {@code paths} (comments included), so it runs on free ports outside a container.
     */
    static String rewrite(Path file, Map<Integer, Integer> ports, UnaryOperator<String> paths) {
        try {
            StringBuilder text = new StringBuilder();
            for (String line : Files.readAllLines(file)) {
                Matcher listener = LISTENER.matcher(line.strip());
                if (listener.matches()) {
                    Integer port = ports.get(Integer.valueOf(listener.group(1)));
                    if (port == null) {
                        throw new AssertionError(file + ": no free port given for " + line);
                    }
                    text.append("listener ").append(port).append(" 127.0.0.1");
                } else {
                    text.append(paths.apply(line));
                }
                text.append('\n');
            }
            return text.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
