package dev.drawbridge.device.mqtt;

import dev.drawbridge.device.config.FingerprintPin;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the broker's certificate: against the CA (with the host name, when {@code ca} is given) and then against
 * every pinned fingerprint. Fails closed; a mismatch names the fingerprint the broker presented (in the exception,
 * which the link logs once per change), never key material.
 */
final class PinningTrustManager extends X509ExtendedTrustManager {

    private static final Logger LOG = LoggerFactory.getLogger(PinningTrustManager.class);

    private final @Nullable X509ExtendedTrustManager ca;
    private final List<FingerprintPin> pins;

    PinningTrustManager(@Nullable X509ExtendedTrustManager ca, List<FingerprintPin> pins) {
        if (ca == null && pins.isEmpty()) {
            throw new IllegalArgumentException("trust: expected a CA, a pin or both, found neither");
        }
        this.ca = ca;
        this.pins = List.copyOf(pins);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        if (ca != null) {
            ca.checkServerTrusted(chain, authType, engine);
        }
        checkPins(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        if (ca != null) {
            ca.checkServerTrusted(chain, authType, socket);
        }
        checkPins(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (ca != null) {
            ca.checkServerTrusted(chain, authType);
        }
        checkPins(chain);
    }

    private void checkPins(X509Certificate[] chain) throws CertificateException {
        if (chain.length == 0) {
            throw new CertificateException("broker presented no certificate");
        }
        for (FingerprintPin pin : pins) {
            if (!pin.matches(chain[0])) {
                String presented = pin.of(chain[0]);
                LOG.debug(
                        "Broker certificate {} does not match the pinned {} fingerprint: expected {}, presented {}",
                        chain[0].getSubjectX500Principal().getName(),
                        pin.algorithm(),
                        pin.text(),
                        presented);
                throw new CertificateException("broker certificate " + pin.algorithm()
                        + " fingerprint mismatch: expected " + pin.text() + ", found " + presented);
            }
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("the device does not accept client certificates");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("the device does not accept client certificates");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("the device does not accept client certificates");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return ca == null ? new X509Certificate[0] : ca.getAcceptedIssuers();
    }
}
