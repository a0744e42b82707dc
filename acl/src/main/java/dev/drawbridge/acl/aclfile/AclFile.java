package dev.drawbridge.acl.aclfile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A Mosquitto ACL file: the anonymous section (the {@code topic} lines before the first {@code user} line), one block per
 * user (blocks of the same name are merged), and the {@code pattern} lines, which apply to every client wherever they
 * stand in the file. See {@link AclFileParser} for the syntax and {@link AclFileAuthorizer} for the meaning.
 *
 * @param source the file name, for logs
 * @param anonymousRules the anonymous section, in file order
 * @param userRules each user's rules, in file order
 * @param patterns the pattern lines, in file order
 * @param warnings {@code FILE:LINE: reason} for lines Mosquitto accepts but warns about
 */
public record AclFile(
        String source,
        List<AclRule> anonymousRules,
        Map<String, List<AclRule>> userRules,
        List<AclPattern> patterns,
        List<String> warnings) {

    /** Copies the collections. */
    public AclFile {
        anonymousRules = List.copyOf(anonymousRules);
        userRules = userRules.entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> List.copyOf(e.getValue())));
        patterns = List.copyOf(patterns);
        warnings = List.copyOf(warnings);
    }

    /**
     * Reads and checks an ACL file.
     *
     * @param path the file
     * @return the rules
     * @throws AclFileException with every problem, if the file cannot be read or Mosquitto would refuse it
     */
    public static AclFile load(Path path) throws AclFileException {
        byte[] content;
        try {
            content = Files.readAllBytes(path);
        } catch (IOException e) {
            String reason = e instanceof NoSuchFileException ? "no such file" : String.valueOf(e.getMessage());
            throw new AclFileException(List.of(path + ": unable to read ACL file: " + reason), e);
        }
        return parse(path.toString(), content);
    }

    /**
     * Parses ACL-file content.
     *
     * @param source the file name to put in messages
     * @param content the file's bytes
     * @return the rules
     * @throws AclFileException with every problem, if Mosquitto would refuse the file
     */
    public static AclFile parse(String source, byte[] content) throws AclFileException {
        return new AclFileParser(source).parse(content);
    }

    /**
     * The rules for a user's block.
     *
     * @param username the username, or empty for the anonymous section
     * @return the block's rules, or empty if the file has no block for that user
     */
    public Optional<List<AclRule>> rulesFor(Optional<String> username) {
        return username.isPresent()
                ? Optional.ofNullable(userRules.get(username.get()))
                : (anonymousRules.isEmpty() ? Optional.empty() : Optional.of(anonymousRules));
    }

    /**
     * The users that have a block.
     *
     * @return an immutable set of usernames
     */
    public Set<String> users() {
        return userRules.keySet();
    }
}
