package dev.drawbridge.keystores.cli;

import dev.drawbridge.keystores.CaDirectory;
import dev.drawbridge.keystores.FingerprintAlgorithm;
import dev.drawbridge.keystores.FingerprintFormat;
import dev.drawbridge.keystores.Fingerprints;
import dev.drawbridge.keystores.IssuedCertificate;
import java.io.PrintWriter;

/** The summary {@code server} and {@code client} print. */
final class Issued {

    private Issued() {}

    static void print(PrintWriter out, String kind, CaDirectory directory, String name, IssuedCertificate issued) {
        out.printf(
                "Issued %s certificate '%s', valid until %s%n  %s%n  %s%nSHA-256 fingerprint: %s%n",
                kind,
                issued.certificate().getSubjectX500Principal().getName(),
                issued.certificate().getNotAfter().toInstant(),
                directory.certificateFile(name),
                directory.keyFile(name),
                Fingerprints.of(issued.certificate(), FingerprintAlgorithm.SHA256, FingerprintFormat.COLON));
    }
}
