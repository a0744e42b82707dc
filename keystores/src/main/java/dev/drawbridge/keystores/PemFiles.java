package dev.drawbridge.keystores;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.jspecify.annotations.Nullable;

/**
 * Reads certificates, private keys and CRLs as the broker's TLS listeners and the device client need them. Every
 * failure is a {@link PkiException} whose message starts with the file and says what was expected and what was
 * found, e.g. {@code ca.crt: not a PEM certificate (found 'BEGIN PRIVATE KEY')}.
 *
 * <p>Certificates and CRLs may be PEM or DER. Private keys must be PEM: PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1
 * ({@code BEGIN RSA PRIVATE KEY}), SEC1 ({@code BEGIN EC PRIVATE KEY}, a leading {@code EC PARAMETERS} block is
 * skipped), encrypted PKCS#8 ({@code BEGIN ENCRYPTED PRIVATE KEY}) or legacy OpenSSL encrypted PEM
 * ({@code Proc-Type: 4,ENCRYPTED}); the last two need the passphrase. Thread-safe: no state.
 */
public final class PemFiles {

    private static final Set<String> CERTIFICATE_LABELS = Set.of("CERTIFICATE", "X509 CERTIFICATE");
    private static final Set<String> CRL_LABELS = Set.of("X509 CRL");
    private static final Pattern FIRST_LABEL = Pattern.compile("-----BEGIN ([^-\\r\\n]{1,64})-----");

    private PemFiles() {}

    /** All certificates in a PEM file (a chain, leaf first as written) or the one certificate of a DER file. */
    public static List<X509Certificate> readCertificates(Path file) throws PkiException {
        byte[] bytes = readBytes(file);
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        List<X509Certificate> certificates = new ArrayList<>();
        if (!isPem(text)) {
            certificates.add(certificateFromDer(file, bytes, "not a PEM or DER certificate"));
            return List.copyOf(certificates);
        }
        for (PemObject block : blocks(file, text)) {
            if (CERTIFICATE_LABELS.contains(block.getType())) {
                certificates.add(certificateFromDer(
                        file, block.getContent(), "certificate " + (certificates.size() + 1) + " is damaged"));
            }
        }
        if (certificates.isEmpty()) {
            throw PkiException.forFile(file, "not a PEM certificate (found " + firstLabel(text) + ")");
        }
        return List.copyOf(certificates);
    }

    /**
     * Every certificate in a CA directory (Mosquitto's {@code capath} and {@code bridge_capath}): the files named
     * {@code *.pem}, {@code *.crt} or like OpenSSL's hash links ({@code 9d66eef0.0}, made by {@code openssl rehash}), in
     * name order; other files are not read. OpenSSL itself reads only the hash links, so a CA file whose link has not
     * been made is trusted here and not by Mosquitto. Empty when no file matches.
     */
    public static List<X509Certificate> readCertificateDirectory(Path dir) throws PkiException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> found = Files.newDirectoryStream(dir, "*.{pem,crt,0,1,2,3,4,5,6,7,8,9}")) {
            found.forEach(files::add);
        } catch (IOException e) {
            throw PkiException.forFile(dir, "cannot read the CA directory (" + e + ")", e);
        }
        files.sort(null);
        List<X509Certificate> certificates = new ArrayList<>();
        for (Path file : files) {
            certificates.addAll(readCertificates(file));
        }
        return List.copyOf(certificates);
    }

    /** The first certificate of {@link #readCertificates}: the leaf of a chain. */
    public static X509Certificate readCertificate(Path file) throws PkiException {
        return readCertificates(file).get(0);
    }

    /** A CRL in PEM ({@code BEGIN X509 CRL}) or DER. */
    public static X509CRL readCrl(Path file) throws PkiException {
        byte[] bytes = readBytes(file);
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        if (!isPem(text)) {
            return crlFromDer(file, bytes, "not a PEM or DER CRL");
        }
        for (PemObject block : blocks(file, text)) {
            if (CRL_LABELS.contains(block.getType())) {
                return crlFromDer(file, block.getContent(), "CRL is damaged");
            }
        }
        throw PkiException.forFile(file, "not a PEM CRL (found " + firstLabel(text) + ")");
    }

    /**
     * The first private key in a PEM file.
     *
     * @param passphrase needed only when the key is encrypted; {@code null} when none was given
     */
    public static PrivateKey readPrivateKey(Path file, char @Nullable [] passphrase) throws PkiException {
        String text = new String(readBytes(file), StandardCharsets.ISO_8859_1);
        boolean hasKey = isPem(text)
                && blocks(file, text).stream().anyMatch(block -> PrivateKeyDecoder.isKeyLabel(block.getType()));
        if (!hasKey) {
            throw PkiException.forFile(file, "not a PEM private key (found " + firstLabel(text) + ")");
        }
        return PrivateKeyDecoder.decode(file, text, passphrase);
    }

    /** Whether the first private key in a PEM file is encrypted, so that a caller knows to ask for a passphrase. */
    public static boolean isEncryptedPrivateKey(Path file) throws PkiException {
        String text = new String(readBytes(file), StandardCharsets.ISO_8859_1);
        return text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") || text.contains("Proc-Type: 4,ENCRYPTED");
    }

    static byte[] readBytes(Path file) throws PkiException {
        try {
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length == 0) {
                throw PkiException.forFile(file, "empty file");
            }
            return bytes;
        } catch (NoSuchFileException e) {
            throw PkiException.forFile(file, "no such file", e);
        } catch (IOException e) {
            throw PkiException.forFile(file, "cannot read (" + e + ")", e);
        }
    }

    private static boolean isPem(String text) {
        return text.contains("-----BEGIN ");
    }

    private static List<PemObject> blocks(Path file, String text) throws PkiException {
        List<PemObject> blocks = new ArrayList<>();
        try (PemReader reader = new PemReader(new StringReader(text))) {
            for (PemObject block = reader.readPemObject(); block != null; block = reader.readPemObject()) {
                blocks.add(block);
            }
        } catch (IOException | RuntimeException e) {
            throw PkiException.forFile(file, "malformed PEM (" + e.getMessage() + ")", e);
        }
        return blocks;
    }

    private static String firstLabel(String text) {
        Matcher matcher = FIRST_LABEL.matcher(text);
        return matcher.find() ? "'BEGIN " + matcher.group(1) + "'" : "no PEM block";
    }

    private static X509Certificate certificateFromDer(Path file, byte[] der, String problem) throws PkiException {
        try {
            return (X509Certificate)
                    CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | RuntimeException e) {
            throw PkiException.forFile(file, problem, e);
        }
    }

    private static X509CRL crlFromDer(Path file, byte[] der, String problem) throws PkiException {
        try {
            return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
        } catch (CertificateException | CRLException | RuntimeException e) {
            throw PkiException.forFile(file, problem, e);
        }
    }
}
