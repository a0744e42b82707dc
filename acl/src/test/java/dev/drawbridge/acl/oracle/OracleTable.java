package dev.drawbridge.acl.oracle;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads an oracle TSV from the test resources: '#' lines are comments, the first other line names the columns. */
public final class OracleTable {

    private OracleTable() {}

    /** One row, by column name. */
    public record Row(Map<String, String> cells) {
        public String get(String column) {
            String value = cells.get(column);
            if (value == null) {
                throw new IllegalArgumentException("no column " + column + " in " + cells.keySet());
            }
            return value;
        }

        @Override
        public String toString() {
            return cells.getOrDefault("case", cells.toString());
        }
    }

    public static List<Row> read(String name) {
        List<String> lines = List.of(text(name).split("\n", -1));
        List<String> header = null;
        List<Row> rows = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("#") || line.isEmpty()) {
                continue;
            }
            String[] cells = line.split("\t", -1);
            if (header == null) {
                header = List.of(cells);
                continue;
            }
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < header.size(); i++) {
                row.put(header.get(i), i < cells.length ? cells[i] : "");
            }
            rows.add(new Row(row));
        }
        return rows;
    }

    public static byte[] bytes(String name) {
        try (InputStream in = OracleTable.class.getResourceAsStream("/oracle/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("missing test resource oracle/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String text(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }

    /** Undoes the oracle's escapes: {@code \n \r \t \\}. */
    public static String unescape(String text) {
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
}
