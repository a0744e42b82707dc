package dev.drawbridge.broker.cli;

import dev.drawbridge.acl.passwordfile.HashKind;
import dev.drawbridge.acl.passwordfile.PasswordHash;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Map;

/**
 * The text of the three broker files {@code pki quickstart} writes: {@code mosquitto.conf}, {@code acl} and
 * {@code passwd}, each readable by Mosquitto 2.0 as well as Drawbridge.
 */
final class QuickstartFiles {

    /** The user that may read and write every topic, on the local listener only. */
    static final String ADMIN = "admin";

    static final int TLS_PORT = 8883;
    static final int LOCAL_PORT = 1883;
    static final String LOCAL_ADDRESS = "127.0.0.1";
    /** The console's port: HTTPS, on {@link #LOCAL_ADDRESS} only. */
    static final int CONSOLE_PORT = 8443;

    /**
     * The line the console's block starts with, at the end of {@code mosquitto.conf}: Mosquitto 2.0 knows neither
     * {@code protocol http_api} nor Drawbridge's console options, so it reads the file up to this line only.
     */
    static final String CONSOLE_MARKER = "# --- Drawbridge console";

    /** Letters and digits without the look-alikes 0 O 1 I l: 57 symbols, so 20 of them carry 116 bits. */
    private static final String PASSWORD_SYMBOLS = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    static final int PASSWORD_LENGTH = 20;

    private QuickstartFiles() {}

    /** A new random password of {@link #PASSWORD_LENGTH} letters and digits. */
    static String newPassword(SecureRandom random) {
        StringBuilder password = new StringBuilder(PASSWORD_LENGTH);
        for (int i = 0; i < PASSWORD_LENGTH; i++) {
            password.append(PASSWORD_SYMBOLS.charAt(random.nextInt(PASSWORD_SYMBOLS.length())));
        }
        return password.toString();
    }

    /** {@code mosquitto_passwd} lines ({@code $7$}, PBKDF2-SHA512, 101 iterations, random salt) for each user. */
    static String passwd(Map<String, String> passwords, SecureRandom random) {
        StringBuilder text = new StringBuilder();
        passwords.forEach((user, password) -> {
            PasswordHash hash = PasswordHash.create(
                    HashKind.SHA512_PBKDF2,
                    PasswordHash.DEFAULT_ITERATIONS,
                    password.getBytes(StandardCharsets.UTF_8),
                    random);
            text.append(user).append(':').append(hash.encode()).append('\n');
        });
        return text.toString();
    }

    /**
     * {@code admin} may use every topic; each device only what the garage opener ({@code drawbridge-device}) uses with
     * its defaults for node id NAME: its base {@code drawbridge/NAME/#} (command, state, availability, event,
     * attributes), its Home Assistant discovery config, and Home Assistant's status, which makes it announce itself
     * again.
     */
    static String acl(QuickstartLayout layout) {
        StringBuilder text = new StringBuilder()
                .append("# Written by `java -jar drawbridge.jar pki quickstart`: each device reads and writes only\n")
                .append("# the topics of the garage opener (drawbridge-device) with node-id NAME and its default\n")
                .append("# topics: drawbridge/NAME/#, its Home Assistant discovery config and homeassistant/status.\n")
                .append("# The username is the certificate's CN on the TLS listener and the passwd user on the\n")
                .append("# local listener.\n")
                .append('\n')
                .append("user ")
                .append(ADMIN)
                .append("\ntopic readwrite #\n");
        for (String device : layout.devices()) {
            text.append("\nuser ")
                    .append(device)
                    .append("\ntopic readwrite drawbridge/")
                    .append(device)
                    .append("/#")
                    .append("\ntopic write homeassistant/cover/")
                    .append(device)
                    .append("/door/config")
                    .append("\ntopic read homeassistant/status\n");
        }
        return text.toString();
    }

    /**
     * Two listeners with their own settings: TLS on {@value #TLS_PORT} where devices are known by their certificate,
     * and plain MQTT on {@value #LOCAL_ADDRESS}:{@value #LOCAL_PORT} where local tools log in with a password; then,
     * after {@link #CONSOLE_MARKER}, the console on {@value #LOCAL_ADDRESS}:{@value #CONSOLE_PORT} over HTTPS.
     */
    static String mosquittoConf(QuickstartLayout layout) {
        String ca = layout.ca().directory().toString();
        return String.join(
                "\n",
                "# Written by `java -jar drawbridge.jar pki quickstart` for " + layout.server() + ".",
                "# Drawbridge reads this file; Mosquitto 2.0 reads it up to the console's block at the end. Every path is",
                "# absolute, so the broker can be started from any directory:  java -jar drawbridge.jar -c "
                        + layout.conf(),
                "",
                "# Each listener has its own settings: the TLS listener knows devices by their client certificate,",
                "# the local listener by user name and password.",
                "per_listener_settings true",
                "",
                "# Devices, on every interface: TLS with a client certificate signed by the CA in " + ca + ".",
                "# The certificate's CN is the username the acl_file rules apply to.",
                "listener " + TLS_PORT,
                "cafile " + layout.caCertificate(),
                "certfile " + layout.serverCertificate(),
                "keyfile " + layout.serverKey(),
                "require_certificate true",
                "use_identity_as_username true",
                "# tls_version is left unset on purpose, so TLS 1.2 and TLS 1.3 are both allowed.",
                "# Drawbridge never allows anything below TLS 1.2, whatever this file says.",
                "# To shut out a device: java -jar drawbridge.jar pki revoke NAME --dir " + ca,
                "# then uncomment crlfile and restart the broker (once crlfile is set, Drawbridge rereads it on",
                "# SIGHUP). Renew the CRL with pki crl --dir " + ca + " before its next update",
                "# (pki list " + ca + " shows it): after that date every device is refused.",
                "#crlfile " + layout.crl(),
                "allow_anonymous false",
                "acl_file " + layout.acl(),
                "",
                "# Tools on this machine only: user name and password from password_file.",
                "listener " + LOCAL_PORT + " " + LOCAL_ADDRESS,
                "allow_anonymous false",
                "password_file " + layout.passwd(),
                "acl_file " + layout.acl(),
                "",
                CONSOLE_MARKER + " (Drawbridge only: for Mosquitto 2.0, delete from this line to the end) ---",
                "# The console in a browser on this machine: https://localhost:" + CONSOLE_PORT + "/ (log in as "
                        + ADMIN + " with its password).",
                "# HTTPS with the server certificate, which names localhost and 127.0.0.1; the browser trusts it once",
                "# " + layout.caCertificate() + " is imported as a certificate authority.",
                "# Its Devices page lists, issues, revokes and renews the certificates of the CA in " + ca + ".",
                "listener " + CONSOLE_PORT + " " + LOCAL_ADDRESS,
                "protocol http_api",
                "certfile " + layout.serverCertificate(),
                "keyfile " + layout.serverKey(),
                "password_file " + layout.passwd(),
                "console_users " + ADMIN,
                "console_ca_dir " + ca,
                "");
    }
}
