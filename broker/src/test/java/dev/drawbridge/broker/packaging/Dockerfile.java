package dev.drawbridge.broker.packaging;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Dockerfile read line by line as the builder reads it: comments and blank lines dropped, lines ending in {@code \}
 * joined with the next, each instruction split into its keyword and its arguments, and grouped into stages.
 */
record Dockerfile(List<Stage> stages) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern HEALTHCHECK_CMD = Pattern.compile("(?:--\\S+\\s+)*CMD\\s+(.*)");

    /** One instruction; {@code line} is where it starts (1-based), for messages. */
    record Instruction(int line, String keyword, String arguments) {

        /** Whitespace-separated words (enough for the files checked here: no quoted spaces). */
        List<String> words() {
            return arguments.isBlank() ? List.of() : List.of(arguments.trim().split("\\s+"));
        }

        /** The value of {@code --name=value} among the leading flags. */
        Optional<String> flag(String name) {
            return words().stream()
                    .takeWhile(word -> word.startsWith("--"))
                    .filter(word -> word.startsWith("--" + name + "="))
                    .map(word -> word.substring(name.length() + 3))
                    .findFirst();
        }

        /** The words after the leading {@code --flags}. */
        List<String> withoutFlags() {
            return words().stream().dropWhile(word -> word.startsWith("--")).toList();
        }

        /** The exec form {@code ["a", "b"]} of these arguments (or of {@code text}); fails on the shell form. */
        List<String> execForm() {
            return execForm(arguments);
        }

        List<String> execForm(String text) {
            if (!text.trim().startsWith("[")) {
                throw new AssertionError("line " + line + ": expected the exec form [\"...\"], found " + text);
            }
            try {
                return JSON.readValue(text, new TypeReference<List<String>>() {});
            } catch (IOException e) {
                throw new AssertionError("line " + line + ": not a JSON array of strings: " + text, e);
            }
        }

        @Override
        public String toString() {
            return "line " + line + ": " + keyword + " " + arguments;
        }
    }

    /** {@code COPY [--from=STAGE] [--chmod=MODE] SOURCE... DESTINATION}. */
    record Copy(
            Instruction instruction,
            Optional<String> from,
            Optional<String> chmod,
            List<String> sources,
            String destination) {

        static Copy of(Instruction copy) {
            List<String> words = copy.withoutFlags();
            if (words.size() < 2) {
                throw new AssertionError(copy + ": expected SOURCE... DESTINATION");
            }
            return new Copy(
                    copy,
                    copy.flag("from"),
                    copy.flag("chmod"),
                    words.subList(0, words.size() - 1),
                    words.get(words.size() - 1));
        }
    }

    /** {@code FROM [--platform=P] IMAGE [AS NAME]} and the instructions up to the next {@code FROM}. */
    record Stage(Instruction from, List<Instruction> instructions) {

        String image() {
            return from.withoutFlags().get(0);
        }

        Optional<String> name() {
            List<String> words = from.withoutFlags();
            return words.size() == 3 && words.get(1).equalsIgnoreCase("as")
                    ? Optional.of(words.get(2))
                    : Optional.empty();
        }

        List<Instruction> all(String keyword) {
            return instructions.stream()
                    .filter(instruction -> instruction.keyword().equals(keyword))
                    .toList();
        }

        /** The last {@code keyword} instruction (the one that counts for ENTRYPOINT, USER, WORKDIR...). */
        Instruction last(String keyword) {
            List<Instruction> all = all(keyword);
            if (all.isEmpty()) {
                throw new AssertionError("stage " + from + " has no " + keyword);
            }
            return all.get(all.size() - 1);
        }

        List<Copy> copies() {
            return all("COPY").stream().map(Copy::of).toList();
        }

        /** The working directory in force at the end of the stage ({@code /} without WORKDIR). */
        String workdir() {
            List<Instruction> all = all("WORKDIR");
            return all.isEmpty() ? "/" : all.get(all.size() - 1).arguments();
        }
    }

    static Dockerfile parse(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        int start = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String trimmed = line.trim();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && pending.length() == 0)) {
                continue; // comments (also inside a continued instruction) and blank lines
            }
            if (pending.length() == 0) {
                start = i + 1;
            }
            if (trimmed.endsWith("\\")) {
                pending.append(line, 0, line.lastIndexOf('\\')).append(' ');
                continue;
            }
            pending.append(line);
            String text = pending.toString().trim();
            pending.setLength(0);
            String[] parts = text.split("\\s+", 2);
            instructions.add(
                    new Instruction(start, parts[0].toUpperCase(Locale.ROOT), parts.length > 1 ? parts[1].trim() : ""));
        }
        if (pending.length() > 0) {
            throw new AssertionError(file + ": the last instruction ends with a line continuation");
        }
        List<Stage> stages = new ArrayList<>();
        List<Instruction> current = null;
        for (Instruction instruction : instructions) {
            if (instruction.keyword().equals("FROM")) {
                current = new ArrayList<>();
                stages.add(new Stage(instruction, current));
            } else if (current == null) {
                throw new AssertionError(file + ": " + instruction + " before the first FROM");
            } else {
                current.add(instruction);
            }
        }
        return new Dockerfile(stages.stream()
                .map(stage -> new Stage(stage.from(), List.copyOf(stage.instructions())))
                .toList());
    }

    Stage stage(String name) {
        return stages.stream()
                .filter(stage -> stage.name().filter(name::equals).isPresent())
                .findFirst()
                .orElseThrow(() -> new AssertionError("no stage named " + name + " in " + stages));
    }

    /** The stage that becomes the image. */
    Stage image() {
        return stages.get(stages.size() - 1);
    }

    /** The final stage's ENTRYPOINT, exec form. */
    List<String> entrypoint() {
        return image().last("ENTRYPOINT").execForm();
    }

    /** The argument after {@code option} in the ENTRYPOINT (e.g. {@code -jar}, {@code -c}). */
    String entrypointArgument(String option) {
        List<String> entrypoint = entrypoint();
        int at = entrypoint.indexOf(option);
        if (at < 0 || at + 1 >= entrypoint.size()) {
            throw new AssertionError("ENTRYPOINT " + entrypoint + " has no " + option + " VALUE");
        }
        return entrypoint.get(at + 1);
    }

    /**
     * The final stage's one {@code RUN} in exec form whose arguments include {@code argument} (the archive's training
     * run: {@code -XX:ArchiveClassesAtExit=...}; its check: {@code -Xshare:on}).
     */
    Instruction imageRunWith(String argument) {
        List<Instruction> runs = image().all("RUN").stream()
                .filter(run -> run.arguments().startsWith("["))
                .filter(run -> run.execForm().contains(argument))
                .toList();
        if (runs.size() != 1) {
            throw new AssertionError("expected one RUN [...] with " + argument + " in the final stage, found " + runs);
        }
        return runs.get(0);
    }

    /** The ENTRYPOINT's java command: the entrypoint without the script that execs it. */
    List<String> entrypointJava() {
        List<String> entrypoint = entrypoint();
        int java = entrypoint.indexOf("java");
        if (java < 0) {
            throw new AssertionError("ENTRYPOINT " + entrypoint + " runs no java");
        }
        return entrypoint.subList(java, entrypoint.size());
    }

    /** The JVM options of a java command line: the words between {@code java} and {@code -jar} or {@code -cp}. */
    static List<String> jvmOptions(List<String> javaCommand) {
        int end = 1;
        while (end < javaCommand.size()
                && !javaCommand.get(end).equals("-jar")
                && !javaCommand.get(end).equals("-cp")) {
            end++;
        }
        if (!javaCommand.get(0).equals("java") || end == javaCommand.size()) {
            throw new AssertionError("expected java OPTIONS... -jar|-cp ..., found " + javaCommand);
        }
        return javaCommand.subList(1, end);
    }

    List<String> volumes() {
        return image().all("VOLUME").stream()
                .flatMap(volume ->
                        volume.arguments().startsWith("[") ? volume.execForm().stream() : volume.words().stream())
                .toList();
    }

    /** EXPOSE'd TCP ports. */
    List<Integer> exposedPorts() {
        return image().all("EXPOSE").stream()
                .flatMap(expose -> expose.words().stream())
                .map(port -> Integer.valueOf(port.replace("/tcp", "")))
                .toList();
    }

    /** The HEALTHCHECK command, exec form. */
    List<String> healthcheck() {
        Instruction healthcheck = image().last("HEALTHCHECK");
        Matcher cmd = HEALTHCHECK_CMD.matcher(healthcheck.arguments());
        if (!cmd.matches()) {
            throw new AssertionError(healthcheck + ": expected HEALTHCHECK [OPTIONS] CMD [\"...\"]");
        }
        return healthcheck.execForm(cmd.group(1));
    }
}
