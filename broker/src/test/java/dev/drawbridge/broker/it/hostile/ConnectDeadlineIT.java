package dev.drawbridge.broker.it.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.conf.ListenerConfig.Protocol;
import dev.drawbridge.broker.net.BoundListener;
import dev.drawbridge.broker.testing.LogCapture;
import dev.drawbridge.broker.testing.TestPki;
import dev.drawbridge.broker.testing.TestPki.Issued;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 10 s CONNECT deadline on a TLS and on a WebSocket listener, as DeadlineProbes checks it on plain TCP: a socket
 * that never starts its TLS handshake or WebSocket upgrade, and one that completes it and then trickles its CONNECT a
 * byte a second, are closed within the deadline, each logged with its address; a client that sent its CONNECT on each
 * listener at the same time is still served afterwards (the positive control: only those without one are closed).
 */
class ConnectDeadlineIT {

    /** ListenerGroup.CONNECT_DEADLINE_SECONDS, and how much later than it a close still counts. */
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private static final Duration SLACK = Duration.ofSeconds(5);
    private static final String DEADLINE_LINE = " closed: no accepted CONNECT within 10 s.";

    /** CONNECT, MQTT 3.1.1, clean session, keepalive 60 s, client id "t" (0x74). */
    private static final byte[] CONNECT_T = HexFormat.of().parseHex("100d00044d5154540402003c000174");

    /** The same with client id "w" (0x77): two ids, so that neither client takes the other's session over. */
    private static final byte[] CONNECT_W = HexFormat.of().parseHex("100d00044d5154540402003c000177");

    private static final byte[] CONNACK = HexFormat.of().parseHex("20020000");
    private static final byte[] PINGREQ = HexFormat.of().parseHex("c000");
    private static final byte[] PINGRESP = HexFormat.of().parseHex("d000");

    @TempDir
    Path dir;

    private @Nullable Drawbridge broker;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final ScheduledExecutorService trickle = Executors.newScheduledThreadPool(2);

    @AfterEach
    void stop() throws Exception {
        trickle.shutdownNow();
        for (AutoCloseable c : open) {
            c.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void tlsAndWebSocketSocketsWithoutAConnectAreClosedByTheDeadline() throws Exception {
        TestPki pki = TestPki.create(dir, "home");
        Issued server = pki.server("server");
        broker = Drawbridge.start(Files.writeString(
                dir.resolve("mosquitto.conf"),
                "allow_anonymous true\n"
                        + "listener 0 127.0.0.1\ncertfile " + server.cert() + "\nkeyfile " + server.key() + "\n"
                        + "listener 0 127.0.0.1\nprotocol websockets\n"));
        int tlsPort = port(l -> l.config().tls().isPresent());
        int wsPort = port(l -> l.config().protocol() == Protocol.WEBSOCKETS);

        try (LogCapture connections = LogCapture.connections()) {
            long start = System.nanoTime();
            Socket tlsSilent = track(new Socket(InetAddress.getLoopbackAddress(), tlsPort));
            SSLSocket tlsTrickle = tlsSocket(pki, tlsPort);
            SSLSocket tlsClient = tlsSocket(pki, tlsPort);
            tlsClient.getOutputStream().write(CONNECT_T);
            assertThat(tlsClient.getInputStream().readNBytes(4)).isEqualTo(CONNACK);
            Socket wsSilent = track(new Socket(InetAddress.getLoopbackAddress(), wsPort));
            Ws wsTrickle = Ws.open(wsPort);
            Ws wsClient = Ws.open(wsPort);
            open.add(wsTrickle);
            open.add(wsClient);
            wsClient.send(CONNECT_W);
            assertThat(wsClient.next()).isEqualTo(HexFormat.of().formatHex(CONNACK));
            // One byte of a CONNECT a second (it would be whole after 15 s): the socket is never idle for long, so
            // only the deadline can close it.
            trickle.scheduleAtFixedRate(
                    new Trickle(b -> {
                        tlsTrickle.getOutputStream().write(b);
                        tlsTrickle.getOutputStream().flush();
                    }),
                    0,
                    1,
                    TimeUnit.SECONDS);
            trickle.scheduleAtFixedRate(
                    new Trickle(b -> wsTrickle.send(new byte[] {(byte) b})), 0, 1, TimeUnit.SECONDS);

            Duration left = DEADLINE.plus(SLACK).minus(Duration.ofNanos(System.nanoTime() - start));
            assertThat(closedWithin(tlsSilent, left)).as("TLS, no handshake").isTrue();
            assertThat(closedWithin(tlsTrickle, left))
                    .as("TLS, a CONNECT trickled")
                    .isTrue();
            assertThat(closedWithin(wsSilent, left)).as("WebSocket, no upgrade").isTrue();
            assertThat(wsTrickle.closed().get(left.toMillis() + 1000, TimeUnit.MILLISECONDS))
                    .as("WebSocket, a CONNECT trickled")
                    .isTrue();

            // Each close is logged with the socket's address and a timeout as the reason; the trickled ones are the
            // CONNECT deadline's (the silent ones may be closed by an idle or handshake timeout of the same 10 s).
            assertThat(connections.messages())
                    .anyMatch(closedByATimeout(tlsSilent))
                    .contains("Connection from 127.0.0.1:" + tlsTrickle.getLocalPort() + DEADLINE_LINE)
                    .anyMatch(closedByATimeout(wsSilent));
            assertThat(connections.messages())
                    .filteredOn(m -> m.endsWith(DEADLINE_LINE))
                    .hasSizeGreaterThanOrEqualTo(2);
            // Positive control: the clients that sent their CONNECT are still served.
            tlsClient.getOutputStream().write(PINGREQ);
            assertThat(tlsClient.getInputStream().readNBytes(2)).isEqualTo(PINGRESP);
            wsClient.send(PINGREQ);
            assertThat(wsClient.next()).isEqualTo(HexFormat.of().formatHex(PINGRESP));
        }
    }

    private static Predicate<String> closedByATimeout(Socket socket) {
        String address = "127.0.0.1:" + socket.getLocalPort() + " ";
        return m -> m.contains(address)
                && (m.contains("handshake timed out") || m.contains("exceeded timeout") || m.endsWith(DEADLINE_LINE));
    }

    /** Writes the next byte of a CONNECT each run until it is whole or the write fails (the broker closed). */
    private static final class Trickle implements Runnable {
        interface ByteSink {
            void write(int b) throws Exception;
        }

        private final ByteSink sink;
        private int next;
        private boolean done;

        Trickle(ByteSink sink) {
            this.sink = sink;
        }

        @Override
        public void run() {
            if (done || next == CONNECT_T.length) {
                return;
            }
            try {
                sink.write(CONNECT_T[next++]);
            } catch (Exception e) {
                done = true;
            }
        }
    }

    private int port(Predicate<BoundListener> which) {
        return broker.listeners().stream()
                .filter(which)
                .findFirst()
                .orElseThrow()
                .port();
    }

    private <T extends Socket> T track(T socket) {
        open.add(socket);
        return socket;
    }

    private SSLSocket tlsSocket(TestPki pki, int port) throws Exception {
        SSLSocket socket = track((SSLSocket)
                pki.trustingContext().getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port));
        socket.setSoTimeout((int) SLACK.toMillis());
        socket.startHandshake();
        return socket;
    }

    /** Whether the peer closes {@code socket} within {@code timeout}, with nothing sent before. */
    private static boolean closedWithin(Socket socket, Duration timeout) throws IOException {
        socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
        InputStream in = socket.getInputStream();
        try {
            int read = in.read();
            assertThat(read).as("bytes from the broker before the close").isEqualTo(-1);
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset, or the TLS layer's report of the close
        }
    }

    /** The JDK's WebSocket client, subprotocol {@code mqtt}, speaking raw MQTT bytes. */
    private static final class Ws implements WebSocket.Listener, AutoCloseable {
        private final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        private final CompletableFuture<Boolean> closed = new CompletableFuture<>();
        private @Nullable WebSocket socket;

        static Ws open(int port) throws Exception {
            Ws ws = new Ws();
            ws.socket = HttpClient.newHttpClient()
                    .newWebSocketBuilder()
                    .subprotocols("mqtt")
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/mqtt"), ws)
                    .get(SLACK.toMillis(), TimeUnit.MILLISECONDS);
            return ws;
        }

        void send(byte[] bytes) throws Exception {
            Objects.requireNonNull(socket)
                    .sendBinary(ByteBuffer.wrap(bytes), true)
                    .get(SLACK.toMillis(), TimeUnit.MILLISECONDS);
        }

        String next() throws InterruptedException {
            String message = received.poll(SLACK.toMillis(), TimeUnit.MILLISECONDS);
            return message == null ? "<nothing within " + SLACK + ">" : message;
        }

        CompletableFuture<Boolean> closed() {
            return closed;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            received.add(HexFormat.of().formatHex(bytes));
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(true);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(true); // the broker closing TCP without a close frame ends here
        }

        @Override
        public void close() {
            if (socket != null) {
                socket.abort();
            }
        }
    }
}
