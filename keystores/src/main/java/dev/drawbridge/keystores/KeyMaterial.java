package dev.drawbridge.keystores;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import org.jspecify.annotations.Nullable;

/**
 * A private key and its certificate chain (leaf first), in JDK types: what a TLS server or client presents. Feed
 * {@link #key()} and {@link #chainArray()} to Netty's {@code SslContextBuilder.forServer(key, chain)}, or use
 * {@link #keyManagerFactory()} for {@code javax.net.ssl}.
 */
public record KeyMaterial(PrivateKey key, List<X509Certificate> chain) {

    /** The alias under which {@link #toKeyStore} stores the entry. */
    public static final String ALIAS = "key";

    public KeyMaterial {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("key material: expected at least one certificate, found none");
        }
    }

    /**
     * Loads a PEM private key and its certificate file (leaf first, optionally followed by intermediates), and
     * checks that they belong together.
     */
    public static KeyMaterial load(Path keyFile, Path certificateFile, char @Nullable [] passphrase)
            throws PkiException {
        PrivateKey key = PemFiles.readPrivateKey(keyFile, passphrase);
        List<X509Certificate> chain = PemFiles.readCertificates(certificateFile);
        if (!KeyPairs.matches(key, chain.get(0).getPublicKey())) {
            throw PkiException.forFile(
                    keyFile,
                    "private key does not match the certificate in " + certificateFile + " ("
                            + chain.get(0).getSubjectX500Principal().getName() + ")");
        }
        return new KeyMaterial(key, chain);
    }

    /** The leaf certificate. */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** The chain as the array Netty and {@link KeyStore} expect. */
    public X509Certificate[] chainArray() {
        return chain.toArray(new X509Certificate[0]);
    }

    /** An in-memory PKCS#12 key store holding this entry under {@link #ALIAS}, protected by {@code password}. */
    public KeyStore toKeyStore(char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(ALIAS, key, password, chainArray());
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("the JDK cannot build a PKCS#12 key store", e);
        }
    }

    /** A key manager factory initialised with this key and chain. */
    public KeyManagerFactory keyManagerFactory() {
        char[] password = new char[0];
        try {
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(toKeyStore(password), password);
            return factory;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot build a key manager factory", e);
        }
    }

    @Override
    public String toString() {
        return "KeyMaterial[" + key.getAlgorithm() + " key, chain="
                + Arrays.toString(chain.stream()
                        .map(c -> c.getSubjectX500Principal().getName())
                        .toArray()) + "]";
    }
}
