package dev.drawbridge.broker.testing;

import dev.drawbridge.keystores.CertificateAuthority;
import dev.drawbridge.keystores.IssuedCertificate;
import dev.drawbridge.keystores.KeyType;
import dev.drawbridge.keystores.PkiException;
import dev.drawbridge.keystores.PkiFiles;
import dev.drawbridge.keystores.RevokedCertificate;
import dev.drawbridge.keystores.ServerCertificateRequest;
import dev.drawbridge.keystores.TrustMaterial;
import dev.drawbridge.keystores.Validity;
import dev.drawbridge.keystores.WriteMode;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * A throw-away PKI made at test time in a temporary directory: a CA ({@code NAME-ca.crt}), server certificates for
 * {@code localhost} and {@code 127.0.0.1}, client certificates ({@code CN=name}) and CRLs, all as PEM files.
 */
public final class TestPki {

    /** The PEM files of one issued certificate, and the certificate itself. */
    public record Issued(Path cert, Path key, X509Certificate certificate) {}

    private final Path dir;
    private final String name;
    private final CertificateAuthority ca;
    private final Path caFile;

    private TestPki(Path dir, String name, CertificateAuthority ca, Path caFile) {
        this.dir = dir;
        this.name = name;
        this.ca = ca;
        this.caFile = caFile;
    }

    /** A new CA named {@code CN=NAME CA}, written to {@code dir/NAME-ca.crt}. */
    public static TestPki create(Path dir, String name) throws PkiException {
        return create(dir, name, days(3650));
    }

    /** Like {@link #create(Path, String)}, with the CA certificate valid for {@code caValidity}. */
    public static TestPki create(Path dir, String name, Validity caValidity) throws PkiException {
        CertificateAuthority ca = CertificateAuthority.create(name + " CA", KeyType.EC, caValidity);
        Path caFile = dir.resolve(name + "-ca.crt");
        PkiFiles.writeCertificates(caFile, List.of(ca.certificate()), WriteMode.CREATE_NEW);
        return new TestPki(dir, name, ca, caFile);
    }

    public Path caFile() {
        return caFile;
    }

    /** Valid from a minute ago for {@code days} days. */
    public static Validity days(int days) {
        return Validity.days(days, Clock.systemUTC());
    }

    /** A validity entirely in the past: issued 10 days ago for 1 day. */
    public static Validity expired() {
        return Validity.days(
                1,
                Clock.fixed(
                        Instant.now().minus(Duration.ofDays(10)),
                        Clock.systemUTC().getZone()));
    }

    /** A server certificate for {@code localhost} and {@code 127.0.0.1} (RSA, a year), unencrypted PKCS#8 key. */
    public Issued server(String file) throws PkiException {
        return server(file, KeyType.RSA, days(365));
    }

    /** A server certificate for {@code localhost} and {@code 127.0.0.1}, unencrypted PKCS#8 key. */
    public Issued server(String file, KeyType keyType, Validity validity) throws PkiException {
        IssuedCertificate issued = ca.issueServer(new ServerCertificateRequest(
                "localhost", List.of("localhost"), List.of("127.0.0.1"), keyType, validity));
        return write(file, issued, null);
    }

    /** A server certificate for the DNS name {@code host} only (RSA, a year), unencrypted PKCS#8 key. */
    public Issued serverFor(String file, String host) throws PkiException {
        IssuedCertificate issued =
                ca.issueServer(new ServerCertificateRequest(host, List.of(host), List.of(), KeyType.RSA, days(365)));
        return write(file, issued, null);
    }

    /** Like {@link #server(String)} with the key encrypted under {@code passphrase}. */
    public Issued encryptedServer(String file, String passphrase) throws PkiException {
        IssuedCertificate issued = ca.issueServer(new ServerCertificateRequest(
                "localhost", List.of("localhost"), List.of("127.0.0.1"), KeyType.RSA, days(365)));
        return write(file, issued, passphrase.toCharArray());
    }

    /** Like {@link #client(String)} with the key encrypted under {@code passphrase}. */
    public Issued encryptedClient(String commonName, String passphrase) throws PkiException {
        return write(
                name + "-" + commonName, ca.issueClient(commonName, KeyType.EC, days(365)), passphrase.toCharArray());
    }

    /** A client certificate with subject {@code CN=commonName}, valid for a year. */
    public Issued client(String commonName) throws PkiException {
        return client(commonName, days(365));
    }

    public Issued client(String commonName, Validity validity) throws PkiException {
        return write(name + "-" + commonName, ca.issueClient(commonName, KeyType.EC, validity), null);
    }

    /** A CRL of this CA listing {@code revoked}, valid from an hour ago for 30 days, as {@code NAME-crl.pem}. */
    public Path crl(X509Certificate... revoked) throws PkiException {
        Instant now = Instant.now();
        List<RevokedCertificate> entries = Arrays.stream(revoked)
                .map(c -> new RevokedCertificate(c.getSerialNumber(), now.minus(Duration.ofMinutes(5))))
                .toList();
        X509CRL crl =
                ca.createCrl(entries, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30)), BigInteger.ONE);
        Path file = dir.resolve(name + "-crl.pem");
        PkiFiles.writeCrl(file, crl, WriteMode.REPLACE);
        return file;
    }

    /** A client-side TLS context that trusts this CA only and presents no certificate. */
    public SSLContext trustingContext() throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(
                null,
                new TrustMaterial(List.of(ca.certificate()), List.of())
                        .trustManagerFactory()
                        .getTrustManagers(),
                null);
        return context;
    }

    /** Writes {@code file.crt} and {@code file.key} (replacing them atomically if they exist). */
    private Issued write(String file, IssuedCertificate issued, char @Nullable [] passphrase) throws PkiException {
        Path cert = dir.resolve(file + ".crt");
        Path key = dir.resolve(file + ".key");
        PkiFiles.writeCertificates(cert, List.of(issued.certificate()), WriteMode.REPLACE);
        PkiFiles.writePrivateKey(key, issued.key(), passphrase, WriteMode.REPLACE);
        return new Issued(cert, key, issued.certificate());
    }
}
