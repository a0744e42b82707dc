package dev.drawbridge.keystores;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The revocation bookkeeping of a {@link CaDirectory}: {@code revoked.txt} holds one line per revoked certificate,
 * {@code SERIAL-HEX REVOKED-AT NAME} (ISO-8601 instant), and {@code crlnumber} the number of the last CRL issued.
 */
final class RevocationIndex {

    private final Path revokedFile;
    private final Path crlNumberFile;

    RevocationIndex(Path directory) {
        this.revokedFile = directory.resolve(CaDirectory.REVOKED);
        this.crlNumberFile = directory.resolve(CaDirectory.CRL_NUMBER);
    }

    List<RevokedCertificate> entries() throws PkiException {
        List<RevokedCertificate> entries = new ArrayList<>();
        if (!Files.exists(revokedFile)) {
            return entries;
        }
        List<String> lines = readLines(revokedFile);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\\s+", 3);
            try {
                entries.add(new RevokedCertificate(new BigInteger(fields[0], 16), Instant.parse(fields[1])));
            } catch (ArrayIndexOutOfBoundsException | NumberFormatException | DateTimeParseException e) {
                throw PkiException.forFile(
                        revokedFile, (i + 1) + ": expected 'SERIAL-HEX REVOKED-AT NAME', found '" + line + "'", e);
            }
        }
        return entries;
    }

    /** Adds an entry, rewriting the file atomically. */
    void add(RevokedCertificate entry, String name) throws PkiException {
        List<String> lines = Files.exists(revokedFile) ? readLines(revokedFile) : List.of();
        StringBuilder text = new StringBuilder();
        lines.forEach(line -> text.append(line).append('\n'));
        text.append(CertificateStatus.serialHex(entry.serialNumber()))
                .append(' ')
                .append(entry.revokedAt())
                .append(' ')
                .append(name)
                .append('\n');
        PkiFiles.write(
                revokedFile, text.toString().getBytes(StandardCharsets.UTF_8), PkiFiles.PUBLIC, WriteMode.REPLACE);
    }

    /** The next CRL number, recorded as used. */
    BigInteger nextCrlNumber() throws PkiException {
        BigInteger next = BigInteger.ONE;
        if (Files.exists(crlNumberFile)) {
            String text = String.join("", readLines(crlNumberFile)).strip();
            try {
                next = new BigInteger(text).add(BigInteger.ONE);
            } catch (NumberFormatException e) {
                throw PkiException.forFile(crlNumberFile, "expected a decimal number, found '" + text + "'", e);
            }
        }
        PkiFiles.write(
                crlNumberFile, (next + "\n").getBytes(StandardCharsets.US_ASCII), PkiFiles.PUBLIC, WriteMode.REPLACE);
        return next;
    }

    private static List<String> readLines(Path file) throws PkiException {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw PkiException.forFile(file, "cannot read (" + e + ")", e);
        }
    }
}
