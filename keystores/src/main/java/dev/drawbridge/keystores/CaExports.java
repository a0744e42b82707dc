package dev.drawbridge.keystores;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;

/**
 * Copies of a {@link CaDirectory}'s certificates in the forms devices load: DER for an ESP8266's flash, PKCS#12 for
 * Java and browsers. Written next to the originals.
 */
public final class CaExports {

    private final CaDirectory directory;

    public CaExports(CaDirectory directory) {
        this.directory = directory;
    }

    /**
     * Writes {@code NAME.der} (certificate), {@code NAME.key.der} (traditional DER key, 0600) and {@code ca.der}. An
     * existing {@code ca.der} with the same content is left alone.
     *
     * @return the files written
     */
    public List<Path> der(String name, WriteMode mode) throws PkiException {
        KeyMaterial material = directory.keyMaterial(name);
        Path certificate = directory.file(CaDirectory.requireName(name) + ".der");
        Path key = directory.file(name + ".key.der");
        Path ca = directory.file("ca.der");
        X509Certificate caCertificate = material.chain().get(1);
        if (mode == WriteMode.CREATE_NEW) {
            for (Path file : List.of(certificate, key)) {
                if (Files.exists(file)) {
                    throw PkiException.forFile(file, "already exists, refusing to overwrite it");
                }
            }
        }
        PkiFiles.writeCertificateDer(certificate, material.certificate(), mode);
        PkiFiles.writePrivateKeyDer(key, material.key(), mode);
        if (Files.exists(ca) && Arrays.equals(PemFiles.readBytes(ca), PemEncoding.der(caCertificate))) {
            return List.of(certificate, key);
        }
        PkiFiles.writeCertificateDer(ca, caCertificate, mode);
        return List.of(certificate, key, ca);
    }

    /** Writes {@code NAME.p12}: key and chain (certificate, CA) under alias NAME, protected by {@code password}. */
    public Path pkcs12(String name, char[] password, WriteMode mode) throws PkiException {
        KeyMaterial material = directory.keyMaterial(name);
        Path file = directory.file(CaDirectory.requireName(name) + ".p12");
        PkiFiles.writePkcs12(file, name, material, password, mode);
        return file;
    }
}
