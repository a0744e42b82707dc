package dev.drawbridge.keystores;

import java.io.IOException;
import java.io.StringWriter;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;
import org.jspecify.annotations.Nullable;

/** Encodes certificates, CRLs and private keys as PEM text or DER bytes, in the forms OpenSSL writes. */
public final class PemEncoding {

    /** PBKDF2 iterations for encrypted keys: costly to guess, still well under a second to open. */
    static final int PBKDF2_ITERATIONS = 100_000;

    private PemEncoding() {}

    /** {@code BEGIN CERTIFICATE} blocks, in order. */
    public static String certificates(List<X509Certificate> certificates) {
        return pem(certificates.toArray());
    }

    /** A {@code BEGIN X509 CRL} block. */
    public static String crl(X509CRL crl) {
        return pem(crl);
    }

    /**
     * The key as PKCS#8: {@code BEGIN PRIVATE KEY}, or with a passphrase {@code BEGIN ENCRYPTED PRIVATE KEY}
     * (PBES2, PBKDF2 with HMAC-SHA256, AES-256-CBC), which {@code openssl pkey -passin} reads.
     */
    public static String privateKey(PrivateKey key, char @Nullable [] passphrase) {
        try {
            OutputEncryptor encryptor = null;
            if (passphrase != null) {
                encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                        .setPRF(PKCS8Generator.PRF_HMACSHA256)
                        .setIterationCount(PBKDF2_ITERATIONS)
                        .setRandom(new SecureRandom())
                        .setProvider(BouncyCastle.PROVIDER)
                        .setPassword(passphrase)
                        .build();
            }
            return pem(new JcaPKCS8Generator(key, encryptor).generate());
        } catch (OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot encode a " + key.getAlgorithm() + " private key", e);
        }
    }

    /** The certificate's DER bytes. */
    public static byte[] der(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("cannot encode certificate", e);
        }
    }

    /**
     * The key in the traditional DER form {@code openssl rsa -traditional -outform DER} writes, which every ESP8266
     * TLS library (axTLS and BearSSL) loads: PKCS#1 for RSA, SEC1 with the named curve for EC.
     */
    public static byte[] traditionalDer(PrivateKey key) {
        try {
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
            ASN1Encodable inner = info.parsePrivateKey();
            if (info.getPrivateKeyAlgorithm().getAlgorithm().equals(X9ObjectIdentifiers.id_ecPublicKey)) {
                ECPrivateKey ec = ECPrivateKey.getInstance(inner);
                if (ec.getParametersObject() == null) {
                    ASN1Encodable curve = info.getPrivateKeyAlgorithm().getParameters();
                    int orderBits = ((java.security.interfaces.ECPrivateKey) key)
                            .getParams()
                            .getOrder()
                            .bitLength();
                    inner = new ECPrivateKey(orderBits, ec.getKey(), ec.getPublicKey(), curve);
                }
            }
            return inner.toASN1Primitive().getEncoded();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot encode a " + key.getAlgorithm() + " private key", e);
        }
    }

    private static String pem(Object... objects) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (Object object : objects) {
                writer.writeObject(object);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot write PEM", e);
        }
        return text.toString();
    }
}
