package dev.drawbridge.broker.it.console;

import static dev.drawbridge.broker.it.console.ConsoleBroker.PASSWORD;
import static dev.drawbridge.broker.it.console.ConsoleBroker.form;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.drawbridge.broker.BrokerStartException;
import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.conf.ConfigParser;
import dev.drawbridge.broker.it.console.ConsoleBroker.Browser;
import dev.drawbridge.broker.testing.TestPki;
import dev.drawbridge.keystores.CertificateAuthority;
import dev.drawbridge.keystores.FingerprintAlgorithm;
import dev.drawbridge.keystores.FingerprintFormat;
import dev.drawbridge.keystores.Fingerprints;
import dev.drawbridge.keystores.KeyType;
import dev.drawbridge.keystores.PemFiles;
import dev.drawbridge.keystores.WriteMode;
import java.math.BigInteger;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The devices page over a real socket: nothing without a login, no change without the CSRF token, odd form input
 * refused with a clear message and the CA directory left byte for byte as it was, the CA key's passphrase, issuing
 * refused in clear, revoke and renew asked first and applied through the reload, and a CA directory that cannot be
 * used refusing the start.
 */
class ConsoleDevicesSecurityIT {

    private static final List<String> CHANGES = List.of("/devices/issue", "/devices/revoke", "/devices/renew");

    @TempDir
    Path dir;

    private DevicesBroker broker;

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void withoutASessionThePageRedirectsAndTheFormsChangeNothing() throws Exception {
        broker = DevicesBroker.start(dir, true, true, null);
        Map<String, String> before = broker.caFiles();
        Browser stranger = broker.console.browser(broker.trusting());

        HttpResponse<String> page = stranger.get("/devices");
        assertThat(page.statusCode()).isEqualTo(303);
        assertThat(page.headers().firstValue("location")).contains("/login");
        for (String change : CHANGES) {
            assertThat(stranger.post(change, form("name", "garage", "confirm", "yes"))
                            .statusCode())
                    .as("POST %s without a session", change)
                    .isEqualTo(401);
            assertThat(stranger.post(change, form("name", "gate", "confirm", "yes"))
                            .statusCode())
                    .isEqualTo(401);
        }
        assertThat(broker.caFiles()).isEqualTo(before);

        // Positive control: logged in, the page lists the CA's certificates.
        Browser admin = loggedIn();
        HttpResponse<String> listed = admin.get("/devices");
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(listed.body()).contains("data-name=\"ca\"", "data-name=\"broker\"", "data-name=\"gate\"");
    }

    @Test
    void certificatesEndingWithin30DaysAreColouredAndWarnedOfOnTheOverview() throws Exception {
        broker = DevicesBroker.start(dir, true, true, null);
        CertificateAuthority authority = broker.ca.open(null);
        broker.ca.issueClient(authority, "soon", KeyType.EC, 10, WriteMode.CREATE_NEW);
        broker.ca.recordCertificate(
                "old",
                authority.issueClient("old", KeyType.EC, TestPki.expired()).certificate());
        broker.ca.writeCrl(authority, 20, WriteMode.REPLACE);
        Browser admin = loggedIn();

        String page = admin.get("/devices").body();
        assertThat(page)
                .contains("<tr class=\"state-expiring\" data-name=\"soon\">")
                .contains("<tr class=\"state-expired\" data-name=\"old\">")
                .contains("<tr class=\"state-ok\" data-name=\"gate\">");
        String overview = admin.get("/").body();
        assertThat(overview).contains("id=\"certificate-warnings\"");
        String warnings =
                overview.substring(overview.indexOf("id=\"certificate-warnings\""), overview.indexOf("</ul>"));
        assertThat(warnings)
                .contains("<li>Certificate soon ends in 9 days.</li>")
                .contains("<li>Certificate old has expired.</li>")
                .contains("<li>The CRL (crl.pem) must be renewed by ")
                .doesNotContain("gate")
                .doesNotContain("broker");
    }

    @Test
    void aChangeWithoutTheFormTokenOrByGetChangesNothing() throws Exception {
        broker = DevicesBroker.start(dir, true, true, null);
        Browser admin = loggedIn();
        Map<String, String> before = broker.caFiles();

        assertThat(admin.post("/devices/issue", form("name", "garage")).statusCode())
                .isEqualTo(403);
        assertThat(admin.post("/devices/issue", form("name", "garage", "csrf", "A".repeat(43)))
                        .statusCode())
                .isEqualTo(403);
        assertThat(admin.post("/devices/revoke", form("name", "gate", "confirm", "yes"))
                        .statusCode())
                .isEqualTo(403);
        assertThat(admin.post("/devices/renew", form("name", "broker", "confirm", "yes"))
                        .statusCode())
                .isEqualTo(403);
        for (String change : CHANGES) {
            assertThat(admin.get(change + "?name=gate&confirm=yes").statusCode())
                    .as("GET %s", change)
                    .isEqualTo(405);
        }
        assertThat(broker.caFiles()).isEqualTo(before);

        // Positive control: the token makes the same issue work, and adds only garage.crt.
        HttpResponse<String> issued =
                admin.post("/devices/issue", form("name", "garage", "csrf", admin.csrfOf("/devices")));
        assertThat(issued.statusCode()).isEqualTo(200);
        assertThat(issued.headers().firstValue("content-type")).contains("application/zip");
        assertThat(issued.headers().firstValue("content-disposition")).contains("attachment; filename=\"garage.zip\"");
        assertThat(broker.caFiles().keySet()).containsExactlyInAnyOrderElementsOf(plus(before, "garage.crt"));
    }

    @Test
    void oddDeviceNamesGetAClearMessageAndLeaveTheCaDirectoryAsItWas() throws Exception {
        broker = DevicesBroker.start(dir, true, true, null);
        Browser admin = loggedIn();
        Map<String, String> before = broker.caFiles();
        String rule = "Device name: expected letters, digits, &#39;.&#39;, &#39;-&#39; or &#39;_&#39; like"
                + " garage.local (not &#39;ca&#39;), found &#39;";
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("", "Device name: required (letters, digits");
        cases.put("x".repeat(64), "Device name: at most 63 characters, found 64.");
        cases.put("x".repeat(9000), "Device name: at most 63 characters, found 9000.");
        cases.put("../x", rule + "../x&#39;.");
        cases.put("a b", rule + "a b&#39;.");
        cases.put(" garage", rule + " garage&#39;.");
        cases.put("gärage", rule + "gärage&#39;.");
        cases.put("garage\u0000", rule + "garage\u0000&#39;.");
        cases.put("<b>x</b>", rule + "&lt;b&gt;x&lt;/b&gt;&#39;.");
        cases.put("ca", rule + "ca&#39;.");
        cases.put("gate", "A certificate named &#39;gate&#39; exists already");
        cases.put("broker", "A certificate named &#39;broker&#39; exists already");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            HttpResponse<String> r =
                    admin.post("/devices/issue", form("name", c.getKey(), "csrf", admin.csrfOf("/devices")));
            assertThat(r.statusCode()).as("name '%s'", c.getKey()).isEqualTo(400);
            assertThat(notice(r.body())).as("name '%s'", c.getKey()).contains(c.getValue());
            assertThat(broker.caFiles()).as("after name '%s'", c.getKey()).isEqualTo(before);
        }
        HttpResponse<String> dsa = admin.post(
                "/devices/issue", form("name", "garage", "key_type", "dsa", "csrf", admin.csrfOf("/devices")));
        assertThat(dsa.statusCode()).isEqualTo(400);
        assertThat(notice(dsa.body())).contains("Key type: expected rsa or ec, found &#39;dsa&#39;");
        assertThat(broker.caFiles()).isEqualTo(before);

        // Positive control: a good name with an EC key is issued.
        HttpResponse<String> ok = admin.post(
                "/devices/issue", form("name", "garage.local", "key_type", "ec", "csrf", admin.csrfOf("/devices")));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(broker.caFiles().keySet()).containsExactlyInAnyOrderElementsOf(plus(before, "garage.local.crt"));
    }

    @Test
    void anEncryptedCaKeyNeedsItsPassphraseAndAWrongOneChangesNothing() throws Exception {
        broker = DevicesBroker.start(dir, true, true, "ca passphrase 4711".toCharArray());
        Browser admin = loggedIn();
        Map<String, String> before = broker.caFiles();
        assertThat(admin.get("/devices").body()).contains("id=\"passphrase\"");

        HttpResponse<String> none =
                admin.post("/devices/issue", form("name", "garage", "csrf", admin.csrfOf("/devices")));
        assertThat(none.statusCode()).isEqualTo(400);
        assertThat(notice(none.body())).contains("The CA key is encrypted: give its passphrase; nothing was changed.");
        HttpResponse<String> wrong = admin.post(
                "/devices/issue", form("name", "garage", "passphrase", "not it", "csrf", admin.csrfOf("/devices")));
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(notice(wrong.body())).contains("Wrong passphrase for the CA key; nothing was changed.");
        HttpResponse<String> wrongRevoke = admin.post(
                "/devices/revoke",
                form("name", "gate", "confirm", "yes", "passphrase", "not it", "csrf", admin.csrfOf("/devices")));
        assertThat(notice(wrongRevoke.body())).contains("Wrong passphrase for the CA key");
        assertThat(broker.caFiles()).isEqualTo(before);

        HttpResponse<String> right = admin.post(
                "/devices/issue",
                form("name", "garage", "passphrase", "ca passphrase 4711", "csrf", admin.csrfOf("/devices")));
        assertThat(right.statusCode()).isEqualTo(200);
        assertThat(broker.caFiles().keySet()).containsExactlyInAnyOrderElementsOf(plus(before, "garage.crt"));
    }

    @Test
    void wrongCaPassphrasesCountWithFailedLoginsAndAreSlowedPastTheLimit() throws Exception {
        broker = DevicesBroker.start(dir, true, true, "ca passphrase 4711".toCharArray());
        Browser admin = loggedIn(); // a success clears the address's count
        Map<String, String> before = broker.caFiles();

        // The first three wrong passphrases (issue, revoke, renew) are answered at once, as the first failed logins.
        List<HttpResponse<String>> free = List.of(
                admin.post(
                        "/devices/issue",
                        form("name", "garage", "passphrase", "guess 1", "csrf", admin.csrfOf("/devices"))),
                admin.post(
                        "/devices/revoke",
                        form(
                                "name",
                                "gate",
                                "confirm",
                                "yes",
                                "passphrase",
                                "guess 2",
                                "csrf",
                                admin.csrfOf("/devices"))),
                admin.post(
                        "/devices/renew",
                        form(
                                "name",
                                "broker",
                                "confirm",
                                "yes",
                                "passphrase",
                                "guess 3",
                                "csrf",
                                admin.csrfOf("/devices"))));
        for (HttpResponse<String> r : free) {
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.headers().firstValue("retry-after")).isEmpty();
            assertThat(notice(r.body())).contains("Wrong passphrase for the CA key; nothing was changed.");
        }

        // The fourth is past the throttle's free failures: a 429 with Retry-After, like a throttled login.
        HttpResponse<String> slowed = admin.post(
                "/devices/issue", form("name", "garage", "passphrase", "guess 4", "csrf", admin.csrfOf("/devices")));
        assertThat(slowed.statusCode()).isEqualTo(429);
        assertThat(slowed.headers().firstValue("retry-after")).hasValue("1");
        assertThat(notice(slowed.body()))
                .contains("Wrong passphrase for the CA key; nothing was changed.")
                .contains("Too many failed logins or passphrases from your address");

        // The same throttle as logins: a wrong password from this address is now slowed at once.
        Browser other = broker.console.browser(broker.trusting());
        HttpResponse<String> login = other.login("admin", "not the password");
        assertThat(login.statusCode()).isEqualTo(429);
        assertThat(login.headers().firstValue("retry-after")).isPresent();
        assertThat(broker.caFiles()).isEqualTo(before);

        // Slowed, not locked out: the right passphrase still issues.
        HttpResponse<String> right = admin.post(
                "/devices/issue",
                form("name", "garage", "passphrase", "ca passphrase 4711", "csrf", admin.csrfOf("/devices")));
        assertThat(right.statusCode()).isEqualTo(200);
        assertThat(broker.caFiles().keySet()).containsExactlyInAnyOrderElementsOf(plus(before, "garage.crt"));
    }

    @Test
    void aConsoleInClearListsButDoesNotIssue() throws Exception {
        broker = DevicesBroker.start(dir, false, true, null);
        Browser admin = broker.console.browser();
        assertThat(admin.login("admin", PASSWORD).statusCode()).isEqualTo(303);
        Map<String, String> before = broker.caFiles();

        HttpResponse<String> page = admin.get("/devices");
        assertThat(page.body()).contains("id=\"issue-needs-https\"", "data-name=\"gate\"");
        assertThat(page.body()).doesNotContain("action=\"/devices/issue\"");
        HttpResponse<String> issued =
                admin.post("/devices/issue", form("name", "garage", "csrf", admin.csrfOf("/devices")));
        assertThat(issued.statusCode()).isEqualTo(400);
        assertThat(notice(issued.body())).contains("only over HTTPS");
        assertThat(issued.headers().firstValue("content-type")).contains("text/html; charset=utf-8");
        assertThat(broker.caFiles()).isEqualTo(before);
    }

    @Test
    void withoutCrlfileARevokeSaysTheDeviceStillConnects() throws Exception {
        broker = DevicesBroker.start(dir, true, false, null);
        Browser admin = loggedIn();
        assertThat(admin.get("/devices").body()).contains("id=\"crl-missing\"", "crlfile " + broker.caDir);

        HttpResponse<String> done =
                admin.post("/devices/revoke", form("name", "gate", "confirm", "yes", "csrf", admin.csrfOf("/devices")));

        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(notice(done.body()))
                .contains("Revoked gate and rewrote crl.pem. No MQTT listener checks crl.pem, so the device still"
                        + " connects");
        assertThat(PemFiles.readCrl(broker.caDir.resolve("crl.pem"))
                        .isRevoked(PemFiles.readCertificate(broker.caDir.resolve("gate.crt"))))
                .isTrue();
    }

    @Test
    void revokeAndRenewAskFirstAndRefuseTheWrongKindOfCertificate() throws Exception {
        broker = DevicesBroker.start(dir, true, true, null);
        Browser admin = loggedIn();
        Map<String, String> before = broker.caFiles();

        HttpResponse<String> ask =
                admin.post("/devices/revoke", form("name", "gate", "csrf", admin.csrfOf("/devices")));
        assertThat(ask.statusCode()).isEqualTo(200);
        assertThat(ask.body()).contains("<h1>Revoke gate?</h1>", "name=\"confirm\" value=\"yes\"");
        HttpResponse<String> askRenew =
                admin.post("/devices/renew", form("name", "broker", "csrf", admin.csrfOf("/devices")));
        assertThat(askRenew.body()).contains("<h1>Renew broker?</h1>");
        assertThat(broker.caFiles()).as("asking changes nothing").isEqualTo(before);

        HttpResponse<String> server = admin.post(
                "/devices/revoke", form("name", "broker", "confirm", "yes", "csrf", admin.csrfOf("/devices")));
        assertThat(notice(server.body())).contains("&#39;broker&#39; is no device certificate");
        HttpResponse<String> device =
                admin.post("/devices/renew", form("name", "gate", "confirm", "yes", "csrf", admin.csrfOf("/devices")));
        assertThat(notice(device.body())).contains("&#39;gate&#39; is no server certificate");
        HttpResponse<String> missing = admin.post(
                "/devices/revoke", form("name", "nobody", "confirm", "yes", "csrf", admin.csrfOf("/devices")));
        assertThat(notice(missing.body())).contains("No certificate named &#39;nobody&#39;");
        HttpResponse<String> path = admin.post(
                "/devices/revoke", form("name", "../ca/gate", "confirm", "yes", "csrf", admin.csrfOf("/devices")));
        assertThat(notice(path.body())).contains("No certificate name: expected letters");
        assertThat(broker.caFiles()).isEqualTo(before);
    }

    @Test
    void renewingTheServerCertificateKeepsItsKeyAndTheNextHandshakePresentsTheNewOne() throws Exception {
        broker = DevicesBroker.start(dir, true, true, null);
        Browser admin = loggedIn();
        X509Certificate old = PemFiles.readCertificate(broker.caDir.resolve("broker.crt"));
        byte[] key = Files.readAllBytes(broker.caDir.resolve("broker.key"));
        assertThat(presentedBy(broker.tlsPort).getSerialNumber()).isEqualTo(old.getSerialNumber());

        HttpResponse<String> done = admin.post(
                "/devices/renew", form("name", "broker", "confirm", "yes", "csrf", admin.csrfOf("/devices")));

        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(notice(done.body()))
                .contains("Renewed broker until ")
                .contains("The TLS listeners were reloaded: new connections get the new certificate.");
        X509Certificate renewed = PemFiles.readCertificate(broker.caDir.resolve("broker.crt"));
        BigInteger serial = renewed.getSerialNumber();
        assertThat(serial).isNotEqualTo(old.getSerialNumber());
        assertThat(renewed.getPublicKey()).isEqualTo(old.getPublicKey());
        assertThat(renewed.getSubjectAlternativeNames()).containsExactlyElementsOf(old.getSubjectAlternativeNames());
        assertThat(Files.readAllBytes(broker.caDir.resolve("broker.key"))).isEqualTo(key);
        assertThat(notice(done.body()))
                .as("the new fingerprint, for devices that pin it")
                .contains("its SHA-1 fingerprint (ESP8266) is now "
                        + Fingerprints.of(renewed, FingerprintAlgorithm.SHA1, FingerprintFormat.ESP8266) + ".");
        assertThat(presentedBy(broker.tlsPort).getSerialNumber())
                .as("the MQTT TLS listener, reloaded")
                .isEqualTo(serial);
    }

    @Test
    void aCaDirectoryWhoseCaCannotBeReadRefusesTheStartAtItsLine() throws Exception {
        Path ca = Files.createDirectory(dir.resolve("ca"));
        Files.writeString(ca.resolve("ca.crt"), "not a certificate\n");
        Files.writeString(ca.resolve("ca.key"), "not a key\n");
        Path passwd = ConsoleBroker.passwordFile(dir.resolve("passwd"), Map.of("admin", PASSWORD));
        Path conf = Files.write(
                dir.resolve("mosquitto.conf"),
                List.of(
                        "password_file " + passwd,
                        "listener 0 127.0.0.1",
                        "listener 0 127.0.0.1",
                        "protocol http_api",
                        "console_users admin",
                        "console_ca_dir " + ca),
                StandardCharsets.UTF_8);

        BrokerStartException e = catchThrowableOfType(BrokerStartException.class, () -> Drawbridge.start(conf));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).startsWith(conf + ":6: console_ca_dir: " + ca.resolve("ca.crt") + ": ");
        BrokerStartException checked =
                catchThrowableOfType(BrokerStartException.class, () -> Drawbridge.check(ConfigParser.parse(conf)));
        assertThat(checked).as("--test-config finds it too").isNotNull();
        assertThat(checked.getMessage()).isEqualTo(e.getMessage());
    }

    private Browser loggedIn() throws Exception {
        Browser admin = broker.console.browser(broker.trusting());
        assertThat(admin.login("admin", PASSWORD).statusCode()).isEqualTo(303);
        return admin;
    }

    /** The page's notice: what was done, or why not. */
    private static String notice(String page) {
        int start = page.indexOf("<p id=\"notice\"");
        assertThat(start).as("a notice in:\n%s", page).isNotNegative();
        return page.substring(start, page.indexOf("</p>", start));
    }

    private static List<String> plus(Map<String, String> files, String file) {
        List<String> all = new java.util.ArrayList<>(files.keySet());
        all.add(file);
        return all;
    }

    /** The certificate the TLS listener presents, recorded by a trust manager during the handshake. */
    private static X509Certificate presentedBy(int port) throws Exception {
        AtomicReference<X509Certificate> seen = new AtomicReference<>();
        TrustManager recorder = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                seen.set(chain[0]);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {recorder}, null);
        try (Socket plain = new Socket("127.0.0.1", port);
                SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, "127.0.0.1", port, true)) {
            tls.setSoTimeout(10_000);
            try {
                tls.startHandshake();
            } catch (java.io.IOException e) {
                // Without a client certificate the listener ends the handshake; the server's was seen before that.
            }
        }
        assertThat(seen.get()).as("the server's certificate").isNotNull();
        return seen.get();
    }
}
