package dev.drawbridge.broker.conf;

import java.util.ArrayList;
import java.util.List;

/** The problems and warnings collected while reading a config, so that every problem is reported at once. */
final class Diagnostics {

    private final List<String> problems = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    /** A problem with one line: {@code FILE:LINE: reason}. */
    void error(ConfigLine line, String reason) {
        problems.add(line.where() + ": " + reason);
    }

    /** A problem that already names where it is. */
    void error(String located) {
        problems.add(located);
    }

    /** A line that was accepted but does nothing: {@code FILE:LINE: reason}. */
    void warn(ConfigLine line, String reason) {
        warnings.add(line.where() + ": " + reason);
    }

    List<String> warnings() {
        return List.copyOf(warnings);
    }

    void throwIfAny() throws ConfigException {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }
}
