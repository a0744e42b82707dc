package dev.drawbridge.acl.passwordfile;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code mosquitto_passwd}'s rewriting of an existing file ({@code pwfile_iterate} and its callbacks), on the file's
 * bytes held as ISO-8859-1 text (one char per byte):
 *
 * <ul>
 *   <li>lines are read in order; each is split at {@code :} (empty pieces skipped), the first two pieces trimmed; a
 *       line without both, or with either empty after trimming (a comment, a blank line, {@code :hash}), stops the scan
 *       with {@code Error: Corrupt password file at line N.}: the lines after it are lost if the run goes on;
 *   <li>lines of other users are copied byte for byte (CRLF stays CRLF);
 *   <li>set: the user's line is replaced in place; if the user was not seen, a line is appended and the run succeeds,
 *       even after a corrupt line (so the lines from there on are dropped, as {@code mosquitto_passwd} does);
 *   <li>delete: a user not seen is {@code Warning: User X not found in password file.} and exit 1;
 *   <li>upgrade: every line becomes {@code user:hash(second piece)}; an empty file is exit 1 with no message.
 * </ul>
 *
 * <p>One deliberate difference: if the last line has no line feed and a line is appended after it, a line feed is
 * inserted first; {@code mosquitto_passwd} glues the two lines together and so damages both.
 */
final class PasswdRewrite {

    /** The outcome: exit code, messages, and the new content (meaningful only with exit code 0). */
    record Outcome(int exitCode, List<String> messages, String content) {}

    private final HashKind kind;
    private final int iterations;
    private final SecureRandom random;
    private final StringBuilder out = new StringBuilder();
    private final List<String> messages = new ArrayList<>();
    private boolean found;

    PasswdRewrite(HashKind kind, int iterations, SecureRandom random) {
        this.kind = kind;
        this.iterations = iterations;
        this.random = random;
    }

    Outcome set(String content, String username, byte[] password) {
        int rc = scan(content, (user, secret, line) -> {
            if (user.equals(username)) {
                found = true;
                append(newLine(user, password));
            } else {
                append(line);
            }
        });
        if (found) {
            return outcome(rc);
        }
        append(newLine(username, password));
        return outcome(0);
    }

    Outcome delete(String content, String username) {
        int rc = scan(content, (user, secret, line) -> {
            if (user.equals(username)) {
                found = true;
            } else {
                append(line);
            }
        });
        if (!found) {
            messages.add("Warning: User " + utf8(username) + " not found in password file.");
            return outcome(1);
        }
        return outcome(rc);
    }

    Outcome upgrade(String content) {
        return outcome(scan(content, (user, secret, line) -> append(newLine(user, latin1Bytes(secret)))));
    }

    /** Calls {@code onLine} per good line; 1 if a line is corrupt or there are no lines, else 0. */
    private int scan(String content, LineHandler onLine) {
        int lineNumber = 0;
        int start = 0;
        while (start < content.length()) {
            int end = content.indexOf('\n', start);
            end = end < 0 ? content.length() : end + 1;
            String line = content.substring(start, end);
            lineNumber++;
            List<String> pieces = Tokens.split(line, ':');
            String user = pieces.isEmpty() ? "" : Tokens.trimBlanks(pieces.get(0));
            String secret = pieces.size() < 2 ? "" : Tokens.trimBlanks(pieces.get(1));
            if (user.isEmpty() || secret.isEmpty()) {
                messages.add("Error: Corrupt password file at line " + lineNumber + ".");
                return 1;
            }
            onLine.accept(user, secret, line);
            start = end;
        }
        return lineNumber == 0 ? 1 : 0;
    }

    private String newLine(String user, byte[] password) {
        return user + ":"
                + PasswordHash.create(kind, iterations, password, random).encode() + "\n";
    }

    private void append(String text) {
        if (out.length() > 0 && out.charAt(out.length() - 1) != '\n') {
            out.append('\n');
        }
        out.append(text);
    }

    private Outcome outcome(int exitCode) {
        return new Outcome(exitCode, List.copyOf(messages), out.toString());
    }

    /** The UTF-8 bytes of a string, held as ISO-8859-1 text like file content. */
    static String asLatin1(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    private static byte[] latin1Bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String utf8(String latin1) {
        return new String(latin1Bytes(latin1), StandardCharsets.UTF_8);
    }

    @FunctionalInterface
    private interface LineHandler {
        void accept(String user, String secret, String line);
    }
}
