package dev.drawbridge.acl.passwordfile;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The two digests of Mosquitto's {@code pw__digest}, over raw password bytes. */
final class PasswordDigest {

    /** Bytes in a SHA-512 digest, and so in every hash Mosquitto stores. */
    static final int LENGTH = 64;

    private static final byte[] ZERO_KEY = {0};

    private PasswordDigest() {}

    /** SHA-512 of the password followed by the salt ({@code $6$}). */
    static byte[] sha512(byte[] password, byte[] salt) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-512");
            digest.update(password);
            digest.update(salt);
            return digest.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-512 is missing from this JDK", e);
        }
    }

    /**
     * PBKDF2-HMAC-SHA512 with a 64-byte output, which is a single PBKDF2 block ({@code $7$}). Written out because the
     * JDK's {@code PBKDF2WithHmacSHA512} takes characters, and MQTT passwords are bytes.
     */
    static byte[] pbkdf2(byte[] password, byte[] salt, int iterations) {
        try {
            Mac mac = Mac.getInstance("HmacSHA512");
            // HMAC pads the key with zero bytes, so an empty key equals a one-zero-byte key (which SecretKeySpec
            // allows).
            mac.init(new SecretKeySpec(password.length == 0 ? ZERO_KEY : password, "HmacSHA512"));
            mac.update(salt);
            byte[] u = mac.doFinal(new byte[] {0, 0, 0, 1});
            byte[] result = u.clone();
            for (int i = 1; i < iterations; i++) {
                u = mac.doFinal(u);
                for (int j = 0; j < result.length; j++) {
                    result[j] ^= u[j];
                }
            }
            return result;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA512 is missing from this JDK", e);
        }
    }
}
