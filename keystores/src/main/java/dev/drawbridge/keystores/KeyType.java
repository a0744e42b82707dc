package dev.drawbridge.keystores;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.Locale;

/** The key algorithms Drawbridge generates: RSA 2048 (the default, what every device speaks) or EC P-256. */
public enum KeyType {
    RSA("SHA256withRSA"),
    EC("SHA256withECDSA");

    private final String signatureAlgorithm;

    KeyType(String signatureAlgorithm) {
        this.signatureAlgorithm = signatureAlgorithm;
    }

    /** The algorithm a key of this type signs certificates and CRLs with. */
    public String signatureAlgorithm() {
        return signatureAlgorithm;
    }

    /** A fresh key pair: RSA 2048 bits or EC on secp256r1 (P-256). */
    public KeyPair generate(SecureRandom random) {
        try {
            if (this == RSA) {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048, random);
                return generator.generateKeyPair();
            }
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot generate " + this + " keys", e);
        }
    }

    /** The type of an existing key. */
    public static KeyType of(PrivateKey key) {
        return switch (key.getAlgorithm()) {
            case "RSA" -> RSA;
            case "EC", "ECDSA" -> EC;
            default ->
                throw new IllegalArgumentException(
                        "unsupported key algorithm: expected RSA or EC, found " + key.getAlgorithm());
        };
    }

    /** Parses {@code rsa} or {@code ec}, ignoring case. */
    public static KeyType parse(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "rsa" -> RSA;
            case "ec" -> EC;
            default -> throw new IllegalArgumentException("key type: expected rsa or ec, found '" + text + "'");
        };
    }
}
