package dev.drawbridge.broker.console;

import dev.drawbridge.broker.conf.ListenerConfig;
import dev.drawbridge.broker.conf.TlsConfig;
import dev.drawbridge.broker.console.DeviceCertificates.Refused;
import dev.drawbridge.broker.console.DevicesPage.CrlUse;
import dev.drawbridge.broker.console.DevicesPage.Notice;
import dev.drawbridge.broker.security.ConsoleLogin;
import dev.drawbridge.keystores.CaDirectory;
import dev.drawbridge.keystores.FingerprintAlgorithm;
import dev.drawbridge.keystores.FingerprintFormat;
import dev.drawbridge.keystores.Fingerprints;
import dev.drawbridge.keystores.KeyType;
import dev.drawbridge.keystores.PemFiles;
import dev.drawbridge.keystores.PkiException;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.file.Path;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the devices page and its three forms (issue, revoke, renew), for a logged-in session whose CSRF token the
 * console's handler has already checked. A revoke or renewal asks first (a confirmation page), then reloads the MQTT
 * listeners through the same path as SIGHUP. Issuing answers with the device's bundle and only over HTTPS: it holds
 * a private key.
 */
final class DevicesRequests {

    static final List<String> CHANGES = List.of("/devices/issue", "/devices/revoke", "/devices/renew");

    private static final Logger LOG = LoggerFactory.getLogger(DevicesRequests.class);

    private final Optional<DeviceCertificates> certificates;
    private final boolean https;
    private final MqttListeners listeners;
    private final Clock clock;
    private final ConsoleLogin login;

    /** @param login counts wrong CA key passphrases with the failed logins of the same address */
    DevicesRequests(
            Optional<Path> caDirectory, boolean https, MqttListeners listeners, Clock clock, ConsoleLogin login) {
        this.login = login;
        this.certificates = caDirectory.map(dir -> new DeviceCertificates(new CaDirectory(dir, clock), clock));
        this.https = https;
        this.listeners = listeners;
        this.clock = clock;
    }

    /** The overview's certificate warnings; none without a CA directory. */
    List<String> warnings() {
        return certificates.map(c -> c.list().warnings(clock.instant())).orElse(List.of());
    }

    FullHttpResponse page(String csrf, String user) {
        if (certificates.isEmpty()) {
            return html(HttpResponseStatus.OK, DevicesPage.withoutCa(csrf, user));
        }
        return html(HttpResponseStatus.OK, render(csrf, user, Optional.empty()));
    }

    /**
     * A change; a wrong CA key passphrase counts as a failed login from {@code host}, and past the throttle's free
     * failures the answer is a 429 with {@code Retry-After}, which the handler sends that much later.
     */
    FullHttpResponse post(String path, String csrf, String user, String host, Map<String, List<String>> form) {
        if (certificates.isEmpty()) {
            return html(HttpResponseStatus.NOT_FOUND, DevicesPage.withoutCa(csrf, user));
        }
        DeviceCertificates c = certificates.get();
        String name = Optional.ofNullable(first(form, "name")).orElse("");
        char[] passphrase =
                Optional.ofNullable(first(form, "passphrase")).orElse("").toCharArray();
        try {
            return switch (path) {
                case "/devices/issue" -> issue(c, csrf, user, host, name, first(form, "key_type"), passphrase);
                case "/devices/revoke", "/devices/renew" ->
                    "yes".equals(first(form, "confirm"))
                            ? change(c, path, csrf, user, host, name, passphrase)
                            : html(
                                    HttpResponseStatus.OK,
                                    DevicesPage.confirm(csrf, user, path, name, c.caKeyEncrypted()));
                default -> Responses.text(HttpResponseStatus.NOT_FOUND, "No such page.");
            };
        } finally {
            Arrays.fill(passphrase, '\0');
        }
    }

    private FullHttpResponse issue(
            DeviceCertificates c,
            String csrf,
            String user,
            String host,
            String name,
            @Nullable String keyType,
            char[] passphrase) {
        if (!https) {
            return refused(
                    csrf,
                    user,
                    "Issuing sends the device's private key, so this console does it only over"
                            + " HTTPS (give the http_api listener a certfile and keyfile); nothing was issued.");
        }
        try {
            KeyType type = keyType(keyType);
            DeviceBundle.Server server = server();
            byte[] bundle = c.issue(name, type, passphrase, server);
            LOG.info(
                    "Console user {} issued device certificate {} ({}); its key went only to the download.",
                    user,
                    name,
                    type);
            FullHttpResponse zip = Responses.of(HttpResponseStatus.OK, "application/zip", bundle);
            zip.headers().set(HttpHeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"" + name + ".zip\"");
            return zip;
        } catch (Refused e) {
            LOG.info("Console user {} could not issue a device certificate: {}", user, e.getMessage());
            return refused(csrf, user, host, e);
        }
    }

    private FullHttpResponse change(
            DeviceCertificates c, String path, String csrf, String user, String host, String name, char[] passphrase) {
        boolean revoke = path.equals("/devices/revoke");
        String done;
        try {
            if (revoke) {
                c.revoke(name, passphrase);
                done = "Revoked " + name + " and rewrote crl.pem.";
                LOG.info("Console user {} revoked device certificate {}.", user, name);
            } else {
                X509Certificate renewed = c.renewServer(name, passphrase);
                done = "Renewed " + name + " until "
                        + Pages.time(renewed.getNotAfter().toInstant())
                        + "; its SHA-1 fingerprint (ESP8266) is now "
                        + Fingerprints.of(renewed, FingerprintAlgorithm.SHA1, FingerprintFormat.ESP8266) + ".";
                LOG.info("Console user {} renewed server certificate {}.", user, name);
            }
        } catch (Refused e) {
            LOG.info("Console user {} could not {} {}: {}", user, revoke ? "revoke" : "renew", name, e.getMessage());
            return refused(csrf, user, host, e);
        }
        if (revoke && crlUse(c).checking().isEmpty()) {
            return html(
                    HttpResponseStatus.OK,
                    render(
                            csrf,
                            user,
                            Optional.of(new Notice(
                                    true,
                                    done + " No MQTT listener checks crl.pem, so the"
                                            + " device still connects: see below."))));
        }
        boolean reloaded = listeners.reload();
        Notice notice = reloaded
                ? new Notice(
                        false,
                        done + " The TLS listeners were reloaded: "
                                + (revoke
                                        ? "its next connection is refused."
                                        : "new connections get the new certificate."))
                : new Notice(
                        true,
                        done + " But the reload failed (see the log): the listeners keep the previous "
                                + (revoke ? "CRL" : "certificate") + " until a reload succeeds.");
        return html(HttpResponseStatus.OK, render(csrf, user, Optional.of(notice)));
    }

    private String render(String csrf, String user, Optional<Notice> notice) {
        DeviceCertificates c = certificates.orElseThrow();
        return DevicesPage.page(csrf, user, c.directory(), c.list(), crlUse(c), https, c.caKeyEncrypted(), notice);
    }

    /** A refused change; a wrong passphrase is counted in the login throttle and, past its free failures, slowed. */
    private FullHttpResponse refused(String csrf, String user, String host, Refused e) {
        String message = String.valueOf(e.getMessage());
        if (!e.wrongPassphrase()) {
            return refused(csrf, user, message);
        }
        Duration wait = login.passphraseRefused(host);
        LOG.warn("Console user {} from {} gave a wrong CA key passphrase.", user, host);
        if (wait.isZero()) {
            return refused(csrf, user, message);
        }
        FullHttpResponse slowed = html(
                HttpResponseStatus.TOO_MANY_REQUESTS,
                render(
                        csrf,
                        user,
                        Optional.of(new Notice(
                                true,
                                message + " Too many failed logins or passphrases from your address: each answer"
                                        + " now waits longer."))));
        // Whole seconds, rounded up: the handler waits exactly this long before sending the answer.
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        slowed.headers().set(HttpHeaderNames.RETRY_AFTER, seconds);
        return slowed;
    }

    private FullHttpResponse refused(String csrf, String user, String message) {
        return html(HttpResponseStatus.BAD_REQUEST, render(csrf, user, Optional.of(new Notice(true, message))));
    }

    /** Which TLS listeners check the CA's {@code crl.pem}, and which accept client certificates without it. */
    private CrlUse crlUse(DeviceCertificates c) {
        Path crl = c.directory().resolve(CaDirectory.CRL).toAbsolutePath().normalize();
        List<String> checking = new ArrayList<>();
        List<String> notChecking = new ArrayList<>();
        for (ListenerConfig listener : listeners.inForce()) {
            Optional<TlsConfig> tls = listener.tls();
            if (tls.isEmpty() || listener.protocol() == ListenerConfig.Protocol.HTTP_API) {
                continue;
            }
            boolean checks = tls.get()
                    .crlfile()
                    .map(f -> f.toAbsolutePath().normalize().equals(crl))
                    .orElse(false);
            if (checks) {
                checking.add("listener " + listener.describe());
            } else if (tls.get().cafile().isPresent() || tls.get().capath().isPresent()) {
                notChecking.add("listener " + listener.describe());
            }
        }
        return new CrlUse(crl, checking, notChecking);
    }

    /**
     * The MQTT TLS listener a device connects to, the one that asks for client certificates first: its port, its
     * certificate (for the fingerprint) and the first name that certificate gives (for {@code mqtt.host}).
     */
    private DeviceBundle.Server server() throws Refused {
        Optional<ListenerConfig> listener = listeners.inForce().stream()
                .filter(l ->
                        l.protocol() == ListenerConfig.Protocol.MQTT && l.tls().isPresent())
                .min(Comparator.comparing(
                        (ListenerConfig l) -> !l.tls().orElseThrow().requireCertificate()));
        if (listener.isEmpty()) {
            throw new Refused("No MQTT listener has a certfile and keyfile, so a device certificate could not be used"
                    + " to connect; nothing was issued.");
        }
        Path certfile = listener.get().tls().orElseThrow().certfile();
        try {
            X509Certificate certificate = PemFiles.readCertificate(certfile);
            return new DeviceBundle.Server(hostOf(certificate), listener.get().port(), certificate);
        } catch (PkiException e) {
            throw new Refused("Cannot read the broker's certificate: " + e.getMessage() + "; nothing was issued.", e);
        }
    }

    /** The first DNS name of the certificate, else its first IP address, else its CN. */
    static String hostOf(X509Certificate certificate) {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names != null) {
                for (int type : new int[] {2, 7}) {
                    for (List<?> entry : names) {
                        if (((Integer) entry.get(0)) == type) {
                            return String.valueOf(entry.get(1));
                        }
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // fall back to the CN
        }
        return DeviceCertificates.commonName(
                certificate.getSubjectX500Principal().getName(javax.security.auth.x500.X500Principal.RFC2253));
    }

    private static KeyType keyType(@Nullable String text) throws Refused {
        if (text == null || text.isEmpty()) {
            return KeyType.RSA;
        }
        try {
            return KeyType.parse(text);
        } catch (IllegalArgumentException e) {
            throw new Refused("Key type: expected rsa or ec, found '" + text + "'; nothing was issued.", e);
        }
    }

    private static @Nullable String first(Map<String, List<String>> form, String name) {
        List<String> values = form.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static FullHttpResponse html(HttpResponseStatus status, String page) {
        return Responses.of(status, Responses.HTML, page);
    }
}
