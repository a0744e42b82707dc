package dev.drawbridge.broker.tls;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;

/** The client certificate a connection's TLS handshake verified: for MQTT logins and the console's alike. */
public final class PeerCertificate {

    private PeerCertificate() {}

    /**
     * The leaf certificate the client presented; the handshake already checked it against the listener's CAs, dates
     * and CRL, and fails rather than connect with one that does not pass. Empty without TLS or without a certificate.
     */
    public static Optional<X509Certificate> of(ChannelHandlerContext ctx) {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        if (ssl == null) {
            return Optional.empty();
        }
        try {
            Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate leaf ? Optional.of(leaf) : Optional.empty();
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty(); // no certificate presented
        }
    }
}
