package dev.drawbridge.broker.tls;

import dev.drawbridge.broker.conf.TlsConfig;
import dev.drawbridge.broker.tls.provider.TlsProvider;
import dev.drawbridge.broker.tls.provider.TlsProviderException;
import dev.drawbridge.keystores.KeyMaterial;
import dev.drawbridge.keystores.PemFiles;
import dev.drawbridge.keystores.PkiException;
import dev.drawbridge.keystores.TrustMaterial;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.CipherSuiteConverter;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS side of one listener: an {@link SslContext} built from Mosquitto's PEM options, swapped whole on reload
 * (new connections use the new material, open ones keep theirs). OpenSSL or the JDK does the TLS: see
 * {@link TlsProvider}.
 */
public final class ServerTls {

    private static final Logger LOG = LoggerFactory.getLogger(ServerTls.class);

    /** What the loaded material is, for expiry checks and logs. */
    public record Loaded(SslContext context, X509Certificate serverCertificate, List<X509Certificate> authorities) {}

    /**
     * Whether a client certificate is asked for when the options do not ask for one: a console with {@code cafile}
     * or {@code capath} asks, so that a browser may log in by its certificate; a browser without one still connects.
     */
    private final boolean offerCertificateLogin;

    private volatile TlsConfig config;
    private final AtomicReference<Loaded> current;

    private ServerTls(TlsConfig config, Loaded loaded, boolean offerCertificateLogin) {
        this.config = config;
        this.current = new AtomicReference<>(loaded);
        this.offerCertificateLogin = offerCertificateLogin;
    }

    /** Loads key, chain, CAs and CRL; refuses expired server or CA certificates. */
    public static ServerTls load(TlsConfig config, Clock clock) throws TlsException {
        return load(config, clock, false);
    }

    /**
     * As {@link #load(TlsConfig, Clock)}; with {@code offerCertificateLogin} (a console) a client certificate is asked
     * for, but not required, whenever the options name CAs. A certificate that is presented must chain to them, be
     * within its dates and not be in the CRL, exactly as on an MQTT listener, or the handshake fails.
     */
    public static ServerTls load(TlsConfig config, Clock clock, boolean offerCertificateLogin) throws TlsException {
        Loaded loaded = build(config, offerCertificateLogin);
        CertificateExpiry.refuseExpired(loaded, config, clock);
        return new ServerTls(config, loaded, offerCertificateLogin);
    }

    public TlsConfig config() {
        return config;
    }

    public Loaded current() {
        return Objects.requireNonNull(current.get(), "always set");
    }

    /** A handler for a new connection, from the current material. */
    public SslHandler newHandler(ByteBufAllocator alloc) {
        return current().context().newHandler(alloc);
    }

    /** Loads the files again; on a problem the previous material stays and the problem is thrown. */
    public void reload(Clock clock) throws TlsException {
        Loaded fresh = build(config, offerCertificateLogin);
        CertificateExpiry.refuseExpired(fresh, config, clock);
        current.set(fresh);
        LOG.info("Reloaded TLS material from {}.", config.certfile());
    }

    /**
     * Loads the material {@code newConfig} names (a reread {@code mosquitto.conf}) without putting it in force, so that
     * a reload can load everything before it changes anything.
     */
    public Loaded prepare(TlsConfig newConfig, Clock clock) throws TlsException {
        Loaded fresh = build(newConfig, offerCertificateLogin);
        CertificateExpiry.refuseExpired(fresh, newConfig, clock);
        return fresh;
    }

    /** Puts material from {@link #prepare} in force: new connections use it, open ones keep theirs. */
    public void apply(TlsConfig newConfig, Loaded prepared) {
        config = newConfig;
        current.set(prepared);
        LOG.info("Reloaded TLS material from {}.", newConfig.certfile());
    }

    static Loaded build(TlsConfig config) throws TlsException {
        return build(config, false);
    }

    private static Loaded build(TlsConfig config, boolean offerCertificateLogin) throws TlsException {
        try {
            char[] password = config.keyPassword().map(String::toCharArray).orElse(null);
            if (password == null && PemFiles.isEncryptedPrivateKey(config.keyfile())) {
                throw new TlsException(config.keyfile() + ": the private key is encrypted; set keyfile_password");
            }
            KeyMaterial key = KeyMaterial.load(config.keyfile(), config.certfile(), password);
            List<X509Certificate> authorities = authorities(config);
            List<X509CRL> crls = new ArrayList<>();
            if (config.crlfile().isPresent()) {
                crls.add(PemFiles.readCrl(config.crlfile().get()));
            }
            // Both providers take the key as the JDK object KeyMaterial made of any PEM form, and the same
            // TrustManagerFactory (CAs and CRL): OpenSSL calls it back to check client certificates.
            // A certfile with only the leaf: the intermediates come from the CAs, as OpenSSL does for Mosquitto.
            List<X509Certificate> chain = ServerChain.complete(key.chain(), authorities);
            SslContextBuilder builder = SslContextBuilder.forServer(key.key(), chain.toArray(X509Certificate[]::new))
                    .sslProvider(TlsProvider.choose(
                            "The TLS listener with certfile " + config.certfile(),
                            config.ciphersTls13().isPresent()))
                    .protocols(config.tlsVersions());
            if (!authorities.isEmpty()) {
                builder.trustManager(new TrustMaterial(authorities, crls).trustManagerFactory());
            }
            builder.clientAuth(
                    offerCertificateLogin && !authorities.isEmpty() ? ClientAuth.OPTIONAL : clientAuth(config));
            List<String> ciphers = ciphers(config);
            if (!ciphers.isEmpty()) {
                builder.ciphers(ciphers);
            }
            return new Loaded(builder.build(), key.certificate(), authorities);
        } catch (PkiException | TlsProviderException e) {
            throw new TlsException(String.valueOf(e.getMessage()), e);
        } catch (SSLException | IllegalArgumentException e) {
            throw new TlsException(config.certfile() + ": cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static ClientAuth clientAuth(TlsConfig config) {
        if (config.requireCertificate()) {
            return ClientAuth.REQUIRE;
        }
        // Identity from a certificate needs one to be asked for; without it the login is refused.
        return config.useIdentityAsUsername() || config.useSubjectAsUsername() ? ClientAuth.OPTIONAL : ClientAuth.NONE;
    }

    private static List<X509Certificate> authorities(TlsConfig config) throws PkiException {
        List<X509Certificate> all = new ArrayList<>();
        if (config.cafile().isPresent()) {
            all.addAll(PemFiles.readCertificates(config.cafile().get()));
        }
        if (config.capath().isPresent()) {
            all.addAll(PemFiles.readCertificateDirectory(config.capath().get()));
        }
        return all;
    }

    /**
     * Mosquitto's {@code ciphers} use OpenSSL names; the JDK wants IANA names. Both are accepted, and given to either
     * provider as IANA names (Netty turns them back into OpenSSL names for OpenSSL).
     */
    private static List<String> ciphers(TlsConfig config) {
        List<String> names = new ArrayList<>();
        config.ciphers().ifPresent(list -> names.addAll(javaNames(list)));
        config.ciphersTls13().ifPresent(list -> names.addAll(javaNames(list)));
        return names;
    }

    private static List<String> javaNames(String list) {
        List<String> names = new ArrayList<>();
        for (String name : list.split("[:,\\s]+")) {
            if (name.isEmpty()) {
                continue;
            }
            String java = name.startsWith("TLS_") ? name : CipherSuiteConverter.toJava(name, "TLS");
            names.add(Optional.ofNullable(java).orElse(name));
        }
        return names;
    }
}
