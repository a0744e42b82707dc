package dev.drawbridge.broker.it.tls;

import static dev.drawbridge.broker.testing.MosquittoClients.pub;
import static dev.drawbridge.broker.testing.MosquittoClients.subUntilDone;
import static dev.drawbridge.broker.testing.MosquittoClients.subscribed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.drawbridge.broker.BrokerStartException;
import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.conf.TlsConfig;
import dev.drawbridge.broker.testing.ClientProcess;
import dev.drawbridge.broker.testing.MosquittoClients.Result;
import dev.drawbridge.broker.testing.TestPki;
import dev.drawbridge.broker.testing.TestPki.Issued;
import dev.drawbridge.broker.tls.ServerTls;
import dev.drawbridge.keystores.FingerprintAlgorithm;
import dev.drawbridge.keystores.FingerprintFormat;
import dev.drawbridge.keystores.Fingerprints;
import dev.drawbridge.keystores.KeyType;
import dev.drawbridge.keystores.PemFiles;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslContext;
import io.netty.handler.ssl.SslContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import javax.net.ssl.SSLSocket;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

/**
 * TLS listeners with real certificates made at test time: client certificates (and the ones refused), TLS versions,
 * the certificate as username for the ACL, the fingerprint an ESP8266 pins, key formats, reload and expiry. Clients
 * are Debian's {@code mosquitto_pub}/{@code mosquitto_sub} and {@code openssl s_client}. Failsafe runs this class twice:
 * with the default TLS provider (OpenSSL where it loads) and with {@code -Ddrawbridge.tls.provider=jdk}.
 */
class TlsIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final String PROVIDER = System.getProperty("drawbridge.tls.provider", "auto");
    /** Whether this run's listeners use OpenSSL (BoringSSL); otherwise the JDK. */
    private static final boolean OPENSSL = !PROVIDER.equals("jdk") && OpenSsl.isAvailable();

    @TempDir
    Path dir;

    private TestPki pki;
    private @Nullable Drawbridge broker;
    private final List<ClientProcess> processes = new ArrayList<>();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @BeforeEach
    void setUp() throws Exception {
        pki = TestPki.create(dir, "home");
        logs.start();
        root.addAppender(logs);
    }

    @AfterEach
    void tearDown() {
        try {
            processes.forEach(ClientProcess::close);
            if (broker != null) {
                broker.close();
            }
        } finally {
            root.detachAppender(logs);
            logs.stop();
        }
    }

    // ---- 1. client certificates ----

    @Test
    void aClientWithACertificateOfTheCaPublishesAndSubscribes() throws Exception {
        Issued server = pki.server("server");
        Issued revoked = pki.client("stolen");
        int port = start(clientCertificateListener(server, pki.crl(revoked.certificate())));
        Issued garage = pki.client("garage");
        Issued phone = pki.client("phone");

        ClientProcess sub = track(subscribed(port, withTls(phone, "-t", "garage/state", "-C", "1")));
        Result published = pub(port, withTls(garage, "-t", "garage/state", "-q", "1", "-m", "open"));

        assertThat(published.exitCode())
                .as("mosquitto_pub: %s", published.stderr())
                .isZero();
        sub.awaitLine("open"::equals, TIMEOUT);
        assertThat(sub.waitFor(TIMEOUT)).isZero();
    }

    /**
     * A client the listener must refuse, and the words of the reason the broker logs: the JDK's trust manager checks
     * the certificate with either provider; a missing certificate is BoringSSL's own error.
     */
    enum BadClient {
        NO_CERTIFICATE("Empty client certificate chain", "PEER_DID_NOT_RETURN_A_CERTIFICATE"),
        OTHER_CA("unable to find valid certification path"),
        EXPIRED("validity check failed"),
        REVOKED("Certificate has been revoked");

        final String jdkReason;
        final String openSslReason;

        BadClient(String reason) {
            this(reason, reason);
        }

        BadClient(String jdkReason, String openSslReason) {
            this.jdkReason = jdkReason;
            this.openSslReason = openSslReason;
        }

        String reason() {
            return OPENSSL ? openSslReason : jdkReason;
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(BadClient.class)
    void aClientWithoutAValidCertificateIsRefusedAndTheReasonLogged(BadClient bad) throws Exception {
        Issued server = pki.server("server");
        Issued revoked = pki.client("stolen");
        int port = start(clientCertificateListener(server, pki.crl(revoked.certificate())));
        String[] tls = switch (bad) {
            case NO_CERTIFICATE -> new String[] {"--cafile", pki.caFile().toString()};
            case OTHER_CA -> tlsArgs(TestPki.create(dir, "other").client("garage"));
            case EXPIRED -> tlsArgs(pki.client("garage", TestPki.expired()));
            case REVOKED -> tlsArgs(revoked);
        };

        Result published = pub(port, concat(tls, "-t", "garage/state", "-q", "1", "-m", "open"));
        Result subscribed = subUntilDone(port, concat(tls, "-t", "garage/state", "-C", "1", "-W", "10"));

        assertThat(published.exitCode()).as("mosquitto_pub exit code").isNotZero();
        assertThat(subscribed.exitCode()).as("mosquitto_sub exit code").isNotZero();
        assertThat(subscribed.stdout()).isEmpty();
        String refused = awaitLog(m -> m.startsWith("TLS handshake from 127.0.0.1") && m.contains(" refused: "));
        assertThat(refused).contains(bad.reason());
    }

    // ---- 2. TLS versions ----

    @Test
    void tls11IsRefused() throws Exception {
        int port = start(clientCertificateListener(pki.server("server"), null));

        // OpenSSL 3 only offers TLS 1.1 at security level 0; without it the client would refuse by itself.
        Result result = sClient(port, pki.client("garage"), "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0");

        assertThat(result.exitCode())
                .as("openssl s_client: %s", result.stdout())
                .isNotZero();
        // The broker saw the attempt: it was refused by the server, not by the client. BoringSSL names no version.
        assertThat(awaitLog(m -> m.contains(" refused: ")))
                .containsIgnoringCase(OPENSSL ? "UNSUPPORTED_PROTOCOL" : "TLSv1.1");
    }

    @Test
    void tls13IsServedByDefault() throws Exception {
        int port = start(clientCertificateListener(pki.server("server"), null));

        Result result = sClient(port, pki.client("garage"), "-tls1_3");

        assertThat(result.exitCode())
                .as("openssl s_client: %s", result.stderr())
                .isZero();
        assertThat(result.stdout()).anyMatch(line -> line.contains("TLSv1.3"));
    }

    // ---- 3. the certificate as username, for the ACL ----

    @Test
    void useIdentityAsUsernameGivesTheCommonNameToTheAcl() throws Exception {
        Path acl = Files.writeString(dir.resolve("acl"), """
                user garage
                topic readwrite garage/#

                user watcher
                topic read #
                """);
        int port = start(clientCertificateListener(pki.server("server"), null) + "acl_file " + acl + "\n");

        assertGarageMayPublishOnlyUnderGarage(port, pki.client("garage"), pki.client("watcher"));
    }

    @Test
    void useSubjectAsUsernameGivesTheRfc2253SubjectToTheAcl() throws Exception {
        // CertificateAuthority issues subjects with a CN only, so the subject is CN=garage.
        Path acl = Files.writeString(dir.resolve("acl"), """
                user CN=garage
                topic readwrite garage/#

                user CN=watcher
                topic read #
                """);
        String listener = clientCertificateListener(pki.server("server"), null)
                .replace("use_identity_as_username true", "use_subject_as_username true");
        int port = start(listener + "acl_file " + acl + "\n");

        assertGarageMayPublishOnlyUnderGarage(port, pki.client("garage"), pki.client("watcher"));
    }

    private void assertGarageMayPublishOnlyUnderGarage(int port, Issued garage, Issued watcher) throws Exception {
        ClientProcess sub = track(subscribed(port, withTls(watcher, "-t", "#", "-v")));

        Result allowed = pub(port, withTls(garage, "-t", "garage/state", "-q", "1", "-m", "open"));
        Result denied = pub(port, withTls(garage, "-t", "house/x", "-q", "1", "-m", "intruder"));
        Result sentinel = pub(port, withTls(garage, "-t", "garage/sentinel", "-q", "1", "-m", "done"));

        assertThat(allowed.exitCode())
                .as("mosquitto_pub garage/state: %s", allowed.stderr())
                .isZero();
        assertThat(sentinel.exitCode())
                .as("mosquitto_pub garage/sentinel: %s", sentinel.stderr())
                .isZero();
        sub.awaitLine("garage/sentinel done"::equals, TIMEOUT);
        assertThat(sub.stdout()).contains("garage/state open").noneMatch(line -> line.contains("house/x"));
        // MQTT 3.1.1 has no way to say "denied": Mosquitto acknowledges and drops the message.
        assertThat(denied.exitCode())
                .as("mosquitto_pub house/x: %s", denied.stderr())
                .isZero();
    }

    // ---- 4. plain and TLS listeners from one file ----

    @Test
    void aMessagePublishedOnTheTlsListenerReachesASubscriberOnThePlainOne() throws Exception {
        Issued server = pki.server("server");
        start("""
                allow_anonymous true
                listener 0 127.0.0.1
                listener 0 127.0.0.1
                certfile %s
                keyfile %s
                """.formatted(server.cert(), server.key()));
        Drawbridge running = running();
        assertThat(running.listeners()).hasSize(2);
        int plain = running.listeners().get(0).port();
        int tls = running.listeners().get(1).port();

        ClientProcess sub = track(subscribed(plain, "-t", "door/state", "-C", "1"));
        Result published = pub(tls, "--cafile", pki.caFile().toString(), "-t", "door/state", "-m", "closed");

        assertThat(published.exitCode())
                .as("mosquitto_pub over TLS: %s", published.stderr())
                .isZero();
        sub.awaitLine("closed"::equals, TIMEOUT);
        // and the plain port does not speak TLS
        Result tlsOnPlain = pub(plain, "--cafile", pki.caFile().toString(), "-t", "door/state", "-m", "x");
        assertThat(tlsOnPlain.exitCode()).isNotZero();
    }

    // ---- 5. the fingerprint an ESP8266 pins ----

    @Test
    void theSha1FingerprintOfTheCertfileIsTheOneTheTlsPortPresents() throws Exception {
        Issued server = pki.server("server");
        int port = start(serverOnlyListener(server));

        String ours = Fingerprints.of(
                PemFiles.readCertificate(server.cert()), FingerprintAlgorithm.SHA1, FingerprintFormat.COLON);
        String openssl = sha1Fingerprint(server.cert());
        Result shown = run(List.of(
                "openssl",
                "s_client",
                "-connect",
                "127.0.0.1:" + port,
                "-CAfile",
                pki.caFile().toString(),
                "-showcerts"));
        assertThat(shown.exitCode())
                .as("openssl s_client -showcerts: %s", shown.stderr())
                .isZero();
        Path presented = Files.write(dir.resolve("presented.pem"), shown.stdout());
        String onTheWire = sha1Fingerprint(presented);
        String viaJava = Fingerprints.of(presented(port), FingerprintAlgorithm.SHA1, FingerprintFormat.COLON);

        assertThat(ours).matches("([0-9A-F]{2}:){19}[0-9A-F]{2}");
        assertThat(openssl).isEqualTo(ours);
        assertThat(onTheWire).isEqualTo(ours);
        assertThat(viaJava).isEqualTo(ours);
        assertThat(Fingerprints.of(server.certificate(), FingerprintAlgorithm.SHA1, FingerprintFormat.ESP8266))
                .isEqualTo(ours.replace(':', ' '));
    }

    // ---- 6. key formats ----

    /** A form of server key, made the way users make them. */
    enum KeyFormat {
        PKCS1_RSA("-----BEGIN RSA PRIVATE KEY-----"),
        PKCS8_RSA("-----BEGIN PRIVATE KEY-----"),
        SEC1_EC("-----BEGIN EC PRIVATE KEY-----"),
        PKCS8_EC("-----BEGIN PRIVATE KEY-----");

        final String begins;

        KeyFormat(String begins) {
            this.begins = begins;
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(KeyFormat.class)
    void eachKeyFormatServes(KeyFormat format) throws Exception {
        KeyType type = format.name().endsWith("_EC") ? KeyType.EC : KeyType.RSA;
        Issued server = pki.server("server", type, TestPki.days(365));
        Path key = switch (format) {
            case PKCS8_RSA, PKCS8_EC -> server.key();
            case PKCS1_RSA -> openssl(server.key(), "rsa", "-traditional");
            case SEC1_EC -> openssl(server.key(), "ec");
        };
        assertThat(Files.readString(key)).startsWith(format.begins);

        int port = start(serverOnlyListener(new Issued(server.cert(), key, server.certificate())));

        assertThat(presented(port)).isEqualTo(server.certificate());
        Result published = pub(port, "--cafile", pki.caFile().toString(), "-t", "k", "-m", format.name());
        assertThat(published.exitCode())
                .as("mosquitto_pub: %s", published.stderr())
                .isZero();
    }

    /** An encrypted key made by Drawbridge (PKCS#8, PBES2) or by {@code openssl rsa -aes256} (legacy PEM). */
    enum EncryptedKey {
        PKCS8,
        OPENSSL_LEGACY
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(EncryptedKey.class)
    void anEncryptedKeyNeedsKeyfilePassword(EncryptedKey kind) throws Exception {
        Issued server = switch (kind) {
            case PKCS8 -> pki.encryptedServer("server", "s3cret");
            case OPENSSL_LEGACY -> {
                Issued plain = pki.server("server");
                Path encrypted = openssl(plain.key(), "rsa", "-traditional", "-aes256", "-passout", "pass:s3cret");
                yield new Issued(plain.cert(), encrypted, plain.certificate());
            }
        };
        assertThat(Files.readString(server.key())).contains("ENCRYPTED");

        Path withoutPassword = conf(serverOnlyListener(server));
        assertThatThrownBy(() -> Drawbridge.start(withoutPassword))
                .isInstanceOf(BrokerStartException.class)
                .hasMessageContaining(server.key().toString())
                .hasMessageContaining("keyfile_password");

        int port = start(serverOnlyListener(server) + "keyfile_password s3cret\n");
        assertThat(presented(port)).isEqualTo(server.certificate());
    }

    // ---- 7. reload ----

    @Test
    void reloadGivesNewConnectionsTheNewCertificateAndKeepsOpenOnes() throws Exception {
        Issued first = pki.server("server");
        int port = start(serverOnlyListener(first));
        ClientProcess sub = track(
                subscribed(port, "--cafile", pki.caFile().toString(), "-i", "reload-watcher", "-t", "reload/#", "-v"));
        assertThat(presented(port)).isEqualTo(first.certificate());

        Issued second = pki.server("server"); // replaces server.crt and server.key
        assertThat(second.certificate().getSerialNumber())
                .isNotEqualTo(first.certificate().getSerialNumber());
        running().reload();

        String now = sha1(presented(port));
        assertThat(now).isEqualTo(sha1(second.certificate())).isNotEqualTo(sha1(first.certificate()));
        Result published = pub(port, "--cafile", pki.caFile().toString(), "-t", "reload/after", "-m", "still here");
        assertThat(published.exitCode())
                .as("mosquitto_pub: %s", published.stderr())
                .isZero();
        sub.awaitLine("reload/after still here"::equals, TIMEOUT);
        // mosquitto_sub would reconnect (and subscribe again) by itself: prove it never had to.
        assertThat(sub.isAlive()).isTrue();
        assertThat(sub.stdout())
                .filteredOn(line -> line.contains("sending CONNECT"))
                .hasSize(1);
        assertThat(events())
                .map(ILoggingEvent::getFormattedMessage)
                .filteredOn(m -> m.contains("reload-watcher"))
                .singleElement()
                .asString()
                .startsWith("New client connected");
    }

    @Test
    void aReloadedMosquittoConfWithOtherCertfileAndKeyfileGivesNewConnectionsThatCertificate() throws Exception {
        Issued first = pki.server("server");
        int port = start(serverOnlyListener(first));
        assertThat(presented(port)).isEqualTo(first.certificate());

        Issued other = pki.server("other"); // other.crt and other.key; server.crt stays as it was
        conf(serverOnlyListener(other));
        running().reload();

        assertThat(sha1(presented(port))).isEqualTo(sha1(other.certificate())).isNotEqualTo(sha1(first.certificate()));
    }

    @Test
    void aCrlfileAddedToMosquittoConfByAReloadRefusesTheRevokedCertificate() throws Exception {
        Issued server = pki.server("server");
        Issued stolen = pki.client("stolen");
        Issued garage = pki.client("garage");
        int port = start(clientCertificateListener(server, null));
        Result before = pub(port, withTls(stolen, "-t", "crl/before", "-m", "in"));
        assertThat(before.exitCode())
                .as("before the crlfile: %s", before.stderr())
                .isZero();

        conf(clientCertificateListener(server, pki.crl(stolen.certificate())));
        running().reload();

        Result after = pub(port, withTls(stolen, "-t", "crl/after", "-m", "in"));
        assertThat(after.exitCode())
                .as("the revoked certificate after the reload")
                .isNotZero();
        Result control = pub(port, withTls(garage, "-t", "crl/after", "-m", "in"));
        assertThat(control.exitCode())
                .as("another certificate after the reload: %s", control.stderr())
                .isZero();
    }

    @Test
    void aBrokenCertfileOnReloadKeepsTheOldMaterialAndIsLogged() throws Exception {
        Issued server = pki.server("server");
        int port = start(serverOnlyListener(server));
        Files.writeString(server.cert(), "-----BEGIN CERTIFICATE-----\nbroken\n-----END CERTIFICATE-----\n");

        running().reload();

        String logged = awaitLog(m -> m.startsWith("Reload kept the previous configuration: listener "));
        assertThat(logged).contains(server.cert().toString());
        assertThat(presented(port)).isEqualTo(server.certificate());
        Result published = pub(port, "--cafile", pki.caFile().toString(), "-t", "reload/after", "-m", "ok");
        assertThat(published.exitCode())
                .as("mosquitto_pub: %s", published.stderr())
                .isZero();
    }

    /**
     * {@code capath} as Mosquitto reads it: a directory of CA certificates found by their subject-hash names (as
     * {@code c_rehash} or {@code openssl rehash} make them). Here it holds only a link {@code HASH.0} to the CA.
     */
    @Test
    void capathTrustsClientCertificatesOfTheCaFoundThere() throws Exception {
        Path capath = Files.createDirectory(dir.resolve("capath"));
        Result hash = run(List.of(
                "openssl", "x509", "-hash", "-noout", "-in", pki.caFile().toString()));
        assertThat(hash.exitCode()).as("openssl x509 -hash: %s", hash.stderr()).isZero();
        Files.createSymbolicLink(capath.resolve(hash.stdout().get(0).strip() + ".0"), pki.caFile());
        int port = start(tlsListener(pki.server("server")) + "capath " + capath
                + "\nrequire_certificate true\nuse_identity_as_username true\n");
        Issued garage = pki.client("garage");
        Issued stranger = TestPki.create(dir, "other").client("garage");

        Result trusted = pub(port, withTls(garage, "-t", "garage/state", "-q", "1", "-m", "open"));
        Result other = pub(port, withTls(stranger, "-t", "garage/state", "-q", "1", "-m", "open"));

        assertThat(trusted.exitCode())
                .as("a certificate of the CA in capath: %s", trusted.stderr())
                .isZero();
        assertThat(other.exitCode()).as("a certificate of another CA").isNotZero();
        assertThat(awaitLog(m -> m.startsWith("TLS handshake from 127.0.0.1") && m.contains(" refused: ")))
                .contains(BadClient.OTHER_CA.reason());
    }

    // ---- 8. expiry ----

    @Test
    void anExpiredServerCertificateStopsTheStart() throws Exception {
        Issued server = pki.server("server", KeyType.RSA, TestPki.expired());
        Path conf = conf(serverOnlyListener(server));

        assertThatThrownBy(() -> Drawbridge.start(conf))
                .isInstanceOf(BrokerStartException.class)
                .hasMessageContaining(server.cert().toString())
                .hasMessageContaining("expired");
    }

    @Test
    void anExpiredCaCertificateStopsTheStart() throws Exception {
        TestPki old = TestPki.create(dir, "old", TestPki.expired());
        Issued server = old.server("old-server"); // itself valid for a year
        Path conf = conf(tlsListener(server) + "cafile " + old.caFile() + "\nrequire_certificate true\n");

        assertThatThrownBy(() -> Drawbridge.start(conf))
                .isInstanceOf(BrokerStartException.class)
                .hasMessageContaining(old.caFile() + ": the CA certificate CN=old CA expired on ");
    }

    @Test
    void aServerCertificateEndingWithin30DaysIsWarnedAbout() throws Exception {
        Issued server = pki.server("server", KeyType.RSA, TestPki.days(10));
        int port = start(serverOnlyListener(server));

        Awaitility.await()
                .atMost(TIMEOUT)
                .until(() -> events().stream()
                        .anyMatch(e -> e.getLevel() == Level.WARN
                                && e.getFormattedMessage().contains("expires")
                                && e.getFormattedMessage()
                                        .contains(server.cert().toString())));
        assertThat(presented(port)).isEqualTo(server.certificate());
    }

    // ---- 9. ciphers and the TLS provider ----

    @Test
    void ciphersTakesOpenSslNamesAndRefusesOtherSuites() throws Exception {
        int port = start(clientCertificateListener(pki.server("server"), null)
                + "tls_version tlsv1.2\n"
                + "ciphers ECDHE-RSA-AES128-GCM-SHA256\n");
        Issued garage = pki.client("garage");

        Result listed = sClient(port, garage, "-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256");
        Result other = sClient(port, garage, "-tls1_2", "-cipher", "ECDHE-RSA-AES256-GCM-SHA384");

        assertThat(listed.exitCode())
                .as("openssl s_client with the listed cipher: %s", listed.stderr())
                .isZero();
        assertThat(listed.stdout()).anyMatch(line -> line.contains("ECDHE-RSA-AES128-GCM-SHA256"));
        assertThat(other.exitCode())
                .as("openssl s_client with another cipher: %s", other.stdout())
                .isNotZero();
    }

    /** BoringSSL cannot restrict TLS 1.3 suites: with the default provider such a listener uses the JDK. */
    @Test
    void ciphersTls13RestrictsTheTls13Suites() throws Exception {
        int port = start(clientCertificateListener(pki.server("server"), null)
                + "tls_version tlsv1.3\n"
                + "ciphers_tls1.3 TLS_AES_256_GCM_SHA384\n");
        Issued garage = pki.client("garage");

        Result listed = sClient(port, garage, "-tls1_3", "-ciphersuites", "TLS_AES_256_GCM_SHA384");
        Result other = sClient(port, garage, "-tls1_3", "-ciphersuites", "TLS_AES_128_GCM_SHA256");

        assertThat(listed.exitCode())
                .as("openssl s_client with the listed suite: %s", listed.stderr())
                .isZero();
        assertThat(other.exitCode())
                .as("openssl s_client with another suite: %s", other.stdout())
                .isNotZero();
        assertThat(context(running().config().listeners().get(0).tls().orElseThrow()))
                .isInstanceOf(JdkSslContext.class);
    }

    @Test
    void theListenerUsesTheProviderOfThisRun() throws Exception {
        start(serverOnlyListener(pki.server("server")));
        TlsConfig tls = running().config().listeners().get(0).tls().orElseThrow();
        boolean nativeLibraryShipped = System.getProperty("os.name").equals("Linux")
                && List.of("amd64", "aarch64").contains(System.getProperty("os.arch"));

        if (!PROVIDER.equals("jdk") && nativeLibraryShipped) {
            assertThat(OpenSsl.isAvailable())
                    .as("OpenSSL on Linux %s: %s", System.getProperty("os.arch"), OpenSsl.unavailabilityCause())
                    .isTrue();
        }
        assertThat(context(tls)).isInstanceOf(OPENSSL ? OpenSslContext.class : JdkSslContext.class);
    }

    @Test
    void anUnknownProviderOrOneThatCannotHonourTheListenerStopsTheStart() throws Exception {
        Issued server = pki.server("server");
        Path plain = conf(serverOnlyListener(server));
        withProvider(
                "boringssl",
                () -> assertThatThrownBy(() -> Drawbridge.start(plain))
                        .isInstanceOf(BrokerStartException.class)
                        .hasMessageContaining(
                                "-Ddrawbridge.tls.provider: expected jdk, openssl or auto, found 'boringssl'"));
        if (OpenSsl.isAvailable()) {
            Path restricted = conf(serverOnlyListener(server) + "ciphers_tls1.3 TLS_AES_256_GCM_SHA384\n");
            withProvider(
                    "openssl",
                    () -> assertThatThrownBy(() -> Drawbridge.start(restricted))
                            .isInstanceOf(BrokerStartException.class)
                            .hasMessageContaining("ciphers_tls1.3 needs the JDK TLS provider"));
        }
    }

    /** Runs {@code check} with the system property set to {@code provider}, then restores it. */
    private static void withProvider(String provider, Runnable check) {
        String before = System.getProperty("drawbridge.tls.provider");
        System.setProperty("drawbridge.tls.provider", provider);
        try {
            check.run();
        } finally {
            if (before == null) {
                System.clearProperty("drawbridge.tls.provider");
            } else {
                System.setProperty("drawbridge.tls.provider", before);
            }
        }
    }

    private static SslContext context(TlsConfig tls) throws Exception {
        return ServerTls.load(tls, Clock.systemUTC()).current().context();
    }

    // ---- helpers ----

    /** {@code require_certificate} + {@code use_identity_as_username}, optionally with a CRL. */
    private String clientCertificateListener(Issued server, @Nullable Path crl) {
        return tlsListener(server)
                + "cafile " + pki.caFile() + "\n"
                + "require_certificate true\n"
                + "use_identity_as_username true\n"
                + (crl == null ? "" : "crlfile " + crl + "\n");
    }

    /** A TLS listener that asks for no client certificate; anonymous clients allowed. */
    private static String serverOnlyListener(Issued server) {
        return "allow_anonymous true\n" + tlsListener(server);
    }

    private static String tlsListener(Issued server) {
        return "listener 0 127.0.0.1\n" + "certfile " + server.cert() + "\n" + "keyfile " + server.key() + "\n";
    }

    private Path conf(String text) throws Exception {
        return Files.writeString(dir.resolve("mosquitto.conf"), text);
    }

    /** Starts the broker from {@code text} as mosquitto.conf; returns the first listener's port. */
    private int start(String text) throws Exception {
        broker = Drawbridge.start(conf(text));
        return broker.port();
    }

    private Drawbridge running() {
        if (broker == null) {
            throw new IllegalStateException("no broker started");
        }
        return broker;
    }

    private ClientProcess track(ClientProcess process) {
        processes.add(process);
        return process;
    }

    private String[] tlsArgs(Issued client) {
        return new String[] {
            "--cafile",
            pki.caFile().toString(),
            "--cert",
            client.cert().toString(),
            "--key",
            client.key().toString()
        };
    }

    private String[] withTls(Issued client, String... args) {
        return concat(tlsArgs(client), args);
    }

    private static String[] concat(String[] first, String... second) {
        return Stream.concat(Stream.of(first), Stream.of(second)).toArray(String[]::new);
    }

    /** {@code openssl s_client} with a client certificate, checking the server's chain; stdin closed. */
    private Result sClient(int port, Issued client, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                "openssl",
                "s_client",
                "-connect",
                "127.0.0.1:" + port,
                "-CAfile",
                pki.caFile().toString(),
                "-cert",
                client.cert().toString(),
                "-key",
                client.key().toString(),
                "-verify_return_error"));
        command.addAll(List.of(args));
        return run(command);
    }

    /** {@code openssl COMMAND -in key ARGS -out key.COMMAND} and returns the new file. */
    private Path openssl(Path key, String command, String... args) throws Exception {
        Path out = dir.resolve(key.getFileName() + "." + command + (args.length > 0 ? "-" + args.length : ""));
        List<String> line = new ArrayList<>(List.of("openssl", command, "-in", key.toString(), "-out", out.toString()));
        line.addAll(List.of(args));
        Result result = run(line);
        assertThat(result.exitCode()).as("%s: %s", line, result.stderr()).isZero();
        return out;
    }

    /** {@code openssl x509 -fingerprint -sha1 -noout -in file}: the colon-separated hex after the '='. */
    private static String sha1Fingerprint(Path file) throws Exception {
        Result result = run(List.of("openssl", "x509", "-fingerprint", "-sha1", "-noout", "-in", file.toString()));
        assertThat(result.exitCode()).as("openssl x509: %s", result.stderr()).isZero();
        String line = result.stdout().get(0);
        return line.substring(line.indexOf('=') + 1).trim();
    }

    private static String sha1(X509Certificate certificate) {
        return Fingerprints.of(certificate, FingerprintAlgorithm.SHA1, FingerprintFormat.COLON);
    }

    private static Result run(List<String> command) throws Exception {
        try (ClientProcess p = ClientProcess.start(command)) {
            int code = p.waitFor(Duration.ofSeconds(20));
            return new Result(code, p.stdout(), p.stderr());
        }
    }

    /** The certificate a new TLS connection to {@code port} is shown, checked against the test CA. */
    private X509Certificate presented(int port) throws Exception {
        try (SSLSocket socket =
                (SSLSocket) pki.trustingContext().getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    private List<ILoggingEvent> events() {
        synchronized (logs) { // AppenderBase.doAppend holds this lock while appending
            return List.copyOf(logs.list);
        }
    }

    /** Waits for a log message matching {@code match} and returns it. */
    private String awaitLog(Predicate<String> match) {
        Awaitility.await()
                .alias("a log line")
                .atMost(TIMEOUT)
                .until(() -> events().stream()
                        .map(ILoggingEvent::getFormattedMessage)
                        .anyMatch(match));
        return events().stream()
                .map(ILoggingEvent::getFormattedMessage)
                .filter(match)
                .findFirst()
                .orElseThrow();
    }
}
