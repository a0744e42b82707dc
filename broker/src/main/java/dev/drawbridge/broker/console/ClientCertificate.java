package dev.drawbridge.broker.console;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.security.auth.x500.X500Principal;

/** The client certificate a console connection's TLS handshake verified, if the browser presented one. */
final class ClientCertificate {

    private ClientCertificate() {}

    /**
     * The leaf certificate; the handshake already checked it against the listener's CAs, dates and CRL, and fails
     * rather than connect with one that does not pass.
     */
    static Optional<X509Certificate> of(ChannelHandlerContext ctx) {
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

    /** The subject, for the page and the log (never the whole certificate). */
    static String subject(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName(X500Principal.RFC2253);
    }
}
