package dev.drawbridge.broker.bridge;

import dev.drawbridge.broker.tls.provider.TlsProvider;
import dev.drawbridge.broker.tls.provider.TlsProviderException;
import dev.drawbridge.keystores.KeyMaterial;
import dev.drawbridge.keystores.PemFiles;
import dev.drawbridge.keystores.PkiException;
import dev.drawbridge.keystores.TrustMaterial;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * The TLS client side of a bridge, from its {@code bridge_*} options with Mosquitto 2.0.11's meaning (its
 * {@code lib/net_mosq.c}): the remote broker's certificate must chain to a CA of {@code bridge_cafile} and/or
 * {@code bridge_capath} (Mosquitto 2.0.11 has no system trust store for bridges, so neither has Drawbridge) and, unless
 * {@code bridge_insecure true}, name the host of the {@code address} connected to; {@code bridge_certfile} and
 * {@code bridge_keyfile} are the client certificate (PEM, the key unencrypted: Mosquitto has no passphrase option for
 * bridges); {@code bridge_tls_version} is the lowest version offered ({@code tlsv1.2}, the default, also offers 1.3);
 * {@code bridge_alpn} the one ALPN protocol offered. The CA directory is read as the listeners read {@code capath}
 * ({@link PemFiles#readCertificateDirectory}), and OpenSSL or the JDK does the TLS as for them ({@link TlsProvider}).
 */
public final class BridgeTls {

    private BridgeTls() {}

    /** The client context for one bridge; its handlers come from {@link #handler}. */
    public static SslContext clientContext(BridgeConfig.Tls tls) throws BridgeTlsException {
        try {
            SslContextBuilder builder = SslContextBuilder.forClient()
                    .sslProvider(TlsProvider.choose("A bridge", false))
                    .protocols(protocols(tls))
                    .trustManager(new TrustMaterial(authorities(tls), List.of()).trustManagerFactory());
            if (tls.certfile().isPresent() && tls.keyfile().isPresent()) {
                Path keyfile = tls.keyfile().get();
                if (PemFiles.isEncryptedPrivateKey(keyfile)) {
                    throw new BridgeTlsException(keyfile + ": bridge_keyfile: the private key is encrypted, and a"
                            + " bridge has no option for its passphrase (nor has Mosquitto's)");
                }
                KeyMaterial key = KeyMaterial.load(keyfile, tls.certfile().get(), null);
                builder.keyManager(key.key(), key.chainArray());
            }
            if (tls.alpn().isPresent()) {
                // One protocol, offered as Mosquitto offers it: a server that picks none is no failure.
                builder.applicationProtocolConfig(new ApplicationProtocolConfig(
                        ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        tls.alpn().get()));
            }
            return builder.build();
        } catch (PkiException | TlsProviderException e) {
            throw new BridgeTlsException(String.valueOf(e.getMessage()), e);
        } catch (SSLException | IllegalArgumentException e) {
            throw new BridgeTlsException(
                    tls.certfile()
                                    .or(tls::cafile)
                                    .or(tls::capath)
                                    .map(Path::toString)
                                    .orElse("bridge TLS") + ": cannot set up TLS: " + e.getMessage(),
                    e);
        }
    }

    /**
     * A handler for one connection to {@code address}: SNI with its host and, unless {@code insecure}, the host checked
     * against the remote's certificate (endpoint identification "HTTPS": a DNS name against the DNS names, an IP address
     * against the IP addresses of its subject alternative names).
     */
    public static SslHandler handler(
            SslContext context, ByteBufAllocator alloc, BridgeConfig.Address address, boolean insecure) {
        SslHandler handler = context.newHandler(alloc, address.host(), address.port());
        SSLEngine engine = handler.engine();
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm(insecure ? null : "HTTPS");
        engine.setSSLParameters(parameters);
        return handler;
    }

    /** Mosquitto's {@code bridge_tls_version} is the lowest version: {@code tlsv1.2} also offers TLS 1.3. */
    private static String[] protocols(BridgeConfig.Tls tls) {
        return tls.tlsVersion().filter("TLSv1.3"::equals).isPresent()
                ? new String[] {"TLSv1.3"}
                : new String[] {"TLSv1.3", "TLSv1.2"};
    }

    private static List<X509Certificate> authorities(BridgeConfig.Tls tls) throws PkiException, BridgeTlsException {
        List<X509Certificate> all = new ArrayList<>();
        if (tls.cafile().isPresent()) {
            all.addAll(PemFiles.readCertificates(tls.cafile().get()));
        }
        if (tls.capath().isPresent()) {
            Path dir = tls.capath().get();
            List<X509Certificate> found = PemFiles.readCertificateDirectory(dir);
            if (found.isEmpty() && tls.cafile().isEmpty()) {
                throw new BridgeTlsException(dir + ": bridge_capath holds no CA certificate (files *.pem, *.crt or"
                        + " hash links like 9d66eef0.0 are read), so no remote broker could be trusted");
            }
            all.addAll(found);
        }
        return all;
    }
}
