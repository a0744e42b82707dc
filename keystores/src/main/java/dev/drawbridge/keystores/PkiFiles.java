package dev.drawbridge.keystores;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Writes certificates, keys, CRLs and PKCS#12 bundles. Files holding a private key are created owner-only (0600)
 * from the start, never created readable and narrowed afterwards; public files are 0644 (less by umask). With
 * {@link WriteMode#CREATE_NEW} an existing file is an error naming the file; with {@link WriteMode#REPLACE} it is
 * replaced atomically.
 */
public final class PkiFiles {

    /** Owner read and write only. */
    public static final Set<PosixFilePermission> SECRET = PosixFilePermissions.fromString("rw-------");
    /** Owner read and write, everyone else read. */
    public static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");

    private PkiFiles() {}

    /** Certificates as PEM, in order (leaf first for a chain). */
    public static void writeCertificates(Path file, List<X509Certificate> certificates, WriteMode mode)
            throws PkiException {
        write(file, ascii(PemEncoding.certificates(certificates)), PUBLIC, mode);
    }

    /** One certificate as DER ({@code openssl x509 -outform DER}). */
    public static void writeCertificateDer(Path file, X509Certificate certificate, WriteMode mode) throws PkiException {
        write(file, PemEncoding.der(certificate), PUBLIC, mode);
    }

    /** A CRL as PEM. */
    public static void writeCrl(Path file, X509CRL crl, WriteMode mode) throws PkiException {
        write(file, ascii(PemEncoding.crl(crl)), PUBLIC, mode);
    }

    /** A private key as PKCS#8 PEM, encrypted (AES-256) when {@code passphrase} is not null; mode 0600. */
    public static void writePrivateKey(Path file, PrivateKey key, char @Nullable [] passphrase, WriteMode mode)
            throws PkiException {
        write(file, ascii(PemEncoding.privateKey(key, passphrase)), SECRET, mode);
    }

    /** A private key as traditional DER (PKCS#1 for RSA, SEC1 for EC); mode 0600. */
    public static void writePrivateKeyDer(Path file, PrivateKey key, WriteMode mode) throws PkiException {
        write(file, PemEncoding.traditionalDer(key), SECRET, mode);
    }

    /**
     * A PKCS#12 bundle of the key and chain under {@code alias}, protected by {@code password} (the JDK's defaults:
     * PBKDF2 with AES-256 and an HMAC-SHA256 MAC), which {@code openssl pkcs12} and {@code KeyStore} read; mode 0600.
     */
    public static void writePkcs12(Path file, String alias, KeyMaterial material, char[] password, WriteMode mode)
            throws PkiException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(alias, material.key(), password, material.chainArray());
            store.store(bytes, password);
        } catch (GeneralSecurityException | IOException e) {
            throw PkiException.forFile(file, "cannot build PKCS#12 (" + e.getMessage() + ")", e);
        }
        write(file, bytes.toByteArray(), SECRET, mode);
    }

    /** Writes {@code content} to {@code file} with {@code permissions} applied at creation (on POSIX systems). */
    public static void write(Path file, byte[] content, Set<PosixFilePermission> permissions, WriteMode mode)
            throws PkiException {
        FileAttribute<?>[] attributes = attributes(file, permissions);
        if (mode == WriteMode.CREATE_NEW) {
            try {
                Files.createFile(file, attributes);
            } catch (FileAlreadyExistsException e) {
                throw PkiException.forFile(file, "already exists, refusing to overwrite it", e);
            } catch (NoSuchFileException e) {
                throw PkiException.forFile(file, "cannot create (no such directory)", e);
            } catch (IOException e) {
                throw PkiException.forFile(file, "cannot create (" + e + ")", e);
            }
            try {
                writeAndSync(file, content);
            } catch (IOException e) {
                deleteQuietly(file);
                throw PkiException.forFile(file, "cannot write (" + e + ")", e);
            }
            return;
        }
        Path directory = file.toAbsolutePath().getParent();
        Path temporary = null;
        try {
            temporary = Files.createTempFile(directory, "." + file.getFileName() + ".", ".tmp", attributes);
            writeAndSync(temporary, content);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            if (temporary != null) {
                deleteQuietly(temporary);
            }
            throw PkiException.forFile(file, "cannot write (" + e + ")", e);
        }
    }

    private static FileAttribute<?>[] attributes(Path file, Set<PosixFilePermission> permissions) {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)};
        }
        return new FileAttribute<?>[0];
    }

    private static void writeAndSync(Path file, byte[] content) throws IOException {
        try (FileChannel channel =
                FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the original error is the one worth reporting
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
