package dev.drawbridge.broker.it.console;

import static dev.drawbridge.broker.it.console.ConsoleBroker.PASSWORD;
import static dev.drawbridge.broker.it.console.ConsoleBroker.form;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Level;
import dev.drawbridge.broker.conf.ConfigParser;
import dev.drawbridge.broker.conf.TlsConfig;
import dev.drawbridge.broker.it.console.ConsoleBroker.Browser;
import dev.drawbridge.broker.testing.LogCapture;
import dev.drawbridge.broker.testing.Ports;
import dev.drawbridge.broker.tls.ServerTls;
import dev.drawbridge.broker.tls.provider.TlsProvider;
import dev.drawbridge.keystores.CaDirectory;
import dev.drawbridge.keystores.CertificateAuthority;
import dev.drawbridge.keystores.IssuedCertificate;
import dev.drawbridge.keystores.KeyType;
import dev.drawbridge.keystores.PkiException;
import dev.drawbridge.keystores.TrustMaterial;
import dev.drawbridge.keystores.Validity;
import dev.drawbridge.keystores.WriteMode;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509KeyManager;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Logging in to an HTTPS console by a client certificate of the listener's {@code cafile} CA, over real TLS with
 * certificates made at test time: the certificate's CN must be a console user, the handshake refuses a certificate
 * that is expired, revoked (the listener's {@code crlfile}) or of another CA, and a browser without one still gets the
 * password form. The MQTT TLS listener beside it with the same {@code cafile} asks for no certificate, as before. Run
 * once per TLS provider, by {@link ConsoleCertificateLoginOpenSslIT} and {@link ConsoleCertificateLoginJdkIT}.
 */
abstract class ConsoleCertificateLoginIT {

    @TempDir
    Path dir;

    /** The TLS provider these tests pin ({@code -Ddrawbridge.tls.provider}), and the context the console gets on it. */
    private final String provider;

    private final Class<? extends SslContext> providersContext;
    private @Nullable String providerBefore;

    private CaDirectory ca;
    private CertificateAuthority authority;
    private @Nullable IssuedCertificate revoked;
    private int mqttTlsPort;
    private @Nullable ConsoleBroker broker;
    private @Nullable LogCapture log;

    ConsoleCertificateLoginIT(String provider, Class<? extends SslContext> providersContext) {
        this.provider = provider;
        this.providersContext = providersContext;
    }

    @BeforeEach
    void startBroker() throws Exception {
        providerBefore = System.getProperty(TlsProvider.PROPERTY);
        System.setProperty(TlsProvider.PROPERTY, provider);
        log = LogCapture.of(org.slf4j.Logger.ROOT_LOGGER_NAME, Level.INFO);
        ca = CaDirectory.at(dir.resolve("ca"));
        authority = ca.init("Drawbridge CA", KeyType.EC, 3650, null, WriteMode.CREATE_NEW);
        ca.issueServer(
                authority, "broker", List.of("localhost"), List.of("127.0.0.1"), KeyType.EC, 825, WriteMode.CREATE_NEW);
        // A certificate of the console user admin, then revoked: the CRL the console listener reads lists it.
        IssuedCertificate old = issue("admin", Validity.days(825, Clock.systemUTC()));
        ca.recordCertificate("admin-old", old.certificate());
        revoked = old;
        ca.revoke(authority, "admin-old", 30);
        mqttTlsPort = Ports.free();
        broker = ConsoleBroker.startConf(
                dir,
                List.of(
                        "password_file {passwd}",
                        "allow_anonymous true",
                        "listener 0 127.0.0.1",
                        // An MQTT TLS listener with the CA but neither require_certificate nor an identity option.
                        "listener " + mqttTlsPort + " 127.0.0.1",
                        "cafile " + ca.file(CaDirectory.CA_CERTIFICATE),
                        "certfile " + ca.certificateFile("broker"),
                        "keyfile " + ca.keyFile("broker"),
                        "listener 0 127.0.0.1",
                        "protocol http_api",
                        "cafile " + ca.file(CaDirectory.CA_CERTIFICATE),
                        "crlfile " + ca.file(CaDirectory.CRL),
                        "certfile " + ca.certificateFile("broker"),
                        "keyfile " + ca.keyFile("broker"),
                        "console_users admin"));
    }

    @AfterEach
    void stop() {
        try {
            if (broker != null) {
                broker.close();
            }
            if (log != null) {
                log.close();
            }
        } finally {
            if (providerBefore == null) {
                System.clearProperty(TlsProvider.PROPERTY);
            } else {
                System.setProperty(TlsProvider.PROPERTY, providerBefore);
            }
        }
    }

    @Test
    void theConsolesTlsOptionsGetTheProvidersContext() throws Exception {
        TlsConfig console = ConfigParser.parse(dir.resolve("mosquitto.conf"))
                .consoles()
                .get(0)
                .listener()
                .tls()
                .orElseThrow();
        // As the broker loads a console's TLS: asking for a certificate, not requiring one.
        assertThat(ServerTls.load(console, Clock.systemUTC(), true).current().context())
                .isInstanceOf(providersContext);
    }

    @Test
    void aConsoleUsersCertificateLogsInByAPostAndThenPagesAnswer() throws Exception {
        Browser admin = browser(withKey(issue("admin", Validity.days(825, Clock.systemUTC()))));

        HttpResponse<String> loginPage = admin.get("/login");
        assertThat(loginPage.statusCode()).isEqualTo(200);
        assertThat(loginPage.body()).contains("Log in as admin (certificate)").contains("id=\"password\"");
        // Showing the login page logs nobody in: a GET never makes a session.
        assertThat(admin.get("/").statusCode()).isEqualTo(303);
        assertThat(admin.get("/api/overview").statusCode()).isEqualTo(401);

        // Without the login form's token, the certificate logs nobody in.
        assertThat(admin.post("/login", form("certificate", "yes")).statusCode())
                .isEqualTo(403);
        assertThat(admin.get("/api/overview").statusCode()).isEqualTo(401);

        HttpResponse<String> in = admin.post("/login", form("certificate", "yes", "csrf", admin.csrfOf("/login")));
        assertThat(in.statusCode()).isEqualTo(303);
        assertThat(in.headers().firstValue("location")).hasValue("/");
        assertThat(admin.get("/").statusCode()).isEqualTo(200);
        assertThat(admin.get("/api/overview").statusCode()).isEqualTo(200);
        assertThat(admin.get("/").body()).contains("admin");
        assertThat(java.util.Objects.requireNonNull(log).lines())
                .anyMatch(l -> l.contains("Console user admin logged in by client certificate (CN=admin")
                        && l.contains("from 127.0.0.1"));
    }

    @Test
    void aCertificateWhoseCnIsNoConsoleUserLogsInNobody() throws Exception {
        Browser stranger = browser(withKey(issue("member", Validity.days(825, Clock.systemUTC()))));

        HttpResponse<String> loginPage = stranger.get("/login");
        assertThat(loginPage.statusCode()).isEqualTo(200);
        assertThat(loginPage.body())
                .contains("Your certificate (CN=member")
                .contains("names no console user: log in with a password.")
                .doesNotContain("(certificate)</button>");
        HttpResponse<String> refused =
                stranger.post("/login", form("certificate", "yes", "csrf", stranger.csrfOf("/login")));
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("names no console user");
        assertThat(java.util.Objects.requireNonNull(log).lines())
                .anyMatch(l -> l.contains("Console certificate login (CN=member")
                        && l.contains("refused: not authorised (certificate CN 'member' is not a console user)"));
        assertThat(stranger.get("/api/overview").statusCode()).isEqualTo(401);

        // Positive control on the same connection setup: the password still logs admin in.
        assertThat(stranger.login("admin", PASSWORD).statusCode()).isEqualTo(303);
        assertThat(stranger.get("/api/overview").statusCode()).isEqualTo(200);
    }

    @Test
    void theHandshakeRefusesExpiredRevokedAndOtherCaCertificates() throws Exception {
        Instant now = Instant.now();
        IssuedCertificate expired =
                issue("admin", new Validity(now.minus(Duration.ofDays(900)), now.minus(Duration.ofDays(1))));
        CertificateAuthority other =
                CertificateAuthority.create("Other CA", KeyType.EC, Validity.days(3650, Clock.systemUTC()));
        IssuedCertificate foreign = other.issueClient("admin", KeyType.EC, Validity.days(825, Clock.systemUTC()));

        Map<String, SSLContext> refused = Map.of(
                "expired", presenting(expired, authority.certificate()),
                "revoked", presenting(java.util.Objects.requireNonNull(revoked), authority.certificate()),
                "of another CA", presenting(foreign, other.certificate()));
        refused.forEach((what, tls) -> {
            Throwable failure = catchThrowable(() -> browser(tls).get("/login"));
            assertThat(failure)
                    .as("the handshake with a certificate %s fails", what)
                    .isNotNull()
                    .hasRootCauseInstanceOf(IOException.class);
        });
        // Positive control: a valid certificate of the CA gets through the same handshake and logs in.
        Browser admin = browser(withKey(issue("admin", Validity.days(825, Clock.systemUTC()))));
        assertThat(admin.post("/login", form("certificate", "yes", "csrf", admin.csrfOf("/login")))
                        .statusCode())
                .isEqualTo(303);
        assertThat(admin.get("/api/overview").statusCode()).isEqualTo(200);
    }

    @Test
    void aBrowserWithoutCertificateGetsThePasswordFormOnly() throws Exception {
        Browser plain = broker().browser(trusting(null));

        HttpResponse<String> loginPage = plain.get("/login");
        assertThat(loginPage.statusCode()).isEqualTo(200);
        assertThat(loginPage.body()).contains("id=\"password\"").doesNotContain("(certificate)");
        HttpResponse<String> refused = plain.post("/login", form("certificate", "yes", "csrf", plain.csrfOf("/login")));
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("presented no client certificate");
        assertThat(plain.get("/api/overview").statusCode()).isEqualTo(401);

        assertThat(plain.login("admin", PASSWORD).statusCode()).isEqualTo(303);
        assertThat(plain.get("/api/overview").statusCode()).isEqualTo(200);
    }

    @Test
    void theConsoleAsksForACertificateAndTheMqttTlsListenerStillDoesNot() throws Exception {
        assertThat(certificateRequested(broker().consolePort())).isTrue();
        assertThat(certificateRequested(mqttTlsPort)).isFalse();
    }

    /** Whether the server's handshake asked this client for a certificate. */
    private boolean certificateRequested(int port) throws Exception {
        ClientCertificateChoice recording = ClientCertificateChoice.none();
        try (SSLSocket socket = (SSLSocket)
                trusting(new KeyManager[] {recording}).getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            // TLS 1.3: the session is complete once the server's answer to our Finished could arrive.
            assertThat(socket.getSession().getProtocol()).startsWith("TLS");
        }
        return recording.asked();
    }

    private IssuedCertificate issue(String commonName, Validity validity) {
        return authority.issueClient(commonName, KeyType.EC, validity);
    }

    private SSLContext withKey(IssuedCertificate certificate) throws Exception {
        return withKey(certificate, authority.certificate());
    }

    private SSLContext withKey(IssuedCertificate certificate, X509Certificate issuer) throws Exception {
        return trusting(certificate.withChain(issuer).keyManagerFactory().getKeyManagers());
    }

    /** A client that presents this certificate whatever CAs the server names. */
    private SSLContext presenting(IssuedCertificate certificate, X509Certificate issuer) throws Exception {
        X509KeyManager keys = (X509KeyManager)
                certificate.withChain(issuer).keyManagerFactory().getKeyManagers()[0];
        return trusting(new KeyManager[] {ClientCertificateChoice.presenting(keys)});
    }

    private SSLContext trusting(KeyManager @Nullable [] keys) throws PkiException, GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(
                keys,
                TrustMaterial.load(ca.file(CaDirectory.CA_CERTIFICATE), null)
                        .trustManagerFactory()
                        .getTrustManagers(),
                null);
        return context;
    }

    private Browser browser(SSLContext tls) {
        return broker().browser(tls);
    }

    private ConsoleBroker broker() {
        if (broker == null) {
            throw new IllegalStateException("started in @BeforeEach");
        }
        return broker;
    }
}
