package dev.drawbridge.device;

import dev.drawbridge.keystores.CertificateAuthority;
import dev.drawbridge.keystores.IssuedCertificate;
import dev.drawbridge.keystores.KeyType;
import dev.drawbridge.keystores.PkiException;
import dev.drawbridge.keystores.PkiFiles;
import dev.drawbridge.keystores.ServerCertificateRequest;
import dev.drawbridge.keystores.Validity;
import dev.drawbridge.keystores.WriteMode;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;

/**
 * A throw-away PKI written to a test folder: {@code ca.crt}; the broker's {@code server.crt}/{@code server.key} for
 * {@code localhost} and 127.0.0.1; the device's {@code device.crt}/{@code device.key} (CN {@code garage}); and
 * {@code intruder.crt}/{@code intruder.key} (CN {@code intruder}), as valid as the device's but with no rights in the
 * broker's ACL. EC keys, because RSA generation is slow on two cores.
 */
public final class TestPki {

    public final Path dir;
    public final CertificateAuthority ca;
    public final X509Certificate server;

    private TestPki(Path dir, CertificateAuthority ca, X509Certificate server) {
        this.dir = dir;
        this.ca = ca;
        this.server = server;
    }

    public static TestPki create(Path dir) throws PkiException {
        Validity validity = Validity.days(2, Clock.systemUTC());
        CertificateAuthority ca = CertificateAuthority.create("Drawbridge Test CA", KeyType.EC, validity);
        PkiFiles.writeCertificates(dir.resolve("ca.crt"), List.of(ca.certificate()), WriteMode.REPLACE);
        IssuedCertificate server = ca.issueServer(new ServerCertificateRequest(
                "localhost", List.of("localhost"), List.of("127.0.0.1"), KeyType.EC, validity));
        write(dir, "server", server);
        write(dir, "device", ca.issueClient("garage", KeyType.EC, validity));
        write(dir, "intruder", ca.issueClient("intruder", KeyType.EC, validity));
        return new TestPki(dir, ca, server.certificate());
    }

    private static void write(Path dir, String name, IssuedCertificate issued) throws PkiException {
        PkiFiles.writeCertificates(dir.resolve(name + ".crt"), List.of(issued.certificate()), WriteMode.REPLACE);
        PkiFiles.writePrivateKey(dir.resolve(name + ".key"), issued.key(), null, WriteMode.REPLACE);
    }

    public Path file(String name) {
        return dir.resolve(name);
    }
}
