package dev.drawbridge.acl.passwordfile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A Mosquitto password file as the Mosquitto 2.0 broker reads it: one {@code username:hash} per line.
 *
 * <p>Mosquitto starts with any readable password file and ignores, with a warning, every line it cannot use (comments,
 * lines without {@code :}, unknown or damaged hashes); those users simply cannot log in. This class does the same and
 * lists each ignored line in {@link #warnings()} as {@code FILE:LINE: reason}, for the broker to log. See
 * {@link PasswordFileParser} for the exact rules.
 */
public final class PasswordFile {

    private final Map<String, PasswordHash> users;
    private final List<String> warnings;

    PasswordFile(Map<String, PasswordHash> users, List<String> warnings) {
        this.users = Map.copyOf(users);
        this.warnings = List.copyOf(warnings);
    }

    /**
     * Reads a password file.
     *
     * @param path the file
     * @return the users it defines
     * @throws PasswordFileException if the file cannot be read (the only case in which Mosquitto refuses to start)
     */
    public static PasswordFile load(Path path) throws PasswordFileException {
        byte[] content;
        try {
            content = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new PasswordFileException(path + ": unable to read password file: " + IoMessages.describe(e), e);
        }
        return parse(path.toString(), content);
    }

    /**
     * Parses password-file content.
     *
     * @param source the file name to put in warnings
     * @param content the file's bytes
     * @return the users it defines
     */
    public static PasswordFile parse(String source, byte[] content) {
        return new PasswordFileParser(source).parse(content);
    }

    /**
     * The stored hash for a username (case-sensitive).
     *
     * @param username the username
     * @return the hash, or empty if the file has no usable line for that user
     */
    public Optional<PasswordHash> hashOf(String username) {
        return Optional.ofNullable(users.get(username));
    }

    /**
     * The users that can log in.
     *
     * @return an immutable set of usernames
     */
    public Set<String> usernames() {
        return users.keySet();
    }

    /**
     * What was ignored and why.
     *
     * @return immutable {@code FILE:LINE: reason} messages, in file order
     */
    public List<String> warnings() {
        return warnings;
    }
}
