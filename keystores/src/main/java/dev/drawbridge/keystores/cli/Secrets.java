package dev.drawbridge.keystores.cli;

import dev.drawbridge.keystores.PkiException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/** Resolves a passphrase or password from an environment variable, a file (its first line) or a prompt. */
final class Secrets {

    private Secrets() {}

    static char[] resolve(
            PkiCommand pki,
            @Nullable String environmentVariable,
            @Nullable Path file,
            String what,
            String envOption,
            String fileOption,
            boolean confirm)
            throws PkiException {
        if (environmentVariable != null) {
            String value = pki.environment().apply(environmentVariable);
            if (value == null || value.isEmpty()) {
                throw new PkiException(
                        envOption + ": environment variable " + environmentVariable + " is not set or empty");
            }
            return value.toCharArray();
        }
        if (file != null) {
            return fromFile(file);
        }
        char[] typed = pki.prompt().readSecret("Enter " + what + ": ");
        if (typed == null) {
            throw new PkiException("no terminal to ask for the " + what + "; use " + envOption + " or " + fileOption);
        }
        if (typed.length == 0) {
            throw new PkiException("empty " + what + " refused");
        }
        if (confirm) {
            char[] again = pki.prompt().readSecret("Repeat " + what + ": ");
            boolean same = again != null && Arrays.equals(typed, again);
            if (again != null) {
                Arrays.fill(again, '\0');
            }
            if (!same) {
                Arrays.fill(typed, '\0');
                throw new PkiException("the two " + what + "s differ");
            }
        }
        return typed;
    }

    private static char[] fromFile(Path file) throws PkiException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw PkiException.forFile(file, "cannot read (" + e + ")", e);
        }
        int end = text.indexOf('\n');
        String line = end < 0 ? text : text.substring(0, end);
        if (line.endsWith("\r")) {
            line = line.substring(0, line.length() - 1);
        }
        if (line.isEmpty()) {
            throw PkiException.forFile(file, "empty first line, expected the passphrase");
        }
        return line.toCharArray();
    }

    static void wipe(char @Nullable [] secret) {
        if (secret != null) {
            Arrays.fill(secret, '\0');
        }
    }
}
