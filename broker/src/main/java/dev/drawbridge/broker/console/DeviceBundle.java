package dev.drawbridge.broker.console;

import dev.drawbridge.keystores.FingerprintAlgorithm;
import dev.drawbridge.keystores.FingerprintFormat;
import dev.drawbridge.keystores.Fingerprints;
import dev.drawbridge.keystores.IssuedCertificate;
import dev.drawbridge.keystores.PemEncoding;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The zip a device certificate is downloaded in, built in memory: everything a device needs, in a folder named after
 * it. For an ESP8266 the DER certificate and key, the CA and the server's SHA-1 fingerprint in the sketch's
 * {@code AB CD ..} form (as {@code pki fingerprint --sha1 --format esp8266} prints); for the garage opener
 * ({@code drawbridge-device}) a ready {@code device.yml} with the PEM files it names.
 */
final class DeviceBundle {

    /** The MQTT TLS listener the device will connect to: the host its certificate names, its port, its certificate. */
    record Server(String host, int port, X509Certificate certificate) {}

    private DeviceBundle() {}

    /** The file names in the bundle, under the folder {@code NAME/}. */
    static List<String> files(String name) {
        return List.of(
                "README.txt",
                name + ".crt",
                name + ".key",
                name + ".der",
                name + ".key.der",
                "ca.crt",
                "ca.der",
                "server-sha1.txt",
                "device.yml");
    }

    static byte[] zip(String name, IssuedCertificate issued, X509Certificate ca, Server server, Instant now) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            String sha1 = Fingerprints.of(server.certificate(), FingerprintAlgorithm.SHA1, FingerprintFormat.ESP8266);
            entry(zip, name, "README.txt", ascii(readme(name, server, sha1)));
            entry(zip, name, name + ".crt", ascii(PemEncoding.certificates(List.of(issued.certificate()))));
            entry(zip, name, name + ".key", ascii(PemEncoding.privateKey(issued.key(), null)));
            entry(zip, name, name + ".der", PemEncoding.der(issued.certificate()));
            entry(zip, name, name + ".key.der", PemEncoding.traditionalDer(issued.key()));
            entry(zip, name, "ca.crt", ascii(PemEncoding.certificates(List.of(ca))));
            entry(zip, name, "ca.der", PemEncoding.der(ca));
            entry(zip, name, "server-sha1.txt", ascii(sha1 + "\n"));
            entry(zip, name, "device.yml", ascii(deviceYml(name, server, now)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the bundle in memory", e);
        }
        return bytes.toByteArray();
    }

    /** The garage opener's config: the broker, the files of this bundle, and node-id NAME. */
    static String deviceYml(String name, Server server, Instant now) {
        // The opener's node-id takes letters, digits, '_' and '-'; a certificate name may also hold '.'.
        String nodeId = name.replace('.', '_');
        return "# drawbridge-device config for " + name + ", written by the Drawbridge console on " + Pages.time(now)
                + ".\n"
                + "# chmod 600 " + name + ".key first (a key others can read is refused), then:\n"
                + "#   java -jar drawbridge-device.jar -c device.yml\n"
                + "# Every other option keeps its default; see device.example.yml.\n"
                + "mqtt:\n"
                + "  host: \"" + server.host() + "\"\n"
                + "  port: " + server.port() + "\n"
                + "tls:\n"
                + "  certificate: \"" + name + ".crt\"\n"
                + "  key: \"" + name + ".key\"\n"
                + "  ca: \"ca.crt\"\n"
                + "door:\n"
                + "  node-id: \"" + nodeId + "\""
                + (nodeId.equals(name) ? "" : "   # the device name with '.' as '_'")
                + "\n";
    }

    private static String readme(String name, Server server, String sha1) {
        return "Device certificate for " + name + " (CN=" + name + "), issued by the Drawbridge console.\n"
                + "The private key exists only in this bundle: the broker did not keep it. Keep it private.\n\n"
                + name + ".crt, " + name + ".key   PEM certificate and key (drawbridge-device, mosquitto_pub)\n"
                + name + ".der, " + name + ".key.der   DER certificate and key (ESP8266 flash)\n"
                + "ca.crt, ca.der   the CA that signed the broker's certificate\n"
                + "server-sha1.txt   the broker certificate's SHA-1 fingerprint for an ESP8266 sketch: " + sha1 + "\n"
                + "device.yml   a ready config for drawbridge-device\n\n"
                + "Broker: " + server.host() + " port " + server.port() + " (TLS)\n"
                + "mosquitto_pub -h " + server.host() + " -p " + server.port() + " --cafile ca.crt --cert " + name
                + ".crt --key " + name + ".key -t drawbridge/" + name + "/state -m hello\n";
    }

    private static void entry(ZipOutputStream zip, String folder, String file, byte[] content) throws IOException {
        zip.putNextEntry(new ZipEntry(folder + "/" + file));
        zip.write(content);
        zip.closeEntry();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
