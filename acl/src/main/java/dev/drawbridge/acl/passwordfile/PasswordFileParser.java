package dev.drawbridge.acl.passwordfile;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The Mosquitto 2.0 broker's reading of a password file ({@code pwfile__parse} and {@code unpwd__decode_passwords}):
 *
 * <ul>
 *   <li>lines end at LF; a line whose first byte is {@code #} is a comment, a line without {@code :} is ignored;
 *   <li>the line is split at {@code :} with empty pieces skipped (so a leading {@code :} is ignored); the first piece is
 *       the username and the second the hash, each trimmed of ASCII white space (CR included); further pieces are
 *       ignored; a line with no second piece is ignored;
 *   <li>a {@code #} after leading white space is part of the username; a UTF-8 byte-order mark is part of the first
 *       username; usernames are case-sensitive;
 *   <li>a hash Mosquitto cannot decode removes the entry (see {@link PasswordHash#decode});
 *   <li>if a user appears more than once, the last usable line counts.
 * </ul>
 *
 * <p>Two deliberate differences, neither of which changes who can log in: a line with an empty username is reported
 * and dropped (Mosquitto stores it, but an empty username is anonymous and never looked up); a username that is not
 * valid UTF-8 is reported and dropped (MQTT clients cannot send one, so it can never match).
 */
final class PasswordFileParser {

    private static final int MAX_FIELD_BYTES = 65_535;

    private final String source;
    private final Map<String, PasswordHash> users = new HashMap<>();
    private final Map<String, Integer> lineOfUser = new HashMap<>();
    private final List<String> warnings = new ArrayList<>();

    PasswordFileParser(String source) {
        this.source = source;
    }

    PasswordFile parse(byte[] content) {
        // ISO-8859-1 keeps every byte as one char, so splitting and trimming work on bytes as Mosquitto's do.
        String text = new String(content, StandardCharsets.ISO_8859_1);
        int lineNumber = 0;
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            end = end < 0 ? text.length() : end + 1;
            lineNumber++;
            parseLine(text.substring(start, end), lineNumber);
            start = end;
        }
        return new PasswordFile(users, warnings);
    }

    private void parseLine(String line, int lineNumber) {
        if (line.startsWith("#")) {
            return;
        }
        if (line.indexOf(':') < 0) {
            if (!Tokens.trimBlanks(line).isEmpty()) {
                warn(lineNumber, "line without ':' ignored");
            }
            return;
        }
        List<String> fields = Tokens.split(line, ':');
        if (fields.size() < 2) {
            warn(lineNumber, "invalid line, expected 'username:hash'; line ignored");
            return;
        }
        String rawUser = Tokens.trimBlanks(fields.get(0));
        String field = Tokens.trimBlanks(fields.get(1));
        if (rawUser.length() > MAX_FIELD_BYTES || field.length() > MAX_FIELD_BYTES) {
            warn(lineNumber, "username or password longer than 65535 bytes; line ignored");
            return;
        }
        String username = utf8(rawUser);
        if (username == null) {
            warn(lineNumber, "username is not valid UTF-8; line ignored");
            return;
        }
        if (username.isEmpty()) {
            warn(lineNumber, "empty username; line ignored");
            return;
        }
        PasswordHash hash;
        try {
            hash = PasswordHash.decode(field);
        } catch (IllegalArgumentException e) {
            warn(lineNumber, e.getMessage() + " for user " + username + ", removing entry");
            return;
        }
        Integer previous = lineOfUser.put(username, lineNumber);
        if (previous != null) {
            warn(lineNumber, "user " + username + " also on line " + previous + "; this later line counts");
        }
        users.put(username, hash);
    }

    private void warn(int lineNumber, String reason) {
        warnings.add(source + ":" + lineNumber + ": " + reason);
    }

    private static @Nullable String utf8(String latin1) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(ByteBuffer.wrap(latin1.getBytes(StandardCharsets.ISO_8859_1)))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
