package dev.drawbridge.broker.it.console;

import dev.drawbridge.broker.testing.Ports;
import dev.drawbridge.keystores.CaDirectory;
import dev.drawbridge.keystores.CertificateAuthority;
import dev.drawbridge.keystores.KeyType;
import dev.drawbridge.keystores.PkiException;
import dev.drawbridge.keystores.TrustMaterial;
import dev.drawbridge.keystores.WriteMode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * A {@code pki} CA directory made at test time ({@code ca.crt}, {@code ca.key}, {@code crl.pem}, the server
 * certificate {@code broker} for localhost and 127.0.0.1, the device {@code gate}) and a broker using it: an
 * anonymous MQTT listener on 127.0.0.1 for watching, a TLS listener that requires a client certificate of that CA
 * (optionally checking its {@code crl.pem}), and a console with {@code console_ca_dir} on it, over HTTPS or in clear.
 */
final class DevicesBroker implements AutoCloseable {

    final Path caDir;
    final CaDirectory ca;
    final ConsoleBroker console;
    final int tlsPort;

    private DevicesBroker(Path caDir, CaDirectory ca, ConsoleBroker console, int tlsPort) {
        this.caDir = caDir;
        this.ca = ca;
        this.console = console;
        this.tlsPort = tlsPort;
    }

    static DevicesBroker start(Path dir, boolean https, boolean crlfile, char @Nullable [] caPassphrase)
            throws PkiException {
        Path caDir = dir.resolve("ca");
        CaDirectory ca = CaDirectory.at(caDir);
        CertificateAuthority authority = ca.init("Drawbridge CA", KeyType.EC, 3650, caPassphrase, WriteMode.CREATE_NEW);
        ca.issueServer(
                authority, "broker", List.of("localhost"), List.of("127.0.0.1"), KeyType.EC, 825, WriteMode.CREATE_NEW);
        ca.issueClient(authority, "gate", KeyType.EC, 825, WriteMode.CREATE_NEW);
        int tlsPort = Ports.free();
        List<String> conf = new ArrayList<>(List.of(
                "allow_anonymous true",
                "password_file {passwd}",
                "listener 0 127.0.0.1",
                "listener " + tlsPort + " 127.0.0.1",
                "cafile " + ca.file(CaDirectory.CA_CERTIFICATE),
                "certfile " + ca.certificateFile("broker"),
                "keyfile " + ca.keyFile("broker"),
                "require_certificate true",
                "use_identity_as_username true"));
        if (crlfile) {
            conf.add("crlfile " + ca.file(CaDirectory.CRL));
        }
        conf.addAll(List.of("listener 0 127.0.0.1", "protocol http_api"));
        if (https) {
            conf.addAll(List.of("certfile " + ca.certificateFile("broker"), "keyfile " + ca.keyFile("broker")));
        }
        conf.addAll(List.of("console_users admin", "console_ca_dir " + caDir));
        return new DevicesBroker(caDir, ca, ConsoleBroker.startConf(dir, conf), tlsPort);
    }

    /** A client-side TLS context that trusts the CA. */
    SSLContext trusting() throws PkiException, GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(
                null,
                TrustMaterial.load(ca.file(CaDirectory.CA_CERTIFICATE), null)
                        .trustManagerFactory()
                        .getTrustManagers(),
                null);
        return context;
    }

    /** Every file of the CA directory with the SHA-256 of its content: equal maps mean nothing was changed. */
    Map<String, String> caFiles() {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(caDir)) {
            for (Path file : list.toList()) {
                files.put(
                        file.getFileName().toString(),
                        HexFormat.of()
                                .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return files;
    }

    @Override
    public void close() {
        console.close();
    }
}
