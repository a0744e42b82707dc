package dev.drawbridge.keystores.cli;

import dev.drawbridge.keystores.CertificateStatus;
import dev.drawbridge.keystores.ExpiryCheck;
import dev.drawbridge.keystores.ExpiryReport;
import dev.drawbridge.keystores.PkiException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "list",
        description = {
            "List the certificates in DIR with subject, names, serial, expiry and revocation.",
            "Exit code 1 when a certificate that is not revoked, or the CRL, expires within --warn-days;"
                    + " 3 when a file cannot be read."
        })
@SuppressWarnings("NullAway.Init") // picocli sets the fields
final class ListCommand extends PkiSubcommand {

    private static final String ROW = "%-24s %-24s %-10s %5s  %-8s %-32s %s%n";

    @Parameters(index = "0", paramLabel = "DIR", description = "Directory to look in.")
    Path directory;

    @Option(
            names = "--warn-days",
            paramLabel = "N",
            description = "Warning period in days (default: ${DEFAULT-VALUE}).")
    int warnDays = 30;

    Clock clock = Clock.systemUTC();

    @Override
    int run() throws PkiException {
        if (warnDays < 0) {
            throw new PkiException("--warn-days: expected 0 or more, found " + warnDays);
        }
        ExpiryReport report = ExpiryCheck.scan(directory, clock.instant());
        out().printf(ROW, "FILE", "SUBJECT", "NOT AFTER", "DAYS", "STATUS", "SERIAL", "NAMES");
        for (CertificateStatus status : report.certificates()) {
            out().printf(
                            ROW,
                            status.file().getFileName(),
                            status.subject(),
                            LocalDate.ofInstant(status.notAfter(), ZoneOffset.UTC),
                            status.daysLeft(),
                            state(status),
                            status.serialHex(),
                            String.join(",", status.subjectAlternativeNames()));
        }
        report.crlNextUpdate()
                .ifPresent(next -> out().printf(
                                "CRL next update: %s%s%n",
                                next, report.crlExpiresWithin(warnDays) ? " (renew with: pki crl)" : ""));
        report.problems().forEach(problem -> err().println("pki list: " + problem));
        if (!report.problems().isEmpty()) {
            return PkiCommand.FAILED;
        }
        if (report.anyExpiringWithin(warnDays)) {
            err().printf(
                            "pki list: %d certificate(s)%s expire within %d days%n",
                            report.expiringWithin(warnDays).size(),
                            report.crlExpiresWithin(warnDays) ? " or the CRL" : "",
                            warnDays);
            return PkiCommand.EXPIRING;
        }
        return PkiCommand.OK;
    }

    private String state(CertificateStatus status) {
        if (status.revoked()) {
            return "revoked";
        }
        if (status.expired()) {
            return "EXPIRED";
        }
        return status.expiresWithin(warnDays) ? "expiring" : "ok";
    }
}
