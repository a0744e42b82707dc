package dev.drawbridge.broker.security;

import java.util.List;

/** Rules that cannot be loaded; each problem names the file (and line where there is one) and the reason. */
public final class RulesException extends Exception {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public RulesException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
