package dev.drawbridge.broker.cli;

import dev.drawbridge.keystores.FingerprintAlgorithm;
import dev.drawbridge.keystores.FingerprintFormat;
import dev.drawbridge.keystores.Fingerprints;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What {@code pki quickstart} prints once it is done: the files, each device's settings with the passwords (the only
 * time they are shown: the password file keeps salted hashes) and the server certificate's fingerprints, and the next
 * two commands.
 */
final class QuickstartReport {

    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

    private QuickstartReport() {}

    static void print(
            PrintWriter out,
            QuickstartLayout layout,
            List<String> serverNames,
            X509Certificate server,
            Map<String, String> passwords) {
        String sha1 = Fingerprints.of(server, FingerprintAlgorithm.SHA1, FingerprintFormat.ESP8266);
        String sha256 = Fingerprints.of(server, FingerprintAlgorithm.SHA256, FingerprintFormat.COLON);
        out.printf("Created in %s:%n", layout.directory());
        file(out, QuickstartLayout.CA_DIRECTORY + "/", "the private CA (ca.key 0600, not encrypted: keep it private)");
        file(
                out,
                layout.relative(layout.serverCertificate()),
                "server certificate for " + String.join(", ", serverNames));
        for (String device : layout.devices()) {
            file(
                    out,
                    layout.relative(layout.deviceCertificate(device)),
                    "client certificate CN=" + device + ", key 0600");
        }
        file(out, layout.relative(layout.passwd()), "password file (0600): " + String.join(", ", passwords.keySet()));
        file(
                out,
                layout.relative(layout.acl()),
                "each device only drawbridge/NAME/# and its Home Assistant discovery, " + QuickstartFiles.ADMIN
                        + " everything");
        file(
                out,
                layout.relative(layout.conf()),
                "TLS with client certificates on port " + QuickstartFiles.TLS_PORT + ", passwords on "
                        + QuickstartFiles.LOCAL_ADDRESS + ":" + QuickstartFiles.LOCAL_PORT + ", the console on "
                        + QuickstartFiles.LOCAL_ADDRESS + ":" + QuickstartFiles.CONSOLE_PORT);
        out.println();
        out.println("Passwords are shown only this once (passwd keeps salted hashes); they log in on "
                + QuickstartFiles.LOCAL_ADDRESS + ":" + QuickstartFiles.LOCAL_PORT + ", and " + QuickstartFiles.ADMIN
                + "'s in the console too: https://localhost:" + QuickstartFiles.CONSOLE_PORT + "/");
        out.printf(
                "User %s (every topic)%n  password           %s%n",
                QuickstartFiles.ADMIN, passwords.get(QuickstartFiles.ADMIN));
        for (String device : layout.devices()) {
            out.printf("Device %s (topics drawbridge/%s/#)%n", device, device);
            out.printf("  certificate        %s%n", layout.deviceCertificate(device));
            out.printf("  key                %s%n", layout.deviceKey(device));
            out.printf("  CA certificate     %s%n", layout.caCertificate());
            out.printf("  password           %s%n", passwords.get(device));
            out.printf("  server SHA-1       %s   (ESP8266 fingerprint)%n", sha1);
            out.printf("  server SHA-256     %s%n", sha256);
        }
        String first = layout.devices().get(0);
        out.println();
        out.println("Next:");
        out.println("  1. Start the broker:");
        out.println("     java -jar drawbridge.jar -c " + quote(layout.conf()));
        out.println("  2. Publish as " + first + " over TLS (from another machine: -h " + layout.server() + "):");
        out.println("     mosquitto_pub -h localhost -p " + QuickstartFiles.TLS_PORT
                + " --cafile " + quote(layout.caCertificate())
                + " --cert " + quote(layout.deviceCertificate(first))
                + " --key " + quote(layout.deviceKey(first))
                + " -t drawbridge/" + first + "/state -m hello");
        out.flush();
    }

    private static void file(PrintWriter out, String name, String what) {
        out.printf("  %-22s %s%n", name, what);
    }

    /** A path as one shell word: as it is when it is plain, else in single quotes. */
    static String quote(Path path) {
        String text = path.toString();
        return SHELL_SAFE.matcher(text).matches() ? text : "'" + text.replace("'", "'\\''") + "'";
    }
}
