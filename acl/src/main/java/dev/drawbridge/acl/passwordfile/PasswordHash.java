package dev.drawbridge.acl.passwordfile;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One user's stored password hash.
 *
 * @param kind {@code $6$} or {@code $7$}
 * @param iterations the PBKDF2 iteration count; 0 for {@link HashKind#SHA512}
 * @param salt the 12-byte salt
 * @param hash the 64-byte hash
 */
public record PasswordHash(HashKind kind, int iterations, byte[] salt, byte[] hash) {

    /** Bytes of salt Mosquitto writes and requires. */
    public static final int SALT_LENGTH = 12;

    /** Iterations {@code mosquitto_passwd} 2.0 uses unless told otherwise. */
    public static final int DEFAULT_ITERATIONS = 101;

    /** Checks the sizes and copies the arrays. */
    public PasswordHash {
        Objects.requireNonNull(kind, "kind");
        if (kind == HashKind.SHA512_PBKDF2 ? iterations < 1 : iterations != 0) {
            throw new IllegalArgumentException("iterations: expected "
                    + (kind == HashKind.SHA512_PBKDF2 ? "at least 1" : "0 for $6$") + ", found " + iterations);
        }
        if (salt.length != SALT_LENGTH || hash.length != PasswordDigest.LENGTH) {
            throw new IllegalArgumentException("expected a 12-byte salt and a 64-byte hash, found " + salt.length
                    + " and " + hash.length + " bytes");
        }
        salt = salt.clone();
        hash = hash.clone();
    }

    /**
     * Hashes a new password as {@code mosquitto_passwd} does, with a fresh random salt.
     *
     * @param kind the format to write
     * @param iterations PBKDF2 iterations (ignored for {@link HashKind#SHA512})
     * @param password the password bytes (UTF-8 of what the user typed)
     * @param random where the salt comes from
     * @return the new hash
     */
    public static PasswordHash create(HashKind kind, int iterations, byte[] password, SecureRandom random) {
        byte[] salt = new byte[SALT_LENGTH];
        random.nextBytes(salt);
        return kind == HashKind.SHA512
                ? new PasswordHash(kind, 0, salt, PasswordDigest.sha512(password, salt))
                : new PasswordHash(kind, iterations, salt, PasswordDigest.pbkdf2(password, salt, iterations));
    }

    /**
     * Reads the hash field of a password-file line as the Mosquitto 2.0 broker does: the field is split at {@code $}
     * (empty pieces skipped, extra pieces ignored), the iteration count is read like C's {@code atoi}, and salt and hash
     * must be padded base64 of exactly 12 and 64 bytes.
     *
     * @param field the text after the username's colon, already trimmed
     * @return the hash
     * @throws IllegalArgumentException with Mosquitto's reason, for example {@code invalid password hash type}
     */
    public static PasswordHash decode(String field) {
        List<String> parts = Tokens.split(field, '$');
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("invalid password hash");
        }
        HashKind kind;
        int next = 1;
        int iterations = 0;
        if (parts.get(0).equals(HashKind.SHA512.id())) {
            kind = HashKind.SHA512;
        } else if (parts.get(0).equals(HashKind.SHA512_PBKDF2.id())) {
            kind = HashKind.SHA512_PBKDF2;
            if (parts.size() < 2) {
                throw new IllegalArgumentException("invalid password hash");
            }
            iterations = Tokens.atoi(parts.get(1));
            if (iterations < 1) {
                throw new IllegalArgumentException("invalid hash iterations");
            }
            next = 2;
        } else {
            throw new IllegalArgumentException("invalid password hash type");
        }
        if (parts.size() <= next) {
            throw new IllegalArgumentException("invalid password hash");
        }
        byte[] salt = base64(parts.get(next));
        if (salt == null || salt.length != SALT_LENGTH) {
            throw new IllegalArgumentException("unable to decode password salt");
        }
        if (parts.size() <= next + 1) {
            throw new IllegalArgumentException("invalid password hash");
        }
        byte[] hash = base64(parts.get(next + 1));
        if (hash == null || hash.length != PasswordDigest.LENGTH) {
            throw new IllegalArgumentException("unable to decode password");
        }
        return new PasswordHash(kind, iterations, salt, hash);
    }

    /**
     * Whether a password matches, compared in constant time.
     *
     * @param password the password bytes exactly as hashed (the caller applies Mosquitto's C-string rules)
     * @return true if it matches
     */
    public boolean verify(byte[] password) {
        byte[] candidate = kind == HashKind.SHA512
                ? PasswordDigest.sha512(password, salt)
                : PasswordDigest.pbkdf2(password, salt, iterations);
        return MessageDigest.isEqual(candidate, hash);
    }

    /**
     * The hash field as {@code mosquitto_passwd} writes it, for example {@code $7$101$salt$hash}.
     *
     * @return the encoded field
     */
    public String encode() {
        Base64.Encoder b64 = Base64.getEncoder();
        return kind == HashKind.SHA512
                ? "$6$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash)
                : "$7$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] hash() {
        return hash.clone();
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof PasswordHash that
                && kind == that.kind
                && iterations == that.iterations
                && Arrays.equals(salt, that.salt)
                && Arrays.equals(hash, that.hash);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, iterations, Arrays.hashCode(salt), Arrays.hashCode(hash));
    }

    /** Shows the kind and iterations only. */
    @Override
    public String toString() {
        return "PasswordHash[" + kind + ", iterations=" + iterations + "]";
    }

    /** Padded standard base64 only, as OpenSSL's decoder in Mosquitto requires; null if it is not. */
    private static byte @Nullable [] base64(String text) {
        if (text.length() % 4 != 0) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
