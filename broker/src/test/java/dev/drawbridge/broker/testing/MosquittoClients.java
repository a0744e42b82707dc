package dev.drawbridge.broker.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Debian's {@code mosquitto_pub} and {@code mosquitto_sub} against a broker on 127.0.0.1. */
public final class MosquittoClients {

    private MosquittoClients() {}

    /** A finished client. */
    public record Result(int exitCode, List<String> stdout, List<String> stderr) {}

    /** Runs {@code mosquitto_pub} to its end (20 s at most). */
    public static Result pub(int port, String... args) throws IOException, InterruptedException {
        try (ClientProcess p = ClientProcess.start(command("mosquitto_pub", port, args))) {
            int code = p.waitFor(Duration.ofSeconds(20));
            return new Result(code, p.stdout(), p.stderr());
        }
    }

    /**
     * Runs {@code mosquitto_pub} over mutual TLS as {@code device} (also its client id), one QoS 1 message, with the
     * files that {@code pki} and the console's download put in {@code folder}: ca.crt, DEVICE.crt and DEVICE.key.
     */
    public static Result pubTls(int port, Path folder, String device, String topic, String message)
            throws IOException, InterruptedException {
        return pub(
                port,
                "--cafile",
                folder.resolve("ca.crt").toString(),
                "--cert",
                folder.resolve(device + ".crt").toString(),
                "--key",
                folder.resolve(device + ".key").toString(),
                "-i",
                device,
                "-q",
                "1",
                "-t",
                topic,
                "-m",
                message);
    }

    /**
     * Starts {@code mosquitto_sub} with {@code -d} and waits until the broker has acknowledged the subscription, so a
     * message published next is routed to it.
     */
    public static ClientProcess subscribed(int port, String... args) throws IOException {
        List<String> withDebug = new ArrayList<>(List.of("-d"));
        withDebug.addAll(List.of(args));
        // stdbuf: mosquitto_sub buffers stdout when it is a pipe, and -d lines must arrive as they happen.
        List<String> command = new ArrayList<>(List.of("stdbuf", "-oL"));
        command.addAll(command("mosquitto_sub", port, withDebug.toArray(String[]::new)));
        ClientProcess p = ClientProcess.start(command);
        p.awaitLine(line -> line.contains("received SUBACK"), Duration.ofSeconds(15));
        return p;
    }

    /** Runs any client command line to its end (20 s at most). */
    public static Result run(List<String> command) throws IOException, InterruptedException {
        try (ClientProcess p = ClientProcess.start(command)) {
            int code = p.waitFor(Duration.ofSeconds(20));
            return new Result(code, p.stdout(), p.stderr());
        }
    }

    /** Starts {@code mosquitto_sub} without waiting for anything. */
    public static ClientProcess sub(int port, String... args) throws IOException {
        return ClientProcess.start(command("mosquitto_sub", port, args));
    }

    /** Runs {@code mosquitto_sub} until it ends by itself (e.g. with {@code -C} or {@code -W}). */
    public static Result subUntilDone(int port, String... args) throws IOException, InterruptedException {
        try (ClientProcess p = ClientProcess.start(command("mosquitto_sub", port, args))) {
            int code = p.waitFor(Duration.ofSeconds(20));
            return new Result(code, p.stdout(), p.stderr());
        }
    }

    private static List<String> command(String tool, int port, String... args) {
        List<String> command = new ArrayList<>(List.of(tool, "-h", "127.0.0.1", "-p", Integer.toString(port)));
        command.addAll(List.of(args));
        return command;
    }
}
