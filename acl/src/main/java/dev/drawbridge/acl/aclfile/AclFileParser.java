package dev.drawbridge.acl.aclfile;

import dev.drawbridge.acl.topic.TopicSyntax;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The Mosquitto 2.0 broker's reading of an ACL file ({@code aclfile__parse}):
 *
 * <ul>
 *   <li>trailing white space is removed; a line whose first character is {@code #} is a comment (an indented {@code #}
 *       is not, and is refused like any unknown word); blank lines are skipped;
 *   <li>words are separated by spaces only (a tab is part of a word);
 *   <li>{@code topic [read|write|readwrite|deny] FILTER} and {@code pattern [read|write|readwrite|deny] FILTER}: the
 *       filter is the rest of the line, trimmed, and may contain spaces; with only one word after the keyword, that word
 *       is the filter and the access is {@code readwrite} ({@code topic read} is the topic {@code read});
 *   <li>{@code user NAME}: the rest of the line, trimmed; {@code topic} lines that follow belong to that user.
 * </ul>
 *
 * <p>Mosquitto stops at the first bad line; this parser reports every bad line, then refuses the file. A line that is not
 * valid UTF-8 is refused too (Mosquitto would keep a rule that no valid topic can match).
 */
final class AclFileParser {

    private final String source;
    private final List<String> errors = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final List<AclRule> anonymous = new ArrayList<>();
    private final Map<String, List<AclRule>> users = new LinkedHashMap<>();
    private final List<AclPattern> patterns = new ArrayList<>();
    private @Nullable String user;

    AclFileParser(String source) {
        this.source = source;
    }

    AclFile parse(byte[] content) throws AclFileException {
        int lineNumber = 0;
        int start = 0;
        while (start < content.length) {
            int end = start;
            while (end < content.length && content[end] != '\n') {
                end++;
            }
            lineNumber++;
            String line = utf8(content, start, end);
            if (line == null) {
                error(lineNumber, "line is not valid UTF-8");
            } else {
                parseLine(stripTrailing(line), lineNumber);
            }
            start = end + 1;
        }
        if (!errors.isEmpty()) {
            throw new AclFileException(errors, null);
        }
        return new AclFile(source, anonymous, users, patterns, warnings);
    }

    private void parseLine(String line, int lineNumber) {
        if (line.startsWith("#")) {
            return;
        }
        int wordStart = skipSpaces(line, 0);
        if (wordStart == line.length()) {
            return;
        }
        int wordEnd = wordEnd(line, wordStart);
        String keyword = line.substring(wordStart, wordEnd);
        int rest = Math.min(wordEnd + 1, line.length());
        switch (keyword) {
            case "topic", "pattern" -> parseRule(keyword.equals("pattern"), line, rest, lineNumber);
            case "user" -> {
                if (rest == line.length()) {
                    error(lineNumber, "missing username after 'user'");
                } else {
                    user = trimBlanks(line.substring(rest));
                    users.computeIfAbsent(user, name -> new ArrayList<>());
                }
            }
            default ->
                error(lineNumber, "invalid line '" + line + "': expected 'topic', 'pattern', 'user' or a '#' comment");
        }
    }

    private void parseRule(boolean pattern, String line, int from, int lineNumber) {
        int accessStart = skipSpaces(line, from);
        if (accessStart == line.length()) {
            error(lineNumber, "empty topic");
            return;
        }
        int accessEnd = wordEnd(line, accessStart);
        String word = line.substring(accessStart, accessEnd);
        String filter;
        AclAccess access;
        if (accessEnd < line.length()) {
            filter = trimBlanks(line.substring(accessEnd + 1));
            access = accessOf(word);
            if (access == null) {
                error(lineNumber, "invalid topic access type '" + word + "': expected read, write, readwrite or deny");
                return;
            }
        } else {
            filter = word;
            access = AclAccess.READWRITE;
        }
        if (!TopicSyntax.isValidFilter(filter)) {
            error(lineNumber, "invalid ACL topic '" + filter + "'");
            return;
        }
        if (pattern) {
            if (!filter.contains("%c") && !filter.contains("%u")) {
                warnings.add(source + ":" + lineNumber + ": pattern '" + filter + "' contains neither %c nor %u");
            }
            patterns.add(new AclPattern(access, filter, lineNumber));
        } else if (user == null) {
            anonymous.add(new AclRule(access, filter, lineNumber));
        } else {
            users.computeIfAbsent(user, u -> new ArrayList<>()).add(new AclRule(access, filter, lineNumber));
        }
    }

    private static @Nullable AclAccess accessOf(String word) {
        return switch (word) {
            case "read" -> AclAccess.READ;
            case "write" -> AclAccess.WRITE;
            case "readwrite" -> AclAccess.READWRITE;
            case "deny" -> AclAccess.DENY;
            default -> null;
        };
    }

    private void error(int lineNumber, String reason) {
        errors.add(source + ":" + lineNumber + ": " + reason);
    }

    private static int skipSpaces(String line, int from) {
        int i = from;
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    private static int wordEnd(String line, int from) {
        int end = line.indexOf(' ', from);
        return end < 0 ? line.length() : end;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    private static String stripTrailing(String line) {
        int end = line.length();
        while (end > 0 && isSpace(line.charAt(end - 1))) {
            end--;
        }
        return line.substring(0, end);
    }

    private static String trimBlanks(String text) {
        int start = 0;
        while (start < text.length() && isSpace(text.charAt(start))) {
            start++;
        }
        return stripTrailing(text.substring(start));
    }

    private static @Nullable String utf8(byte[] content, int start, int end) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(ByteBuffer.wrap(content, start, end - start))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
