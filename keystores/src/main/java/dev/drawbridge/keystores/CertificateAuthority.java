package dev.drawbridge.keystores;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.jspecify.annotations.Nullable;

/**
 * A private certificate authority: a self-signed CA certificate and its key, which issues server certificates (for
 * the broker's TLS listener) and client certificates (for devices), and signs CRLs. Certificates are signed with
 * SHA256withRSA or SHA256withECDSA according to the CA key; serial numbers are 16 random bytes.
 *
 * <p>Thread-safe when the {@link SecureRandom} given is (the default one is).
 */
public final class CertificateAuthority {

    private final X509Certificate certificate;
    private final PrivateKey key;
    private final SecureRandom random;

    private CertificateAuthority(X509Certificate certificate, PrivateKey key, SecureRandom random) {
        this.certificate = certificate;
        this.key = key;
        this.random = random;
    }

    /** Creates a new CA with a fresh key: subject {@code CN=commonName}, CA:true, keyCertSign and cRLSign. */
    public static CertificateAuthority create(String commonName, KeyType keyType, Validity validity) {
        return create(commonName, keyType, validity, new SecureRandom());
    }

    public static CertificateAuthority create(
            String commonName, KeyType keyType, Validity validity, SecureRandom random) {
        return create(commonName, keyType, validity, 0, random);
    }

    /**
     * Like {@link #create(String, KeyType, Validity)}, for a root that may sign up to {@code pathLength} levels of
     * intermediate CAs below it ({@link #issueIntermediate}).
     */
    public static CertificateAuthority create(
            String commonName, KeyType keyType, Validity validity, int pathLength, SecureRandom random) {
        if (pathLength < 0) {
            throw new IllegalArgumentException("pathLength must be >= 0, found " + pathLength);
        }
        Names.requireCommonName(commonName);
        KeyPair pair = keyType.generate(random);
        X500Name name = CertificateSigner.commonName(commonName);
        X509Certificate certificate = CertificateSigner.sign(
                name,
                pair.getPublic(),
                pair.getPrivate(),
                name,
                pair.getPublic(),
                validity,
                CertificateSigner.serialNumber(random),
                List.of(
                        new CertificateSigner.Ext(Extension.basicConstraints, true, new BasicConstraints(pathLength)),
                        new CertificateSigner.Ext(
                                Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))));
        return new CertificateAuthority(certificate, pair.getPrivate(), random);
    }

    /**
     * Issues an intermediate CA signed by this one: subject {@code CN=commonName}, CA:true with path length 0 (it
     * issues end-entity certificates only), keyCertSign and cRLSign. This CA must allow it (path length >= 1).
     */
    public CertificateAuthority issueIntermediate(String commonName, KeyType keyType, Validity validity) {
        if (certificate.getBasicConstraints() < 1) {
            throw new IllegalStateException(
                    "this CA's path length (" + certificate.getBasicConstraints() + ") allows no intermediate CA: "
                            + certificate.getSubjectX500Principal().getName());
        }
        Names.requireCommonName(commonName);
        KeyPair pair = keyType.generate(random);
        X509Certificate issued = CertificateSigner.sign(
                CertificateSigner.nameOf(certificate),
                certificate.getPublicKey(),
                key,
                CertificateSigner.commonName(commonName),
                pair.getPublic(),
                validity,
                CertificateSigner.serialNumber(random),
                List.of(
                        new CertificateSigner.Ext(Extension.basicConstraints, true, new BasicConstraints(0)),
                        new CertificateSigner.Ext(
                                Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))));
        return new CertificateAuthority(issued, pair.getPrivate(), random);
    }

    /** An existing CA, e.g. loaded from {@code ca.crt} and {@code ca.key}; checks that key and certificate match. */
    public static CertificateAuthority of(X509Certificate certificate, PrivateKey key) {
        if (certificate.getBasicConstraints() < 0) {
            throw new IllegalArgumentException("not a CA certificate (basicConstraints CA:true missing): "
                    + certificate.getSubjectX500Principal().getName());
        }
        if (!KeyPairs.matches(key, certificate.getPublicKey())) {
            throw new IllegalArgumentException("the CA key does not match the CA certificate "
                    + certificate.getSubjectX500Principal().getName());
        }
        return new CertificateAuthority(certificate, key, new SecureRandom());
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public PrivateKey key() {
        return key;
    }

    /**
     * Issues a TLS server certificate: the request's DNS names and IP addresses as subject alternative names,
     * extended key usage serverAuth, key usage digitalSignature (+ keyEncipherment for RSA), CA:false.
     */
    public IssuedCertificate issueServer(ServerCertificateRequest request) {
        List<GeneralName> names = new ArrayList<>();
        request.dnsNames().forEach(dns -> names.add(new GeneralName(GeneralName.dNSName, dns)));
        request.ipAddresses().forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
        return issue(
                request.commonName(),
                request.keyType(),
                request.validity(),
                KeyPurposeId.id_kp_serverAuth,
                new CertificateSigner.Ext(
                        Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(new GeneralName[0]))));
    }

    /** Issues a TLS client certificate with subject {@code CN=commonName} and extended key usage clientAuth. */
    public IssuedCertificate issueClient(String commonName, KeyType keyType, Validity validity) {
        Names.requireCommonName(commonName);
        return issue(commonName, keyType, validity, KeyPurposeId.id_kp_clientAuth, null);
    }

    /**
     * Renews a certificate this CA issued: the same subject, public key and extensions (names, key usages) with a new
     * serial number and {@code validity}. The key stays where it is, so nothing but the certificate file changes.
     */
    public X509Certificate renew(X509Certificate old, Validity validity) {
        if (!old.getIssuerX500Principal().equals(certificate.getSubjectX500Principal())) {
            throw new IllegalArgumentException("not issued by this CA: "
                    + old.getSubjectX500Principal().getName() + " is issued by "
                    + old.getIssuerX500Principal().getName());
        }
        List<CertificateSigner.Ext> extensions = new ArrayList<>();
        Extensions all;
        try {
            all = new JcaX509CertificateHolder(old).getExtensions();
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("cannot read the certificate to renew", e);
        }
        if (all != null) {
            for (ASN1ObjectIdentifier oid : all.getExtensionOIDs()) {
                // The signer adds both key identifiers itself.
                if (oid.equals(Extension.subjectKeyIdentifier) || oid.equals(Extension.authorityKeyIdentifier)) {
                    continue;
                }
                Extension extension = all.getExtension(oid);
                extensions.add(new CertificateSigner.Ext(oid, extension.isCritical(), extension.getParsedValue()));
            }
        }
        return CertificateSigner.sign(
                CertificateSigner.nameOf(certificate),
                certificate.getPublicKey(),
                key,
                CertificateSigner.nameOf(old),
                old.getPublicKey(),
                validity,
                CertificateSigner.serialNumber(random),
                extensions);
    }

    /** Signs a CRL listing {@code revoked}, valid from {@code thisUpdate} until {@code nextUpdate}. */
    public X509CRL createCrl(
            List<RevokedCertificate> revoked, Instant thisUpdate, Instant nextUpdate, BigInteger crlNumber) {
        if (!nextUpdate.isAfter(thisUpdate)) {
            throw new IllegalArgumentException(
                    "CRL: nextUpdate " + nextUpdate + " must be after thisUpdate " + thisUpdate);
        }
        return CertificateSigner.signCrl(certificate, key, revoked, thisUpdate, nextUpdate, crlNumber);
    }

    private IssuedCertificate issue(
            String commonName,
            KeyType keyType,
            Validity validity,
            KeyPurposeId purpose,
            CertificateSigner.@Nullable Ext alternativeNames) {
        KeyPair pair = keyType.generate(random);
        int usage = keyType == KeyType.RSA
                ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment
                : KeyUsage.digitalSignature;
        List<CertificateSigner.Ext> extensions = new ArrayList<>(List.of(
                new CertificateSigner.Ext(Extension.basicConstraints, true, new BasicConstraints(false)),
                new CertificateSigner.Ext(Extension.keyUsage, true, new KeyUsage(usage)),
                new CertificateSigner.Ext(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))));
        if (alternativeNames != null) {
            extensions.add(alternativeNames);
        }
        X509Certificate issued = CertificateSigner.sign(
                CertificateSigner.nameOf(certificate),
                certificate.getPublicKey(),
                key,
                CertificateSigner.commonName(commonName),
                pair.getPublic(),
                validity,
                CertificateSigner.serialNumber(random),
                extensions);
        return new IssuedCertificate(pair.getPrivate(), issued);
    }

    @Override
    public String toString() {
        return "CertificateAuthority[" + certificate.getSubjectX500Principal().getName() + "]";
    }
}
