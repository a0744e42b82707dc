package dev.drawbridge.device.mqtt;

import dev.drawbridge.keystores.PemFiles;
import dev.drawbridge.keystores.PkiException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/**
 * Private keys in DER, as an ESP8266 sketch's {@code openssl rsa -outform DER} leaves them: unencrypted PKCS#8, PKCS#1
 * (RSA) or SEC1 (EC). PKCS#8 is read by the JDK; the other two are handed to the keystores module's PEM reader under
 * their PEM label, through an owner-only temporary file that is deleted at once.
 */
final class DerPrivateKeys {

    private static final List<String> PKCS8_ALGORITHMS = List.of("RSA", "EC", "Ed25519");
    private static final List<String> TRADITIONAL_LABELS = List.of("RSA PRIVATE KEY", "EC PRIVATE KEY");

    private DerPrivateKeys() {}

    static PrivateKey read(Path file) throws PkiException {
        byte[] der;
        try {
            der = Files.readAllBytes(file);
        } catch (IOException e) {
            throw PkiException.forFile(file, "cannot read (" + e.getMessage() + ")", e);
        }
        for (String algorithm : PKCS8_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // not this algorithm, or not PKCS#8
            }
        }
        for (String label : TRADITIONAL_LABELS) {
            try {
                return traditional(der, label);
            } catch (PkiException e) {
                // not this kind
            }
        }
        throw PkiException.forFile(
                file, "not a PEM private key, nor a DER one (unencrypted PKCS#8, PKCS#1 RSA or SEC1 EC)");
    }

    private static PrivateKey traditional(byte[] der, String label) throws PkiException {
        String pem = "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder().encodeToString(der) + "\n-----END "
                + label + "-----\n";
        Path temporary = null;
        try {
            temporary = Files.createTempFile(
                    "drawbridge-key",
                    ".pem",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temporary, pem, StandardCharsets.US_ASCII);
            return PemFiles.readPrivateKey(temporary, null);
        } catch (IOException | UnsupportedOperationException e) {
            throw new PkiException("cannot convert a DER key (" + e.getMessage() + ")", e);
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException e) {
                    // the file is owner-only and in the temporary folder; nothing more to do
                }
            }
        }
    }

    /** Whether {@code key} belongs to {@code certificate}: a probe signed with one verifies with the other. */
    static boolean matches(PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm();
        };
        try {
            byte[] probe = "drawbridge key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
