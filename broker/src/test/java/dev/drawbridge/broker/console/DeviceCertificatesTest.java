package dev.drawbridge.broker.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drawbridge.broker.console.DeviceCertificates.Refused;
import dev.drawbridge.keystores.CaDirectory;
import dev.drawbridge.keystores.CertificateAuthority;
import dev.drawbridge.keystores.FingerprintAlgorithm;
import dev.drawbridge.keystores.FingerprintFormat;
import dev.drawbridge.keystores.Fingerprints;
import dev.drawbridge.keystores.KeyType;
import dev.drawbridge.keystores.PemFiles;
import dev.drawbridge.keystores.WriteMode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's CA work on a real CA directory: what an issue writes and returns, and what a failed one leaves. */
class DeviceCertificatesTest {

    @TempDir
    Path dir;

    private CaDirectory ca;
    private DeviceCertificates certificates;
    private DeviceBundle.Server server;

    @BeforeEach
    void makeCa() throws Exception {
        ca = CaDirectory.at(dir);
        CertificateAuthority authority = ca.init("Home CA", KeyType.EC, 365, null, WriteMode.CREATE_NEW);
        ca.issueServer(
                authority,
                "mqtt.local",
                List.of("mqtt.local"),
                List.of("10.0.0.2"),
                KeyType.EC,
                365,
                WriteMode.CREATE_NEW);
        certificates = new DeviceCertificates(ca, Clock.systemUTC());
        server =
                new DeviceBundle.Server("mqtt.local", 8883, PemFiles.readCertificate(ca.certificateFile("mqtt.local")));
    }

    @Test
    void anIssueRecordsOnlyTheCertificateAndTheBundleHoldsEverythingElse() throws Exception {
        List<String> before = files();

        byte[] zip = certificates.issue("garage.local", KeyType.RSA, new char[0], server);

        assertThat(files()).containsExactlyInAnyOrderElementsOf(plus(before, "garage.local.crt"));
        Map<String, byte[]> bundle = unzip(zip);
        assertThat(bundle.keySet())
                .containsExactlyElementsOf(DeviceBundle.files("garage.local").stream()
                        .map(f -> "garage.local/" + f)
                        .toList());
        assertThat(PemFiles.readCertificate(write("garage.local.crt", bundle)))
                .isEqualTo(PemFiles.readCertificate(ca.certificateFile("garage.local")));
        assertThat(new String(bundle.get("garage.local/server-sha1.txt"), StandardCharsets.US_ASCII))
                .isEqualTo(Fingerprints.of(server.certificate(), FingerprintAlgorithm.SHA1, FingerprintFormat.ESP8266)
                        + "\n");
        assertThat(new String(bundle.get("garage.local/device.yml"), StandardCharsets.US_ASCII))
                .contains("mqtt:\n  host: \"mqtt.local\"\n  port: 8883\n")
                .contains("tls:\n  certificate: \"garage.local.crt\"\n  key: \"garage.local.key\"\n  ca: \"ca.crt\"\n")
                .contains("door:\n  node-id: \"garage_local\"");
        String key = new String(bundle.get("garage.local/garage.local.key"), StandardCharsets.US_ASCII);
        assertThat(key).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(certificates.list().rows())
                .extracting(DeviceCertificates.Row::name)
                .containsExactly("ca", "mqtt.local", "garage.local");
    }

    @Test
    void aCertificateThatCannotBeWrittenIssuesNothingAndLeavesNoFile() throws Exception {
        // A dangling link where garage.crt would go: not there for a look, but creating the file fails.
        Files.createSymbolicLink(ca.certificateFile("garage"), dir.resolve("elsewhere/garage.crt"));
        List<String> before = files();

        assertThatThrownBy(() -> certificates.issue("garage", KeyType.EC, new char[0], server))
                .isInstanceOf(Refused.class)
                .hasMessageStartingWith(
                        "Could not record the certificate; nothing was issued: " + ca.certificateFile("garage"));

        assertThat(files()).isEqualTo(before);
        assertThat(dir.resolve("elsewhere")).doesNotExist();
    }

    @Test
    void thePassphraseIsWipedAfterUse() throws Exception {
        char[] passphrase = "whatever".toCharArray();

        certificates.issue("gate", KeyType.EC, passphrase, server);

        assertThat(new String(passphrase)).isEqualTo("\0".repeat(8));
    }

    private List<String> files() throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private Path write(String name, Map<String, byte[]> bundle) throws IOException {
        return Files.write(
                Files.createDirectories(dir.resolve("out")).resolve(name), bundle.get("garage.local/" + name));
    }

    private static List<String> plus(List<String> files, String file) {
        List<String> all = new java.util.ArrayList<>(files);
        all.add(file);
        return all;
    }

    private static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                entries.put(entry.getName(), in.readAllBytes());
            }
        }
        return entries;
    }
}
