package dev.drawbridge.keystores;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.jspecify.annotations.Nullable;

/** Turns the first private key block of a PEM text into a JDK {@link PrivateKey}, decrypting it when needed. */
final class PrivateKeyDecoder {

    private static final Set<String> KEY_LABELS =
            Set.of("PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY");

    private PrivateKeyDecoder() {}

    static boolean isKeyLabel(String label) {
        return KEY_LABELS.contains(label);
    }

    static PrivateKey decode(Path file, String text, char @Nullable [] passphrase) throws PkiException {
        Object parsed = firstKeyObject(file, text);
        PrivateKeyInfo info;
        if (parsed instanceof PrivateKeyInfo plain) {
            info = plain;
        } else if (parsed instanceof PEMKeyPair pair) {
            info = pair.getPrivateKeyInfo();
        } else if (parsed instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
            char[] secret = require(file, passphrase);
            try {
                info = encrypted.decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder()
                        .setProvider(BouncyCastle.PROVIDER)
                        .build(secret));
            } catch (Exception e) {
                throw wrongPassphrase(file, e);
            }
        } else if (parsed instanceof PEMEncryptedKeyPair encrypted) {
            char[] secret = require(file, passphrase);
            try {
                info = encrypted
                        .decryptKeyPair(new JcePEMDecryptorProviderBuilder()
                                .setProvider(BouncyCastle.PROVIDER)
                                .build(secret))
                        .getPrivateKeyInfo();
            } catch (Exception e) {
                throw wrongPassphrase(file, e);
            }
        } else {
            throw PkiException.forFile(file, "not a PEM private key");
        }
        try {
            return new JcaPEMKeyConverter().getPrivateKey(info);
        } catch (IOException | RuntimeException e) {
            throw PkiException.forFile(
                    file,
                    "unsupported private key (expected RSA or EC, found "
                            + info.getPrivateKeyAlgorithm().getAlgorithm() + ")",
                    e);
        }
    }

    private static Object firstKeyObject(Path file, String text) throws PkiException {
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            for (Object parsed = parser.readObject(); parsed != null; parsed = parser.readObject()) {
                if (parsed instanceof PrivateKeyInfo
                        || parsed instanceof PEMKeyPair
                        || parsed instanceof PKCS8EncryptedPrivateKeyInfo
                        || parsed instanceof PEMEncryptedKeyPair) {
                    return parsed;
                }
            }
        } catch (IOException | RuntimeException e) {
            throw PkiException.forFile(file, "malformed private key (" + e.getMessage() + ")", e);
        }
        throw PkiException.forFile(file, "not a PEM private key");
    }

    private static char[] require(Path file, char @Nullable [] passphrase) throws PkiException {
        if (passphrase == null) {
            throw PkiException.forFile(file, "private key is encrypted and no passphrase was given");
        }
        return passphrase;
    }

    private static PkiException wrongPassphrase(Path file, Exception cause) {
        return PkiException.forFile(file, "cannot decrypt private key (wrong passphrase or damaged file)", cause);
    }
}
