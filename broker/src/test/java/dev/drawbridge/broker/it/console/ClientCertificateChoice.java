package dev.drawbridge.broker.it.console;

import dev.drawbridge.keystores.KeyMaterial;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;
import org.jspecify.annotations.Nullable;

/**
 * A TLS client's key manager for these tests. It notes whether the server's handshake asked for a client certificate
 * (the JDK then asks its key manager), and answers with the one key it holds whatever CAs the server names, or with
 * none. A JDK client would otherwise hold back a certificate of another CA and connect without one.
 */
final class ClientCertificateChoice extends X509ExtendedKeyManager {

    private final @Nullable X509KeyManager presented;
    private final AtomicBoolean asked = new AtomicBoolean();

    private ClientCertificateChoice(@Nullable X509KeyManager presented) {
        this.presented = presented;
    }

    /** Presents no certificate; only notes whether one was asked for. */
    static ClientCertificateChoice none() {
        return new ClientCertificateChoice(null);
    }

    /** Presents the key and chain that {@code keys} holds under {@link KeyMaterial#ALIAS}. */
    static ClientCertificateChoice presenting(X509KeyManager keys) {
        return new ClientCertificateChoice(keys);
    }

    /** Whether a handshake asked this client for a certificate. */
    boolean asked() {
        return asked.get();
    }

    private @Nullable String alias() {
        asked.set(true);
        return presented == null ? null : KeyMaterial.ALIAS;
    }

    @Override
    public String @Nullable [] getClientAliases(String keyType, Principal @Nullable [] issuers) {
        String alias = alias();
        return alias == null ? null : new String[] {alias};
    }

    @Override
    public @Nullable String chooseClientAlias(
            String[] keyType, Principal @Nullable [] issuers, @Nullable Socket socket) {
        return alias();
    }

    @Override
    public @Nullable String chooseEngineClientAlias(
            String[] keyType, Principal @Nullable [] issuers, @Nullable SSLEngine engine) {
        return alias();
    }

    @Override
    public String @Nullable [] getServerAliases(String keyType, Principal @Nullable [] issuers) {
        return null;
    }

    @Override
    public @Nullable String chooseServerAlias(String keyType, Principal @Nullable [] issuers, @Nullable Socket socket) {
        return null;
    }

    @Override
    public X509Certificate @Nullable [] getCertificateChain(String alias) {
        return presented == null ? null : presented.getCertificateChain(alias);
    }

    @Override
    public @Nullable PrivateKey getPrivateKey(String alias) {
        return presented == null ? null : presented.getPrivateKey(alias);
    }
}
