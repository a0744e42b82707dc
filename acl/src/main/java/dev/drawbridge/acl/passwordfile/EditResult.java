package dev.drawbridge.acl.passwordfile;

import java.util.Objects;

/**
 * What a {@code mosquitto_passwd} operation ended with.
 *
 * @param exitCode the process exit code {@code mosquitto_passwd} would return: 0 done, 1 refused (file unchanged)
 * @param message what it would print (one message per line), or empty; note that some runs print an error and still
 *     exit with 0, as {@code mosquitto_passwd} does
 */
public record EditResult(int exitCode, String message) {

    /** Checks that nothing is null. */
    public EditResult {
        Objects.requireNonNull(message, "message");
    }

    static EditResult failure(String message) {
        return new EditResult(1, message);
    }
}
