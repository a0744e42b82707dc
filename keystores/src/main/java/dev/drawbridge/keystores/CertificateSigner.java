package dev.drawbridge.keystores;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Builds and signs X.509 v3 certificates and v2 CRLs with Bouncy Castle; returns JDK types. */
final class CertificateSigner {

    private static final int SERIAL_BYTES = 16;

    private CertificateSigner() {}

    static X500Name commonName(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.CN, commonName)
                .build();
    }

    static X500Name nameOf(X509Certificate certificate) {
        return X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
    }

    /** 16 random bytes read as a positive number (RFC 5280: positive, at most 20 octets, unpredictable). */
    static BigInteger serialNumber(SecureRandom random) {
        byte[] bytes = new byte[SERIAL_BYTES];
        BigInteger serial;
        do {
            random.nextBytes(bytes);
            serial = new BigInteger(1, bytes);
        } while (serial.signum() == 0);
        return serial;
    }

    /** An extension to add, with its criticality. */
    record Ext(ASN1ObjectIdentifier oid, boolean critical, ASN1Encodable value) {}

    /** Signs a certificate for {@code subjectKey}, adding subject and authority key identifiers. */
    static X509Certificate sign(
            X500Name issuer,
            PublicKey issuerPublicKey,
            PrivateKey signingKey,
            X500Name subject,
            PublicKey subjectKey,
            Validity validity,
            BigInteger serial,
            List<Ext> extensions) {
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    issuer,
                    serial,
                    Date.from(validity.notBefore()),
                    Date.from(validity.notAfter()),
                    subject,
                    subjectKey);
            for (Ext ext : extensions) {
                builder.addExtension(ext.oid(), ext.critical(), ext.value());
            }
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(subjectKey));
            builder.addExtension(
                    Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(issuerPublicKey));
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer(signingKey)));
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot sign certificate for " + subject, e);
        }
    }

    static X509CRL signCrl(
            X509Certificate caCertificate,
            PrivateKey caKey,
            List<RevokedCertificate> revoked,
            Instant thisUpdate,
            Instant nextUpdate,
            BigInteger crlNumber) {
        try {
            X509v2CRLBuilder builder = new X509v2CRLBuilder(nameOf(caCertificate), Date.from(thisUpdate));
            builder.setNextUpdate(Date.from(nextUpdate));
            for (RevokedCertificate entry : revoked) {
                builder.addCRLEntry(entry.serialNumber(), Date.from(entry.revokedAt()), CRLReason.unspecified);
            }
            builder.addExtension(
                    Extension.authorityKeyIdentifier,
                    false,
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(caCertificate.getPublicKey()));
            builder.addExtension(Extension.cRLNumber, false, new CRLNumber(crlNumber));
            return new JcaX509CRLConverter().getCRL(builder.build(signer(caKey)));
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot sign CRL of " + caCertificate.getSubjectX500Principal(), e);
        }
    }

    private static ContentSigner signer(PrivateKey key) {
        try {
            return new JcaContentSignerBuilder(KeyType.of(key).signatureAlgorithm()).build(key);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot sign with a " + key.getAlgorithm() + " key", e);
        }
    }
}
