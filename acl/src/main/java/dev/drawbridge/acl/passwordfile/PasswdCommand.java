package dev.drawbridge.acl.passwordfile;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code mosquitto_passwd} operation on a password file. Build with {@link #create}, {@link #set},
 * {@link #delete} or {@link #upgrade}; {@link PasswdCommandLine} builds one from {@code mosquitto_passwd} arguments.
 *
 * @param action what to do
 * @param file the password file
 * @param username the user to create, set or delete (may be empty, as {@code mosquitto_passwd} allows); empty for
 *     {@link Action#UPGRADE}
 * @param password the new password for {@link Action#CREATE} and {@link Action#SET}; empty until the caller has
 *     prompted for it (see {@link #needsPassword()}), and always empty for the other actions
 * @param hashKind the hash format of new lines
 * @param iterations the PBKDF2 iterations of new {@code $7$} lines
 */
public record PasswdCommand(
        Action action, Path file, String username, Optional<String> password, HashKind hashKind, int iterations) {

    /** The four things {@code mosquitto_passwd} does. */
    public enum Action {
        /** {@code -c}: write a new file holding only this user (overwriting any existing file). */
        CREATE,
        /** {@code -b} or interactive: add the user, or replace its line in place. */
        SET,
        /** {@code -D}: remove the user. */
        DELETE,
        /** {@code -U}: hash every password of a plain-text file (a hashed file gets hashed again). */
        UPGRADE
    }

    /** Checks that nothing is null and that iterations are at least 1. */
    public PasswdCommand {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(hashKind, "hashKind");
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations: expected at least 1, found " + iterations);
        }
        if (password.isPresent() && action != Action.CREATE && action != Action.SET) {
            throw new IllegalArgumentException("password: only CREATE and SET take one, found " + action);
        }
    }

    /**
     * {@code mosquitto_passwd -c -b FILE USER PASSWORD}.
     *
     * @param file the file to (over)write
     * @param username the only user of the new file
     * @param password the user's password
     * @return the command, with default hashing
     */
    public static PasswdCommand create(Path file, String username, String password) {
        return new PasswdCommand(
                Action.CREATE,
                file,
                username,
                Optional.of(password),
                HashKind.SHA512_PBKDF2,
                PasswordHash.DEFAULT_ITERATIONS);
    }

    /**
     * {@code mosquitto_passwd -b FILE USER PASSWORD}.
     *
     * @param file an existing password file
     * @param username the user to add or update
     * @param password the user's new password
     * @return the command, with default hashing
     */
    public static PasswdCommand set(Path file, String username, String password) {
        return new PasswdCommand(
                Action.SET,
                file,
                username,
                Optional.of(password),
                HashKind.SHA512_PBKDF2,
                PasswordHash.DEFAULT_ITERATIONS);
    }

    /**
     * {@code mosquitto_passwd -D FILE USER}.
     *
     * @param file an existing password file
     * @param username the user to remove
     * @return the command
     */
    public static PasswdCommand delete(Path file, String username) {
        return new PasswdCommand(
                Action.DELETE,
                file,
                username,
                Optional.empty(),
                HashKind.SHA512_PBKDF2,
                PasswordHash.DEFAULT_ITERATIONS);
    }

    /**
     * {@code mosquitto_passwd -U FILE}.
     *
     * @param file an existing plain-text password file
     * @return the command, with default hashing
     */
    public static PasswdCommand upgrade(Path file) {
        return new PasswdCommand(
                Action.UPGRADE, file, "", Optional.empty(), HashKind.SHA512_PBKDF2, PasswordHash.DEFAULT_ITERATIONS);
    }

    /**
     * The same command with another hash format ({@code -H}) and iteration count ({@code -I}).
     *
     * @param kind the format of new lines
     * @param newIterations PBKDF2 iterations, at least 1
     * @return a new command
     */
    public PasswdCommand withHash(HashKind kind, int newIterations) {
        return new PasswdCommand(action, file, username, password, kind, newIterations);
    }

    /**
     * The same command with the password the user typed at a prompt.
     *
     * @param newPassword the password
     * @return a new command
     */
    public PasswdCommand withPassword(String newPassword) {
        return new PasswdCommand(action, file, username, Optional.of(newPassword), hashKind, iterations);
    }

    /**
     * Whether the caller must prompt for a password before {@link PasswordFileEditor#apply}.
     *
     * @return true for {@link Action#CREATE} and {@link Action#SET} without a password
     */
    public boolean needsPassword() {
        return (action == Action.CREATE || action == Action.SET) && password.isEmpty();
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "PasswdCommand[" + action + " " + file + " user='" + username + "' password="
                + (password.isPresent() ? "(hidden)" : "(none)") + " " + hashKind + " iterations=" + iterations + "]";
    }
}
