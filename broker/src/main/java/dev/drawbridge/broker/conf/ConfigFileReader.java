package dev.drawbridge.broker.conf;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Splits a {@code mosquitto.conf}-style file into option lines; knows nothing about the options themselves. */
final class ConfigFileReader {

    private ConfigFileReader() {}

    /**
     * Reads a UTF-8 file. Blank lines and lines whose first non-blank character is {@code #} are skipped; the
     * option name is the first word, the value the rest of the line.
     */
    static List<ConfigLine> read(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new FileSystemException(file.toString(), null, "is a directory");
        }
        List<String> text = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<ConfigLine> lines = new ArrayList<>();
        String name = file.toString();
        for (int i = 0; i < text.size(); i++) {
            String line = text.get(i);
            if (i == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+", 2);
            lines.add(new ConfigLine(name, i + 1, parts[0], parts.length > 1 ? parts[1] : ""));
        }
        return lines;
    }

    /** Why a file could not be read, in a few words and without the path (the message names it already). */
    static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof CharacterCodingException) {
            return "not valid UTF-8";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return String.valueOf(e.getMessage());
    }
}
