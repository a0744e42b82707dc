package dev.drawbridge.broker.it.tls;

import static dev.drawbridge.broker.testing.MosquittoClients.pub;
import static dev.drawbridge.broker.testing.MosquittoClients.subscribed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.testing.ClientProcess;
import dev.drawbridge.broker.testing.LogCapture;
import dev.drawbridge.broker.testing.MosquittoClients;
import dev.drawbridge.broker.testing.MosquittoClients.Result;
import dev.drawbridge.broker.testing.TestPki;
import dev.drawbridge.broker.testing.TestPki.Issued;
import io.netty.handler.ssl.OpenSsl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code tls_version} as Mosquitto reads it: the lowest TLS version a listener allows. A TLS 1.2-only and a TLS
 * 1.3-only {@code openssl s_client} try each setting; each refusal is checked in the broker's log, so it was the
 * server that refused. Failsafe runs this class with both TLS providers (see {@link TlsIT}).
 */
class TlsVersionIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final boolean OPENSSL =
            !System.getProperty("drawbridge.tls.provider", "auto").equals("jdk") && OpenSsl.isAvailable();

    @TempDir
    Path dir;

    private TestPki pki;
    private Issued server;
    private @Nullable Drawbridge broker;
    private @Nullable ClientProcess subscriber;
    private @Nullable LogCapture log;

    @BeforeEach
    void setUp() throws Exception {
        pki = TestPki.create(dir, "home");
        server = pki.server("server");
        log = LogCapture.of("dev.drawbridge");
    }

    @AfterEach
    void tearDown() {
        try {
            if (subscriber != null) {
                subscriber.close();
            }
            if (broker != null) {
                broker.close();
            }
        } finally {
            log().close();
        }
    }

    /** The {@code tls_version} line (none: no line), and whether a 1.2-only and a 1.3-only client get in. */
    static Stream<Arguments> settings() {
        return Stream.of(
                Arguments.of("", true, true),
                Arguments.of("tls_version tlsv1.2", true, true),
                Arguments.of("tls_version tlsv1.3", false, true),
                Arguments.of("tls_version tlsv1.1", true, true),
                Arguments.of("tls_version tlsv1", true, true));
    }

    @ParameterizedTest(name = "[{0}] tls1.2 {1}, tls1.3 {2}")
    @MethodSource("settings")
    void tlsVersionIsTheLowestVersionAllowed(String setting, boolean tls12, boolean tls13) throws Exception {
        int port = start(setting);

        assertHandshake(port, "-tls1_2", "TLSv1.2", tls12);
        assertHandshake(port, "-tls1_3", "TLSv1.3", tls13);
    }

    @Test
    void tlsVersion11StartsWithOneWarningAndStillRefusesATls11Client() throws Exception {
        int port = start("tls_version tlsv1.1");

        assertThat(log().messages())
                .filteredOn(m -> m.contains("tls_version tlsv1.1"))
                .containsExactly(dir.resolve("mosquitto.conf")
                        + ":5: tls_version tlsv1.1: nothing below TLS 1.2 is offered (deprecated by RFC 8996); TLS 1.2"
                        + " and 1.3 allowed");
        // OpenSSL 3 only offers TLS 1.1 at security level 0; without it the client would refuse by itself.
        Result tls11 = sClient(port, "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0");
        assertThat(tls11.exitCode())
                .as("openssl s_client -tls1_1: %s", tls11.stdout())
                .isNotZero();
        // Logged with the peer and the version it offered, whichever TLS provider refused it.
        assertThat(log().awaitLine(m -> m.contains(" refused: "), TIMEOUT))
                .contains("TLS handshake from 127.0.0.1:")
                .containsIgnoringCase(OPENSSL ? "UNSUPPORTED_PROTOCOL" : "TLSv1.1")
                .endsWith(" (the client offers TLSv1.1 at most; nothing below TLS 1.2 is offered).");
        // The positive control on the same listener: TLS 1.2 is served.
        assertHandshake(port, "-tls1_2", "TLSv1.2", true);
    }

    /** The case: a TLS 1.3-only MQTT client on a listener configured with Mosquitto's "tls_version tlsv1.2". */
    @Test
    void aTls13OnlyMosquittoClientPublishesOnATlsv12Listener() throws Exception {
        int port = start("tls_version tlsv1.2");
        String[] tls = {"--cafile", pki.caFile().toString(), "--tls-version", "tlsv1.3"};

        subscriber = subscribed(port, concat(tls, "-t", "door/state", "-C", "1"));
        Result published = pub(port, concat(tls, "-t", "door/state", "-m", "closed"));

        assertThat(published.exitCode())
                .as("mosquitto_pub: %s", published.stderr())
                .isZero();
        subscriber.awaitLine("closed"::equals, TIMEOUT);
    }

    private void assertHandshake(int port, String flag, String version, boolean allowed) throws Exception {
        int refusalsBefore = refusals().size();
        Result result = sClient(port, flag);
        if (allowed) {
            assertThat(result.exitCode())
                    .as("openssl s_client %s: %s", flag, result.stderr())
                    .isZero();
            assertThat(result.stdout()).anyMatch(line -> line.startsWith("New, " + version + ","));
        } else {
            assertThat(result.exitCode())
                    .as("openssl s_client %s: %s", flag, result.stdout())
                    .isNotZero();
            // The server refused it, and said why: BoringSSL names no version.
            org.awaitility.Awaitility.await("the broker's refusal")
                    .atMost(TIMEOUT)
                    .until(() -> refusals().size() > refusalsBefore);
            String refusal = refusals().get(refusalsBefore);
            assertThat(refusal)
                    .containsIgnoringCase(OPENSSL ? "UNSUPPORTED_PROTOCOL" : version)
                    .doesNotContain("the client offers");
        }
    }

    private List<String> refusals() {
        return log().messages().stream().filter(m -> m.contains(" refused: ")).toList();
    }

    /** A TLS listener on a free port, anonymous clients allowed, then {@code setting}; returns its port. */
    private int start(String setting) throws Exception {
        Path conf = Files.writeString(
                dir.resolve("mosquitto.conf"),
                "allow_anonymous true\nlistener 0 127.0.0.1\ncertfile " + server.cert() + "\nkeyfile " + server.key()
                        + "\n" + setting + "\n");
        broker = Drawbridge.start(conf);
        return broker.port();
    }

    /** {@code openssl s_client} checking the server against the test CA, stdin closed. */
    private Result sClient(int port, String... args) throws Exception {
        return MosquittoClients.run(Stream.concat(
                        Stream.of(
                                "openssl",
                                "s_client",
                                "-connect",
                                "127.0.0.1:" + port,
                                "-CAfile",
                                pki.caFile().toString(),
                                "-verify_return_error"),
                        Stream.of(args))
                .toList());
    }

    private static String[] concat(String[] first, String... second) {
        return Stream.concat(Stream.of(first), Stream.of(second)).toArray(String[]::new);
    }

    private LogCapture log() {
        if (log == null) {
            throw new IllegalStateException("no log capture");
        }
        return log;
    }
}
