package dev.drawbridge.keystores;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.X509CRL;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;

/**
 * The certificates a TLS peer is checked against (Mosquitto's {@code cafile}) and optionally a CRL
 * ({@code crlfile}). With a CRL, {@link #trustManagerFactory()} refuses certificates it lists; without, none is
 * checked. Feed {@link #anchorsArray()} to Netty's {@code SslContextBuilder.trustManager(...)} when no CRL is used.
 */
public record TrustMaterial(List<X509Certificate> anchors, List<X509CRL> crls) {

    public TrustMaterial {
        anchors = List.copyOf(anchors);
        crls = List.copyOf(crls);
        if (anchors.isEmpty()) {
            throw new IllegalArgumentException("trust material: expected at least one certificate, found none");
        }
    }

    /** Loads the CA file and, when {@code crlFile} is not null, one CRL. */
    public static TrustMaterial load(Path caFile, @Nullable Path crlFile) throws PkiException {
        List<X509Certificate> anchors = PemFiles.readCertificates(caFile);
        List<X509CRL> crls = crlFile == null ? List.of() : List.of(PemFiles.readCrl(crlFile));
        return new TrustMaterial(anchors, crls);
    }

    public X509Certificate[] anchorsArray() {
        return anchors.toArray(new X509Certificate[0]);
    }

    /** An in-memory key store holding every anchor as a trusted certificate entry. */
    public KeyStore toKeyStore() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < anchors.size(); i++) {
                store.setCertificateEntry("ca-" + i, anchors.get(i));
            }
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("the JDK cannot build a PKCS#12 trust store", e);
        }
    }

    /** A PKIX trust manager factory over the anchors, checking the CRLs when there are any. */
    public TrustManagerFactory trustManagerFactory() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            if (crls.isEmpty()) {
                factory.init(toKeyStore());
                return factory;
            }
            PKIXBuilderParameters parameters = new PKIXBuilderParameters(toKeyStore(), new X509CertSelector());
            parameters.setRevocationEnabled(true);
            parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(crls)));
            factory.init(new CertPathTrustManagerParameters(parameters));
            return factory;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot build a trust manager factory", e);
        }
    }
}
