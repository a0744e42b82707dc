package dev.drawbridge.keystores;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A private CA kept in one directory, the layout {@code pki} commands use:
 *
 * <pre>
 * ca.crt        the CA certificate (PEM)             ca.key        its key (PKCS#8 PEM, 0600, optionally encrypted)
 * NAME.crt      a server or client certificate       NAME.key      its key (PKCS#8 PEM, 0600)
 * crl.pem       the CA's current CRL (PEM)           revoked.txt   SERIAL-HEX REVOKED-AT NAME, one line each
 * crlnumber     number of the last CRL               NAME.der, NAME.key.der, ca.der, NAME.p12   exports
 * </pre>
 *
 * NAME is letters, digits, '.', '-' and '_' (e.g. {@code mqtt.local}, {@code garage.local}); {@code ca} is
 * reserved. Not thread-safe: one command at a time per directory.
 */
public final class CaDirectory {

    public static final String CA_CERTIFICATE = "ca.crt";
    public static final String CA_KEY = "ca.key";
    public static final String CRL = "crl.pem";
    public static final String REVOKED = "revoked.txt";
    public static final String CRL_NUMBER = "crlnumber";
    /** How long a CRL stays valid unless told otherwise: past its nextUpdate, TLS peers refuse every client. */
    public static final int DEFAULT_CRL_DAYS = 365;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    private final Path directory;
    private final Clock clock;
    private final RevocationIndex index;

    public CaDirectory(Path directory, Clock clock) {
        this.directory = directory;
        this.clock = clock;
        this.index = new RevocationIndex(directory);
    }

    public static CaDirectory at(Path directory) {
        return new CaDirectory(directory, Clock.systemUTC());
    }

    public Path directory() {
        return directory;
    }

    public Path file(String fileName) {
        return directory.resolve(fileName);
    }

    /** {@code NAME.crt}; throws {@link IllegalArgumentException} for a name outside the allowed characters. */
    public Path certificateFile(String name) {
        return file(requireName(name) + ".crt");
    }

    public Path keyFile(String name) {
        return file(requireName(name) + ".key");
    }

    /** Creates the directory if needed, a new CA in it and an empty CRL. */
    public CertificateAuthority init(
            String commonName, KeyType keyType, int days, char @Nullable [] passphrase, WriteMode mode)
            throws PkiException {
        refuseExisting(mode, file(CA_KEY), file(CA_CERTIFICATE), file(CRL));
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw PkiException.forFile(directory, "cannot create directory (" + e + ")", e);
        }
        CertificateAuthority ca = CertificateAuthority.create(commonName, keyType, Validity.days(days, clock));
        PkiFiles.writePrivateKey(file(CA_KEY), ca.key(), passphrase, mode);
        PkiFiles.writeCertificates(file(CA_CERTIFICATE), List.of(ca.certificate()), mode);
        writeCrl(ca, DEFAULT_CRL_DAYS, mode);
        return ca;
    }

    /** Whether {@code ca.key} is encrypted, i.e. {@link #open} needs a passphrase. */
    public boolean caKeyEncrypted() throws PkiException {
        return PemFiles.isEncryptedPrivateKey(file(CA_KEY));
    }

    /** Loads the CA from {@code ca.crt} and {@code ca.key}. */
    public CertificateAuthority open(char @Nullable [] passphrase) throws PkiException {
        X509Certificate certificate = PemFiles.readCertificate(file(CA_CERTIFICATE));
        PrivateKey key = PemFiles.readPrivateKey(file(CA_KEY), passphrase);
        try {
            return CertificateAuthority.of(certificate, key);
        } catch (IllegalArgumentException e) {
            throw PkiException.forFile(file(CA_KEY), String.valueOf(e.getMessage()), e);
        }
    }

    /** Issues {@code NAME.crt} and {@code NAME.key} for a TLS server. */
    public IssuedCertificate issueServer(
            CertificateAuthority ca,
            String name,
            List<String> dnsNames,
            List<String> ipAddresses,
            KeyType keyType,
            int days,
            WriteMode mode)
            throws PkiException {
        refuseExisting(mode, keyFile(name), certificateFile(name));
        ServerCertificateRequest request =
                new ServerCertificateRequest(name, dnsNames, ipAddresses, keyType, Validity.days(days, clock));
        return save(name, ca.issueServer(request), mode);
    }

    /** Issues {@code NAME.crt} and {@code NAME.key} for a TLS client with {@code CN=NAME}. */
    public IssuedCertificate issueClient(
            CertificateAuthority ca, String name, KeyType keyType, int days, WriteMode mode) throws PkiException {
        refuseExisting(mode, keyFile(name), certificateFile(name));
        return save(name, ca.issueClient(name, keyType, Validity.days(days, clock)), mode);
    }

    /**
     * Checks that {@code name} is a valid name for a new certificate here: allowed characters (else
     * {@link IllegalArgumentException}) and neither {@code NAME.crt} nor {@code NAME.key} present (else
     * {@link PkiException} naming the file).
     */
    public void requireNewName(String name) throws PkiException {
        refuseExisting(WriteMode.CREATE_NEW, certificateFile(name), keyFile(name));
    }

    /**
     * Writes {@code NAME.crt} for a certificate whose key is not kept here (a device's key, handed out once and
     * forgotten), so that listing and revoking see it as one {@link #issueClient} made. Refuses an existing
     * {@code NAME.crt} or {@code NAME.key}; on a write error no {@code NAME.crt} is left.
     */
    public void recordCertificate(String name, X509Certificate certificate) throws PkiException {
        requireNewName(name);
        PkiFiles.writeCertificates(certificateFile(name), List.of(certificate), WriteMode.CREATE_NEW);
    }

    /**
     * Renews {@code NAME.crt} with its own key ({@link CertificateAuthority#renew}): same names, new serial, valid
     * for {@code days} days from now. Only the certificate file changes, replaced atomically; {@code NAME.key} is not
     * read or written, so a listener never sees a key and certificate that do not match.
     */
    public X509Certificate renew(CertificateAuthority ca, String name, int days) throws PkiException {
        Path certificateFile = certificateFile(name);
        X509Certificate old = PemFiles.readCertificate(certificateFile);
        X509Certificate renewed;
        try {
            renewed = ca.renew(old, Validity.days(days, clock));
        } catch (IllegalArgumentException e) {
            throw PkiException.forFile(certificateFile, String.valueOf(e.getMessage()), e);
        }
        PkiFiles.writeCertificates(certificateFile, List.of(renewed), WriteMode.REPLACE);
        return renewed;
    }

    /** Records {@code NAME.crt} as revoked and writes a new {@code crl.pem}. */
    public RevokedCertificate revoke(CertificateAuthority ca, String name, int crlDays) throws PkiException {
        Path certificateFile = certificateFile(name);
        X509Certificate certificate = PemFiles.readCertificate(certificateFile);
        if (!certificate.getIssuerX500Principal().equals(ca.certificate().getSubjectX500Principal())) {
            throw PkiException.forFile(
                    certificateFile,
                    "not issued by this CA ("
                            + certificate.getIssuerX500Principal().getName() + ")");
        }
        boolean known =
                index.entries().stream().anyMatch(entry -> entry.serialNumber().equals(certificate.getSerialNumber()));
        if (known) {
            throw PkiException.forFile(certificateFile, "already revoked");
        }
        RevokedCertificate entry = new RevokedCertificate(
                certificate.getSerialNumber(), clock.instant().truncatedTo(ChronoUnit.SECONDS));
        index.add(entry, name);
        writeCrl(ca, crlDays, WriteMode.REPLACE);
        return entry;
    }

    /** The certificates revoked so far. */
    public List<RevokedCertificate> revoked() throws PkiException {
        return index.entries();
    }

    /** Signs and writes {@code crl.pem}, valid for {@code crlDays} days, listing every revoked certificate. */
    public X509CRL writeCrl(CertificateAuthority ca, int crlDays, WriteMode mode) throws PkiException {
        if (crlDays < 1) {
            throw new IllegalArgumentException("CRL validity: expected at least 1 day, found " + crlDays);
        }
        Instant now = clock.instant();
        X509CRL crl = ca.createCrl(index.entries(), now, now.plus(Duration.ofDays(crlDays)), index.nextCrlNumber());
        PkiFiles.writeCrl(file(CRL), crl, mode);
        return crl;
    }

    /** {@code NAME.key} with the chain {@code NAME.crt, ca.crt}. */
    public KeyMaterial keyMaterial(String name) throws PkiException {
        KeyMaterial leaf = KeyMaterial.load(keyFile(name), certificateFile(name), null);
        X509Certificate ca = PemFiles.readCertificate(file(CA_CERTIFICATE));
        return new KeyMaterial(leaf.key(), List.of(leaf.certificate(), ca));
    }

    static String requireName(String name) {
        if (!NAME.matcher(name).matches() || name.equals("ca")) {
            throw new IllegalArgumentException("name: expected letters, digits, '.', '-' or '_' like garage.local "
                    + "(not 'ca'), found '" + name + "'");
        }
        return name;
    }

    private IssuedCertificate save(String name, IssuedCertificate issued, WriteMode mode) throws PkiException {
        PkiFiles.writePrivateKey(keyFile(name), issued.key(), null, mode);
        PkiFiles.writeCertificates(certificateFile(name), List.of(issued.certificate()), mode);
        return issued;
    }

    private static void refuseExisting(WriteMode mode, Path... files) throws PkiException {
        if (mode == WriteMode.REPLACE) {
            return;
        }
        for (Path file : files) {
            if (Files.exists(file)) {
                throw PkiException.forFile(file, "already exists, refusing to overwrite it");
            }
        }
    }
}
