package dev.drawbridge.broker.bridge;

import java.util.List;

/**
 * Bridges that cannot start, so the broker must not: every problem, one {@code FILE:LINE: connection NAME: reason}
 * each, naming the bridge's {@code connection} line.
 */
public final class BridgeStartException extends Exception {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    BridgeStartException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    /** One line each. */
    public List<String> problems() {
        return problems;
    }
}
