package dev.drawbridge.device.mqtt;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttClientSslConfigBuilder;
import dev.drawbridge.device.config.ConfigException;
import dev.drawbridge.device.config.DeviceConfig;
import dev.drawbridge.device.config.FingerprintPin;
import dev.drawbridge.device.config.TlsConfig;
import dev.drawbridge.keystores.FingerprintAlgorithm;
import dev.drawbridge.keystores.KeyMaterial;
import dev.drawbridge.keystores.PemFiles;
import dev.drawbridge.keystores.PkiException;
import dev.drawbridge.keystores.TrustMaterial;
import io.netty.handler.ssl.util.SimpleTrustManagerFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device's TLS material, loaded from the {@code tls:} section: its key and certificate, and how the broker is
 * checked (CA with host name, pinned fingerprints, or both). Builds the HiveMQ client's TLS 1.3/1.2 config.
 */
public final class TlsMaterial {

    private static final Logger LOG = LoggerFactory.getLogger(TlsMaterial.class);
    private static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private final KeyMaterial key;
    private final Optional<TrustMaterial> ca;
    private final List<FingerprintPin> pins;

    private TlsMaterial(KeyMaterial key, Optional<TrustMaterial> ca, List<FingerprintPin> pins) {
        this.key = key;
        this.ca = ca;
        this.pins = List.copyOf(pins);
    }

    /** Loads the files the checked {@code config} names; problems are reported as {@code FILE: tls.x: reason}. */
    public static TlsMaterial load(DeviceConfig config, Path configFile) throws ConfigException {
        TlsConfig tls = config.tls();
        String field = "tls.key";
        try {
            Path keyFile = config.resolve(required(tls.key()));
            Path certificateFile = config.resolve(required(tls.certificate()));
            char @Nullable [] passphrase =
                    tls.keyPassword() == null ? null : tls.keyPassword().toCharArray();
            KeyMaterial key = isPem(keyFile)
                    ? KeyMaterial.load(keyFile, certificateFile, passphrase)
                    : derKey(keyFile, certificateFile);
            field = "tls.ca";
            Optional<TrustMaterial> ca = tls.ca() == null
                    ? Optional.empty()
                    : Optional.of(TrustMaterial.load(config.resolve(tls.ca()), null));
            List<FingerprintPin> pins = new ArrayList<>();
            if (tls.fingerprintSha256() != null) {
                pins.add(FingerprintPin.parse(FingerprintAlgorithm.SHA256, tls.fingerprintSha256())
                        .orElseThrow());
            }
            if (tls.fingerprintSha1() != null) {
                LOG.warn("tls.fingerprint-sha1 is deprecated: SHA-1 is broken for collisions; pin"
                        + " tls.fingerprint-sha256 instead (openssl x509 -noout -fingerprint -sha256 -in broker.crt)");
                pins.add(FingerprintPin.parse(FingerprintAlgorithm.SHA1, tls.fingerprintSha1())
                        .orElseThrow());
            }
            return new TlsMaterial(key, ca, pins);
        } catch (PkiException e) {
            throw new ConfigException(configFile + ": " + field + ": " + e.getMessage(), e);
        }
    }

    /** The HiveMQ client's TLS config: TLS 1.3/1.2, the client key, and the broker checks. */
    public MqttClientSslConfig sslConfig() {
        X509ExtendedTrustManager caManager = ca.map(TlsMaterial::pkixManager).orElse(null);
        TrustManager manager =
                pins.isEmpty() && caManager != null ? caManager : new PinningTrustManager(caManager, pins);
        MqttClientSslConfigBuilder builder = MqttClientSslConfig.builder()
                .protocols(PROTOCOLS)
                .keyManagerFactory(key.keyManagerFactory())
                .trustManagerFactory(new FixedTrustManagerFactory(manager))
                .handshakeTimeout(10, TimeUnit.SECONDS);
        if (ca.isEmpty()) {
            builder = builder.hostnameVerifier((host, session) -> true); // the pin alone authenticates the broker
        }
        return builder.build();
    }

    /** The device's own certificate. */
    public X509Certificate certificate() {
        return key.certificate();
    }

    private static X509ExtendedTrustManager pkixManager(TrustMaterial trust) {
        for (TrustManager manager : trust.trustManagerFactory().getTrustManagers()) {
            if (manager instanceof X509ExtendedTrustManager extended) {
                return extended;
            }
        }
        throw new IllegalStateException("the JDK's PKIX trust manager factory made no X509ExtendedTrustManager");
    }

    private static String required(@Nullable String name) throws PkiException {
        if (name == null) {
            throw new PkiException("required");
        }
        return name;
    }

    private static boolean isPem(Path file) throws PkiException {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains("-----BEGIN ");
        } catch (IOException e) {
            throw PkiException.forFile(file, "cannot read (" + e.getMessage() + ")", e);
        }
    }

    private static KeyMaterial derKey(Path keyFile, Path certificateFile) throws PkiException {
        List<X509Certificate> chain = PemFiles.readCertificates(certificateFile);
        PrivateKey key = DerPrivateKeys.read(keyFile);
        if (!DerPrivateKeys.matches(key, chain.get(0))) {
            throw PkiException.forFile(keyFile, "private key does not match the certificate in " + certificateFile);
        }
        return new KeyMaterial(key, chain);
    }

    /** A trust manager factory that hands out one ready trust manager. */
    private static final class FixedTrustManagerFactory extends SimpleTrustManagerFactory {
        private final TrustManager manager;

        FixedTrustManagerFactory(TrustManager manager) {
            this.manager = manager;
        }

        @Override
        protected void engineInit(@Nullable KeyStore keyStore) {}

        @Override
        protected void engineInit(ManagerFactoryParameters parameters) {}

        @Override
        protected TrustManager[] engineGetTrustManagers() {
            return new TrustManager[] {manager};
        }
    }

    @Override
    public String toString() {
        return "TlsMaterial[" + key + ", ca=" + ca.isPresent() + ", pins=" + pins + "]";
    }
}
