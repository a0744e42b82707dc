package dev.drawbridge.device.config;

import java.util.List;

/**
 * The config file cannot be used. Each problem is one line {@code FILE: field: reason}, naming the option, the value
 * found and what is allowed; all problems of the file are collected before this is thrown.
 */
public final class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(String.join(System.lineSeparator(), problems));
        this.problems = List.copyOf(problems);
    }

    public ConfigException(String problem, Throwable cause) {
        super(problem, cause);
        this.problems = List.of(problem);
    }

    /** One line per problem. */
    public List<String> problems() {
        return problems;
    }
}
