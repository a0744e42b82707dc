package dev.drawbridge.broker.console;

import dev.drawbridge.keystores.CaDirectory;
import dev.drawbridge.keystores.CertificateAuthority;
import dev.drawbridge.keystores.CertificateKind;
import dev.drawbridge.keystores.CertificateStatus;
import dev.drawbridge.keystores.ExpiryCheck;
import dev.drawbridge.keystores.ExpiryReport;
import dev.drawbridge.keystores.IssuedCertificate;
import dev.drawbridge.keystores.KeyType;
import dev.drawbridge.keystores.PemFiles;
import dev.drawbridge.keystores.PkiException;
import dev.drawbridge.keystores.Validity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * The console's work on its {@code pki} CA directory, through the keystores API as the {@code pki} commands do it:
 * list every certificate, issue a device certificate whose key is handed out once and not kept, revoke a device
 * certificate (revoked.txt and a new crl.pem, as {@code pki revoke}) and renew a server certificate with its own key.
 * A refused change throws {@link Refused} with what to tell the user, and leaves the directory as it was.
 */
final class DeviceCertificates {

    /** Certificates ending within this many days are shown in colour and warned of on the overview. */
    static final int WARN_DAYS = 30;
    /** As {@code pki client} and {@code pki server} issue by default. */
    static final int DAYS = 825;

    /**
     * One CA operation at a time, across every console of this broker: {@link CaDirectory} is not thread-safe, and
     * two issues of one name must not race.
     */
    private static final Object LOCK = new Object();

    /** A certificate in the directory. */
    record Row(
            String name,
            String commonName,
            CertificateKind kind,
            String serial,
            Instant notAfter,
            long daysLeft,
            boolean revoked) {

        /** revoked, expired, expiring (within {@link #WARN_DAYS}) or ok. */
        String state() {
            if (revoked) {
                return "revoked";
            }
            if (daysLeft < 0) {
                return "expired";
            }
            return daysLeft < WARN_DAYS ? "expiring" : "ok";
        }
    }

    /** Every certificate, the CRL's next update and the files that could not be read. */
    record Listing(List<Row> rows, Optional<Instant> crlNextUpdate, List<String> problems) {

        /** What the overview warns of: certificates not revoked that are expired or end soon, and the CRL. */
        List<String> warnings(Instant now) {
            List<String> warnings = new ArrayList<>();
            for (Row row : rows) {
                if (row.state().equals("expired")) {
                    warnings.add("Certificate " + row.name() + " has expired.");
                } else if (row.state().equals("expiring")) {
                    warnings.add("Certificate " + row.name() + " ends in " + row.daysLeft()
                            + (row.daysLeft() == 1 ? " day." : " days."));
                }
            }
            crlNextUpdate
                    .filter(next -> next.isBefore(now.plus(java.time.Duration.ofDays(WARN_DAYS))))
                    .ifPresent(next -> warnings.add("The CRL (crl.pem) must be renewed by " + Pages.time(next)
                            + ": after that every device is refused (pki crl)."));
            problems.forEach(p -> warnings.add("Cannot read " + p));
            return warnings;
        }
    }

    /** A change refused: the message says why, and nothing was changed. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        /** A wrong CA key passphrase: a guess, counted in the login throttle. */
        private final boolean wrongPassphrase;

        Refused(String message) {
            super(message);
            this.wrongPassphrase = false;
        }

        Refused(String message, Throwable cause) {
            this(message, cause, false);
        }

        private Refused(String message, Throwable cause, boolean wrongPassphrase) {
            super(message, cause);
            this.wrongPassphrase = wrongPassphrase;
        }

        boolean wrongPassphrase() {
            return wrongPassphrase;
        }
    }

    private final CaDirectory ca;
    private final Clock clock;

    DeviceCertificates(CaDirectory ca, Clock clock) {
        this.ca = ca;
        this.clock = clock;
    }

    Path directory() {
        return ca.directory();
    }

    /** Whether {@code ca.key} is encrypted, so that a change needs its passphrase. */
    boolean caKeyEncrypted() {
        try {
            return ca.caKeyEncrypted();
        } catch (PkiException e) {
            return false; // opening it will say what is wrong
        }
    }

    Listing list() {
        ExpiryReport report;
        try {
            report = ExpiryCheck.scan(ca.directory(), clock.instant());
        } catch (PkiException e) {
            return new Listing(List.of(), Optional.empty(), List.of(String.valueOf(e.getMessage())));
        }
        List<Row> rows = new ArrayList<>();
        List<String> problems = new ArrayList<>(report.problems());
        for (CertificateStatus status : report.certificates()) {
            String file = status.file().getFileName().toString();
            CertificateKind kind;
            try {
                kind = CertificateKind.of(PemFiles.readCertificate(status.file()));
            } catch (PkiException e) {
                problems.add(String.valueOf(e.getMessage()));
                continue;
            }
            rows.add(new Row(
                    file.substring(0, file.lastIndexOf('.')),
                    commonName(status.subject()),
                    kind,
                    status.serialHex(),
                    status.notAfter(),
                    status.daysLeft(),
                    status.revoked()));
        }
        rows.sort((a, b) ->
                a.kind() != b.kind() ? a.kind().compareTo(b.kind()) : a.name().compareTo(b.name()));
        return new Listing(rows, report.crlNextUpdate(), problems);
    }

    /**
     * Issues a device (TLS client) certificate {@code CN=name}: the key pair is made in memory, the bundle built from
     * it, and only then {@code NAME.crt} written (so that listing and revoking see it). The key itself is never
     * written anywhere: it leaves only in the returned bundle.
     */
    byte[] issue(String name, KeyType keyType, char[] passphrase, DeviceBundle.Server server) throws Refused {
        requireDeviceName(name);
        synchronized (LOCK) {
            try {
                if (Files.exists(ca.certificateFile(name))) {
                    throw new Refused("A certificate named '" + name
                            + "' exists already; choose another name (or revoke it and use another).");
                }
                ca.requireNewName(name);
            } catch (PkiException e) {
                throw new Refused("Cannot use the name '" + name + "': " + e.getMessage(), e);
            }
            CertificateAuthority authority = open(passphrase);
            IssuedCertificate issued = authority.issueClient(name, keyType, Validity.days(DAYS, clock));
            byte[] bundle = DeviceBundle.zip(name, issued, authority.certificate(), server, clock.instant());
            try {
                ca.recordCertificate(name, issued.certificate());
            } catch (PkiException e) {
                throw new Refused("Could not record the certificate; nothing was issued: " + e.getMessage(), e);
            }
            return bundle;
        }
    }

    /** Revokes a device certificate: revoked.txt and a new crl.pem, as {@code pki revoke} writes them. */
    void revoke(String name, char[] passphrase) throws Refused {
        synchronized (LOCK) {
            requireKind(name, CertificateKind.CLIENT, "revoke", "device");
            CertificateAuthority authority = open(passphrase);
            try {
                ca.revoke(authority, name, CaDirectory.DEFAULT_CRL_DAYS);
            } catch (PkiException e) {
                throw new Refused("Could not revoke '" + name + "': " + e.getMessage(), e);
            }
        }
    }

    /** Renews a server certificate with its own key: same names, new serial, {@link #DAYS} days from now. */
    X509Certificate renewServer(String name, char[] passphrase) throws Refused {
        synchronized (LOCK) {
            requireKind(name, CertificateKind.SERVER, "renew", "server");
            CertificateAuthority authority = open(passphrase);
            try {
                return ca.renew(authority, name, DAYS);
            } catch (PkiException e) {
                throw new Refused("Could not renew '" + name + "': " + e.getMessage(), e);
            }
        }
    }

    /** The checks {@code pki client} makes of a name, with the message said plainly. */
    static void requireDeviceName(String name) throws Refused {
        if (name.isEmpty()) {
            throw new Refused("Device name: required (letters, digits, '.', '-' or '_', like garage).");
        }
        if (name.length() > 63) {
            throw new Refused("Device name: at most 63 characters, found " + name.length() + ".");
        }
        try {
            CaDirectory.at(Path.of(".")).certificateFile(name);
        } catch (IllegalArgumentException e) {
            throw new Refused("Device " + e.getMessage() + ".", e);
        }
    }

    private void requireKind(String name, CertificateKind kind, String verb, String what) throws Refused {
        Path file;
        try {
            file = ca.certificateFile(name);
        } catch (IllegalArgumentException e) {
            throw new Refused("No certificate " + e.getMessage() + ".", e);
        }
        if (!Files.exists(file)) {
            throw new Refused("No certificate named '" + name + "' in the CA directory.");
        }
        try {
            X509Certificate certificate = PemFiles.readCertificate(file);
            if (CertificateKind.of(certificate) != kind) {
                throw new Refused(
                        "'" + name + "' is no " + what + " certificate; the console does not " + verb + " it.");
            }
        } catch (PkiException e) {
            throw new Refused("Cannot read '" + name + "': " + e.getMessage(), e);
        }
    }

    /** The CA, with the passphrase when its key is encrypted; the passphrase is wiped either way. */
    private CertificateAuthority open(char[] passphrase) throws Refused {
        try {
            boolean encrypted = ca.caKeyEncrypted();
            if (encrypted && passphrase.length == 0) {
                throw new Refused("The CA key is encrypted: give its passphrase; nothing was changed.");
            }
            return ca.open(encrypted ? passphrase : null);
        } catch (PkiException e) {
            String message = String.valueOf(e.getMessage());
            if (message.contains("wrong passphrase")) {
                throw new Refused("Wrong passphrase for the CA key; nothing was changed.", e, true);
            }
            throw new Refused("Cannot open the CA: " + message, e);
        } finally {
            Arrays.fill(passphrase, '\0');
        }
    }

    /** The CN of an RFC 2253 subject, or the whole subject when it has none. */
    static String commonName(String subject) {
        try {
            for (Rdn rdn : new LdapName(subject).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return String.valueOf(rdn.getValue());
                }
            }
        } catch (InvalidNameException e) {
            return subject;
        }
        return subject;
    }
}
