package dev.drawbridge.broker.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;

/** A process whose output is collected line by line while it runs; killed on close. */
public final class ClientProcess implements AutoCloseable {

    private final List<String> command;
    private final Process process;
    private final List<String> stdout = new CopyOnWriteArrayList<>();
    private final List<String> stderr = new CopyOnWriteArrayList<>();
    private final Thread outReader;
    private final Thread errReader;

    private ClientProcess(List<String> command, Process process) {
        this.command = List.copyOf(command);
        this.process = process;
        this.outReader = drain(process.getInputStream(), stdout);
        this.errReader = drain(process.getErrorStream(), stderr);
    }

    public static ClientProcess start(List<String> command) throws IOException {
        return start(command, null);
    }

    /** Starts {@code command} in {@code directory} (null: this process's working directory). */
    public static ClientProcess start(List<String> command, @Nullable Path directory) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command);
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        Process process = builder.start();
        process.getOutputStream().close();
        return new ClientProcess(command, process);
    }

    private static Thread drain(InputStream in, List<String> lines) {
        Thread t = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the process went away; what was read is kept
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    public List<String> stdout() {
        return List.copyOf(stdout);
    }

    public List<String> stderr() {
        return List.copyOf(stderr);
    }

    /** Every line read so far, stdout's first. */
    public List<String> output() {
        List<String> all = new ArrayList<>(stdout);
        all.addAll(stderr);
        return all;
    }

    /** True if a line of stdout or stderr read so far matches. */
    public boolean hasLine(Predicate<String> match) {
        return stdout.stream().anyMatch(match) || stderr.stream().anyMatch(match);
    }

    /** Waits until a line of stdout or stderr matches. */
    public String awaitLine(Predicate<String> match, Duration timeout) {
        Awaitility.await()
                .alias("a line from " + command)
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> stdout.stream().anyMatch(match) || stderr.stream().anyMatch(match));
        return stdout.stream()
                .filter(match)
                .findFirst()
                .orElseGet(() -> stderr.stream().filter(match).findFirst().orElseThrow());
    }

    /** Waits for the process to end and returns its exit code. */
    public int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not end within " + timeout + "; out=" + stdout + " err=" + stderr);
        }
        // The readers end at EOF, right after the process; the bound only matters on a badly overloaded machine.
        outReader.join(10_000);
        errReader.join(10_000);
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL: the peer sees the socket drop without DISCONNECT. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM via {@link Process#destroy()}, which also closes our ends of its pipes: later output is lost. */
    public void terminate() {
        process.destroy();
    }

    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                kill();
            }
            outReader.join(2000);
            errReader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
