package dev.drawbridge.keystores;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The digest a certificate fingerprint is computed with. SHA-1 only because ESP8266 sketches still pin by it. */
public enum FingerprintAlgorithm {
    SHA1("SHA-1"),
    SHA256("SHA-256");

    private final String jdkName;

    FingerprintAlgorithm(String jdkName) {
        this.jdkName = jdkName;
    }

    byte[] digest(byte[] data) {
        try {
            return MessageDigest.getInstance(jdkName).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has " + jdkName, e);
        }
    }
}
