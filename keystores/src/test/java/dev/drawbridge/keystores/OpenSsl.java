package dev.drawbridge.keystores;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code openssl} binary in a directory, bounded by a timeout, capturing stdout and stderr. */
public final class OpenSsl {

    private static final long TIMEOUT_SECONDS = 60;

    public record Result(int exitCode, String output) {}

    private OpenSsl() {}

    /** Runs {@code openssl args...} in {@code directory}. */
    public static Result run(Path directory, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        Path output = Files.createTempFile(directory, ".openssl", ".out");
        Process process = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        try {
            process.getOutputStream().close();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("openssl did not finish in " + TIMEOUT_SECONDS + " s: " + command);
            }
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(output);
        }
    }

    /** Runs openssl and asserts it succeeded; returns its output. */
    public static String ok(Path directory, String... args) throws IOException, InterruptedException {
        Result result = run(directory, args);
        assertThat(result.exitCode())
                .as("openssl %s failed:%n%s", String.join(" ", args), result.output())
                .isZero();
        return result.output();
    }
}
