package dev.drawbridge.keystores;

import java.util.HexFormat;

/** How a fingerprint is written. */
public enum FingerprintFormat {
    /** Upper-case bytes separated by colons, as {@code openssl x509 -fingerprint} prints: {@code AB:CD:..}. */
    COLON(HexFormat.ofDelimiter(":").withUpperCase()),
    /** Lower-case hex without separators: {@code abcd..}. */
    HEX(HexFormat.of()),
    /** Upper-case bytes separated by single spaces, as typed into an ESP8266 sketch: {@code AB CD ..}. */
    ESP8266(HexFormat.ofDelimiter(" ").withUpperCase());

    private final HexFormat hex;

    FingerprintFormat(HexFormat hex) {
        this.hex = hex;
    }

    String format(byte[] digest) {
        return hex.formatHex(digest);
    }
}
