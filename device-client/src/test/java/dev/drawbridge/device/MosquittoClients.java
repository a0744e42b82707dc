package dev.drawbridge.device;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code mosquitto_pub} and {@code mosquitto_sub} as processes: on the broker's plain listener (the test's
 * own view, allowed everything), or over TLS with a certificate from the test PKI.
 */
public final class MosquittoClients {

    private final List<String> connection;

    private MosquittoClients(List<String> connection) {
        this.connection = List.copyOf(connection);
    }

    /** Anonymous, on the plain listener at 127.0.0.1 and {@code port}. */
    public static MosquittoClients plain(int port) {
        return new MosquittoClients(List.of("-h", "127.0.0.1", "-p", String.valueOf(port)));
    }

    /** On the plain listener at 127.0.0.1 and {@code port}, logged in as {@code username}. */
    public static MosquittoClients login(int port, String username, String password) {
        return new MosquittoClients(
                List.of("-h", "127.0.0.1", "-p", String.valueOf(port), "-u", username, "-P", password));
    }

    /** Over TLS to {@code localhost:port}, checking the broker by the test CA, as {@code name.crt}/{@code name.key}. */
    public static MosquittoClients tls(TestPki pki, int port, String name) {
        return new MosquittoClients(List.of(
                "-h",
                "localhost",
                "-p",
                String.valueOf(port),
                "--cafile",
                pki.file("ca.crt").toString(),
                "--cert",
                pki.file(name + ".crt").toString(),
                "--key",
                pki.file(name + ".key").toString()));
    }

    private List<String> command(String program) {
        List<String> command = new ArrayList<>(List.of(program));
        command.addAll(connection);
        return command;
    }

    /** Publishes each of {@code payloads} at QoS 1 in one connection, in order; fails unless it succeeds in 10 s. */
    public void publish(String topic, boolean retain, String... payloads) throws IOException, InterruptedException {
        List<String> command = command("mosquitto_pub");
        command.addAll(List.of("-t", topic, "-q", "1", "-l"));
        if (retain) {
            command.add("-r");
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().write((String.join("\n", payloads) + "\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("mosquitto_pub did not finish in 10 s");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IllegalStateException("mosquitto_pub failed (" + process.exitValue() + "): " + output);
        }
    }

    /** Starts {@code mosquitto_sub} on {@code topics}; each message becomes {@code RETAIN|TOPIC|PAYLOAD}. */
    public Subscription subscribe(String... topics) throws IOException {
        return subscribe(List.of(), "MSG|%r|%t|%p", topics);
    }

    /**
     * Starts {@code mosquitto_sub -V 5} with {@code options} (e.g. {@code -c -i ID -x SECONDS} for a session that
     * outlives it) on {@code topics}; messages as {@link #subscribe}, and each one's message expiry interval as the
     * broker forwarded it in {@link Subscription#expiries()}.
     */
    public Subscription subscribeV5(List<String> options, String... topics) throws IOException {
        List<String> v5 = new ArrayList<>(List.of("-V", "5"));
        v5.addAll(options);
        return subscribe(v5, "MSG|%r|%t|%p\\nEXP|%E", topics);
    }

    private Subscription subscribe(List<String> options, String format, String... topics) throws IOException {
        // stdbuf: through a pipe mosquitto_sub buffers its debug lines, and the SUBACK line is how we know it listens
        List<String> command = new ArrayList<>(List.of("stdbuf", "-oL"));
        command.addAll(command("mosquitto_sub"));
        command.addAll(options);
        for (String topic : topics) {
            command.addAll(List.of("-t", topic));
        }
        command.addAll(List.of("-q", "1", "-d", "-F", format));
        return new Subscription(
                new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /** A running mosquitto_sub. */
    public static final class Subscription implements AutoCloseable {
        private final Process process;
        private final List<String> messages = new CopyOnWriteArrayList<>();
        private final List<String> output = new CopyOnWriteArrayList<>();
        private final List<String> expiries = new CopyOnWriteArrayList<>();
        private volatile boolean subscribed;

        Subscription(Process process) {
            this.process = process;
            Thread reader = new Thread(this::read, "mosquitto_sub-reader");
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            try (BufferedReader lines =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    output.add(line);
                    if (line.startsWith("MSG|")) {
                        messages.add(line.substring(4));
                    } else if (line.startsWith("EXP|")) {
                        expiries.add(line.substring(4));
                    } else if (line.contains("SUBACK")) {
                        subscribed = true;
                    }
                }
            } catch (IOException e) {
                output.add("read failed: " + e);
            }
        }

        public boolean subscribed() {
            return subscribed;
        }

        /** Messages so far as {@code RETAIN|TOPIC|PAYLOAD}, RETAIN being 1 or 0. */
        public List<String> messages() {
            return List.copyOf(messages);
        }

        /** Payloads received on {@code topic}, in order. */
        public List<String> payloads(String topic) {
            String prefix = "|" + topic + "|";
            return messages.stream()
                    .filter(m -> m.substring(1).startsWith(prefix))
                    .map(m -> m.substring(1 + prefix.length()))
                    .toList();
        }

        /** With {@link MosquittoClients#subscribeV5}: each message's expiry interval in seconds, "" for none. */
        public List<String> expiries() {
            return List.copyOf(expiries);
        }

        public String output() {
            return String.join("\n", output);
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
