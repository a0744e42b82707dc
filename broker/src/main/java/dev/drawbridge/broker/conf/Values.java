package dev.drawbridge.broker.conf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * Strict parsing of option values. Each method either returns the value or records one problem naming the option,
 * what was found and what is allowed, and returns empty. Nothing is clamped or defaulted.
 */
final class Values {

    private static final Pattern INTEGER = Pattern.compile("-?[0-9]{1,10}");

    private Values() {}

    /** An integer in {@code [min, max]}; {@code expected} says what is allowed, e.g. "an integer 0-65535". */
    static OptionalInt integer(Diagnostics d, ConfigLine line, long min, long max, String expected) {
        String value = line.value();
        if (INTEGER.matcher(value).matches()) {
            long n = Long.parseLong(value);
            if (n >= min && n <= max) {
                return OptionalInt.of((int) n);
            }
        }
        d.error(line, line.option() + ": expected " + expected + ", found " + line.found());
        return OptionalInt.empty();
    }

    static OptionalInt range(Diagnostics d, ConfigLine line, int min, int max) {
        return integer(d, line, min, max, "an integer " + min + "-" + max);
    }

    static Optional<Boolean> bool(Diagnostics d, ConfigLine line) {
        return switch (line.value()) {
            case "true" -> Optional.of(true);
            case "false" -> Optional.of(false);
            default -> {
                d.error(line, line.option() + ": expected true or false, found " + line.found());
                yield Optional.empty();
            }
        };
    }

    /** One of a fixed set of words, compared exactly (Mosquitto is case-sensitive). */
    static Optional<String> choice(Diagnostics d, ConfigLine line, List<String> allowed) {
        if (allowed.contains(line.value())) {
            return Optional.of(line.value());
        }
        d.error(line, line.option() + ": expected " + oneOf(allowed) + ", found " + line.found());
        return Optional.empty();
    }

    /** "a", "a or b", "a, b or c". */
    static String oneOf(List<String> words) {
        if (words.size() == 1) {
            return words.get(0);
        }
        return String.join(", ", words.subList(0, words.size() - 1)) + " or " + words.get(words.size() - 1);
    }

    /**
     * A path (the rest of the line, so it may hold spaces, as in Mosquitto), made absolute against the working
     * directory. Not checked for existence.
     */
    static Optional<Path> path(Diagnostics d, ConfigLine line, String what) {
        return path(d, line, line.option(), line.value(), what);
    }

    static Optional<Path> path(Diagnostics d, ConfigLine line, String option, String value, String what) {
        if (value.isEmpty()) {
            d.error(line, option + ": expected " + what + ", found nothing");
            return Optional.empty();
        }
        try {
            return Optional.of(Path.of(value).toAbsolutePath());
        } catch (InvalidPathException e) {
            d.error(line, option + ": expected " + what + ", found '" + value + "': " + e.getReason());
            return Optional.empty();
        }
    }

    /** A path to a regular file that can be opened for reading now. */
    static Optional<Path> readableFile(Diagnostics d, ConfigLine line) {
        Optional<Path> path = path(d, line, "a file");
        if (path.isEmpty()) {
            return path;
        }
        Optional<String> problem = unreadable(path.get());
        if (problem.isPresent()) {
            d.error(line, line.option() + ": cannot read '" + line.value() + "': " + problem.get());
            return Optional.empty();
        }
        return path;
    }

    /** A path to an existing directory. */
    static Optional<Path> directory(Diagnostics d, ConfigLine line) {
        Optional<Path> path = path(d, line, "a directory");
        if (path.isEmpty()) {
            return path;
        }
        if (!Files.isDirectory(path.get())) {
            String why = Files.exists(path.get()) ? "not a directory" : "no such directory";
            d.error(line, line.option() + ": cannot read '" + line.value() + "': " + why);
            return Optional.empty();
        }
        return path;
    }

    /** Why {@code file} cannot be read, or empty if it can. */
    static Optional<String> unreadable(Path file) {
        if (Files.isDirectory(file)) {
            return Optional.of("is a directory");
        }
        try {
            Files.newInputStream(file).close();
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(ConfigFileReader.describe(e));
        }
    }
}
