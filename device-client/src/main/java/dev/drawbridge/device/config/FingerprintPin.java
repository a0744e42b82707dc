package dev.drawbridge.device.config;

import dev.drawbridge.keystores.FingerprintAlgorithm;
import dev.drawbridge.keystores.FingerprintFormat;
import dev.drawbridge.keystores.Fingerprints;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * A pinned broker certificate fingerprint: the digest of the certificate's DER encoding, as {@code openssl x509
 * -fingerprint -sha256} prints it. Compared in constant time.
 *
 * @param algorithm SHA-256, or SHA-1 for configurations carried over from an ESP8266 sketch
 * @param digest the expected digest
 */
public record FingerprintPin(FingerprintAlgorithm algorithm, byte[] digest) {

    public FingerprintPin {
        digest = digest.clone();
    }

    /** Parses hex written as {@code AB:CD:..}, {@code AB CD ..} or {@code abcd..}; empty unless it is all hex of the right length. */
    public static Optional<FingerprintPin> parse(FingerprintAlgorithm algorithm, String text) {
        String hex = text.strip().replace(":", "").replace(" ", "").toLowerCase(Locale.ROOT);
        int expected = algorithm == FingerprintAlgorithm.SHA1 ? 20 : 32;
        if (hex.length() != expected * 2 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return Optional.empty();
        }
        return Optional.of(new FingerprintPin(algorithm, HexFormat.of().parseHex(hex)));
    }

    /** How many hex digits a pin of {@code algorithm} has. */
    public static int hexDigits(FingerprintAlgorithm algorithm) {
        return algorithm == FingerprintAlgorithm.SHA1 ? 40 : 64;
    }

    /** Whether {@code certificate} has this fingerprint. */
    public boolean matches(X509Certificate certificate) {
        return MessageDigest.isEqual(digest, Fingerprints.digest(certificate, algorithm));
    }

    /** The expected fingerprint, colon-separated. */
    public String text() {
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    }

    /** The fingerprint {@code certificate} actually has, in the same form. */
    public String of(X509Certificate certificate) {
        return Fingerprints.of(certificate, algorithm, FingerprintFormat.COLON);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FingerprintPin pin
                && pin.algorithm == algorithm
                && MessageDigest.isEqual(pin.digest, digest);
    }

    @Override
    public int hashCode() {
        return algorithm.hashCode();
    }

    @Override
    public String toString() {
        return "FingerprintPin[" + algorithm + " " + text() + "]";
    }
}
