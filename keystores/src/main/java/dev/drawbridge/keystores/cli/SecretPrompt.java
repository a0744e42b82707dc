package dev.drawbridge.keystores.cli;

import java.io.Console;
import org.jspecify.annotations.Nullable;

/** Asks the person at the terminal for a secret without echoing it. */
@FunctionalInterface
public interface SecretPrompt {

    /** The secret typed, or {@code null} when there is no terminal to ask. */
    char @Nullable [] readSecret(String prompt);

    /** The JVM's console; answers {@code null} when standard input is not a terminal. */
    static SecretPrompt console() {
        return prompt -> {
            Console console = System.console();
            return console == null ? null : console.readPassword("%s", prompt);
        };
    }
}
