package dev.drawbridge.broker.it.acl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files recorded from the real Mosquitto 2.0.11, read from {@code src/test/resources/oracle} (see PROVENANCE.md
 * there): '#' lines are comments, the first other line names the columns.
 */
final class Oracle {

    private static final Pattern PASSWORD_NOTE = Pattern.compile("password=(?:'([^']*)'|\\(none\\))");

    private Oracle() {}

    /** One row, by column name; shown by its case id. */
    record Row(Map<String, String> cells) {
        String get(String column) {
            String value = cells.get(column);
            if (value == null) {
                throw new IllegalArgumentException("no column " + column + " in " + cells.keySet());
            }
            return value;
        }

        @Override
        public String toString() {
            return cells.getOrDefault("case", cells.getOrDefault("scenario", cells.toString()));
        }
    }

    static List<Row> rows(String name) {
        List<String> header = null;
        List<Row> rows = new ArrayList<>();
        for (String line : text(name).split("\n", -1)) {
            if (line.startsWith("#") || line.isEmpty()) {
                continue;
            }
            String[] cells = line.split("\t", -1);
            if (header == null) {
                header = List.of(cells);
                continue;
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                row.put(header.get(i), i < cells.length ? cells[i] : "");
            }
            rows.add(new Row(row));
        }
        return rows;
    }

    static byte[] bytes(String name) {
        try (InputStream in = Oracle.class.getResourceAsStream("/oracle/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("missing test resource oracle/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }

    /** Undoes the oracle's escapes: {@code \n \r \t \\}. */
    static String unescape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(++i);
                out.append(
                        switch (next) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            default -> next;
                        });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The passwords of {@code acl-users.tsv}, by username. */
    static Map<String, String> aclUsers() {
        Map<String, String> users = new LinkedHashMap<>();
        for (String line : text("acl-users.tsv").split("\n")) {
            if (!line.startsWith("#") && !line.isEmpty()) {
                String[] cells = line.split("\t", -1);
                users.put(cells[0], cells[1]);
            }
        }
        return users;
    }

    /**
     * The password an {@code acl-cases.tsv} row logs in with: its note's {@code password='...'} or
     * {@code password=(none)}, else the user's password from {@code acl-users.tsv}.
     */
    static Optional<String> aclPassword(Row row, Map<String, String> users) {
        Matcher note = PASSWORD_NOTE.matcher(row.get("note"));
        if (note.find()) {
            return Optional.ofNullable(note.group(1));
        }
        return Optional.ofNullable(users.get(row.get("username")));
    }

    /**
     * The username an {@code acl-cases.tsv} or {@code raw-cases.tsv} row sends: none for {@code (anonymous)}, a
     * zero-length one for {@code ""}.
     */
    static Optional<String> username(Row row) {
        String username = row.get("username");
        return switch (username) {
            case "(anonymous)" -> Optional.empty();
            case "\"\"" -> Optional.of("");
            default -> Optional.of(username);
        };
    }
}
