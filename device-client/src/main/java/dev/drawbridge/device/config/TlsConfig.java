package dev.drawbridge.device.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * The {@code tls:} section. The device always speaks TLS 1.3 or 1.2 and always presents a client certificate. The
 * broker is checked by a CA file (with its host name), by a pinned certificate fingerprint, or by both; at least one
 * is required. Relative paths are resolved against the config file's folder.
 *
 * @param certificate the device certificate, PEM (optionally followed by its chain) or DER (required)
 * @param key the device's private key, PEM or unencrypted PKCS#8 DER (required); must not be readable by group or
 *     others
 * @param keyPassword the passphrase of an encrypted PEM key, default none
 * @param ca the CA certificate(s) the broker certificate must chain to, default none
 * @param fingerprintSha256 the broker certificate's SHA-256 fingerprint in hex, any of {@code AB:CD..},
 *     {@code AB CD ..} or {@code abcd..}, default none
 * @param fingerprintSha1 the SHA-1 fingerprint an ESP8266 sketch pins; deprecated (a warning is logged), default
 *     none
 */
public record TlsConfig(
        @Nullable String certificate,
        @Nullable String key,
        @Nullable String keyPassword,
        @Nullable String ca,
        @Nullable String fingerprintSha256,
        @Nullable String fingerprintSha1) {

    @JsonCreator
    static TlsConfig of(
            @JsonProperty("certificate") @Nullable String certificate,
            @JsonProperty("key") @Nullable String key,
            @JsonProperty("key-password") @Nullable String keyPassword,
            @JsonProperty("ca") @Nullable String ca,
            @JsonProperty("fingerprint-sha256") @Nullable String fingerprintSha256,
            @JsonProperty("fingerprint-sha1") @Nullable String fingerprintSha1) {
        return new TlsConfig(certificate, key, keyPassword, ca, fingerprintSha256, fingerprintSha1);
    }

    static TlsConfig defaults() {
        return of(null, null, null, null, null, null);
    }

    @Override
    public String toString() {
        return "TlsConfig[certificate=" + certificate + ", key=" + key + ", ca=" + ca + ", sha256=" + fingerprintSha256
                + ", sha1=" + fingerprintSha1 + "]";
    }
}
