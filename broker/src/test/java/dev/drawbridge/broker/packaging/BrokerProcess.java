package dev.drawbridge.broker.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * The broker started from a packaging file's command line (the image's ENTRYPOINT, the unit's ExecStart) as a process
 * of its own, output to a file; started means every given port accepts connections. {@link #close()} kills it if a
 * test failed before {@link #stop()}.
 */
final class BrokerProcess implements AutoCloseable {

    private static final Duration START = Duration.ofSeconds(30);
    private static final Duration STOP = Duration.ofSeconds(30);

    private final List<String> command;
    private final Process process;
    private final Path output;

    private BrokerProcess(List<String> command, Process process, Path output) {
        this.command = List.copyOf(command);
        this.process = process;
        this.output = output;
    }

    /** Runs {@code command} in {@code directory} and waits until every port in {@code ports} accepts. */
    static BrokerProcess start(List<String> command, Path directory, Path output, int... ports) throws IOException {
        Process process = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        process.getOutputStream().close();
        BrokerProcess broker = new BrokerProcess(command, process, output);
        Awaitility.await("the broker of " + command + " listening on " + Arrays.toString(ports))
                .atMost(START)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    assertThat(process.isAlive())
                            .as(
                                    "the broker exited with %s: %s",
                                    process.isAlive() ? "" : process.exitValue(), broker.output())
                            .isTrue();
                    return Arrays.stream(ports).allMatch(PackagingFiles::accepts);
                });
        return broker;
    }

    /** SIGTERM, as {@code docker stop} and {@code systemctl stop} send it; returns the exit status. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("no exit within " + STOP + " of SIGTERM: " + output());
        }
        return process.exitValue();
    }

    /** Everything the broker wrote to stdout and stderr so far. */
    String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return String.join(" ", command);
    }
}
