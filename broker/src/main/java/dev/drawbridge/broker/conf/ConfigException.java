package dev.drawbridge.broker.conf;

import java.util.List;

/**
 * A configuration the broker refuses to start with. Carries every problem found, not just the first, each as
 * {@code FILE:LINE: reason} (or {@code FILE: cannot read: reason} for a file that could not be read).
 */
public final class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(String.join("\n", problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    /** Every problem, in the order the lines were read. */
    public List<String> problems() {
        return problems;
    }
}
