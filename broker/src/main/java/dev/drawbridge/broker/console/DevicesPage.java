package dev.drawbridge.broker.console;

import static dev.drawbridge.broker.console.Pages.csrfField;
import static dev.drawbridge.broker.console.Pages.esc;

import dev.drawbridge.broker.console.DeviceCertificates.Listing;
import dev.drawbridge.broker.console.DeviceCertificates.Row;
import dev.drawbridge.keystores.CertificateKind;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The devices and certificates page, rendered on the server like the others: the CA directory's certificates with
 * their expiry in colour, the issue form, and a confirmation page before a revoke or a renewal. No script.
 */
final class DevicesPage {

    /** A message above the table: what was just done, or why it was not. */
    record Notice(boolean problem, String text) {}

    /** What the page says about revocation: which listeners check the CA's CRL. */
    record CrlUse(Path crl, List<String> checking, List<String> notChecking) {}

    private DevicesPage() {}

    static String withoutCa(String csrf, String user) {
        StringBuilder b = Pages.page("Devices", "devices", csrf, user);
        b.append("<h1>Devices and certificates</h1><p class=\"sub\" id=\"no-ca\">No CA directory is configured for"
                + " this console. Add <code>console_ca_dir DIR</code> (a <code>pki</code> CA directory, such as the"
                + " <code>ca</code> folder <code>pki quickstart</code> writes) to its <code>protocol http_api</code>"
                + " listener and restart the broker.</p>");
        return Pages.end(b);
    }

    static String page(
            String csrf,
            String user,
            Path directory,
            Listing listing,
            CrlUse crl,
            boolean https,
            boolean encrypted,
            Optional<Notice> notice) {
        StringBuilder b = Pages.page("Devices", "devices", csrf, user);
        b.append("<h1>Devices and certificates</h1><p class=\"sub\">CA directory ")
                .append(esc(directory.toString()))
                .append("</p>");
        notice.ifPresent(n -> b.append("<p id=\"notice\" class=\"")
                .append(n.problem() ? "problem" : "done")
                .append("\">")
                .append(esc(n.text()))
                .append("</p>"));
        if (crl.checking().isEmpty()) {
            b.append("<p class=\"problem\" id=\"crl-missing\">Revoking writes a new ")
                    .append(esc(crl.crl().toString()))
                    .append(", but no MQTT listener checks it, so a revoked device still connects: add <code>crlfile ")
                    .append(esc(crl.crl().toString()))
                    .append("</code> to the TLS listener in mosquitto.conf and send the broker SIGHUP (or restart it);"
                            + " after that, revoking here takes effect at once.</p>");
        } else {
            b.append("<p class=\"sub\" id=\"crl-checked\">Revocation takes effect on ")
                    .append(esc(String.join(", ", crl.checking())))
                    .append(" (crlfile).");
            if (!crl.notChecking().isEmpty()) {
                b.append(" Not on ")
                        .append(esc(String.join(", ", crl.notChecking())))
                        .append(", which has no crlfile.");
            }
            b.append("</p>");
        }
        table(b, csrf, listing);
        issueForm(b, csrf, https, encrypted);
        return Pages.end(b);
    }

    private static void table(StringBuilder b, String csrf, Listing listing) {
        b.append("<table id=\"certificates\"><thead><tr><th>Name</th><th>Kind</th><th>CN</th><th>Serial</th>"
                + "<th>Ends</th><th>Days left</th><th>State</th><th></th></tr></thead><tbody>");
        for (Row row : listing.rows()) {
            b.append("<tr class=\"state-")
                    .append(row.state())
                    .append("\" data-name=\"")
                    .append(esc(row.name()))
                    .append("\"><td class=\"id\">")
                    .append(esc(row.name()))
                    .append("</td><td>")
                    .append(kind(row.kind()))
                    .append("</td><td>")
                    .append(esc(row.commonName()))
                    .append("</td><td class=\"id serial\">")
                    .append(esc(row.serial()))
                    .append("</td><td>")
                    .append(LocalDate.ofInstant(row.notAfter(), ZoneOffset.UTC))
                    .append("</td><td>")
                    .append(row.daysLeft())
                    .append("</td><td class=\"state\">")
                    .append(row.state())
                    .append("</td><td>");
            if (row.kind() == CertificateKind.CLIENT && !row.revoked()) {
                action(b, csrf, "/devices/revoke", row.name(), "Revoke", "revoke-" + row.name(), true);
            } else if (row.kind() == CertificateKind.SERVER && !row.revoked()) {
                action(b, csrf, "/devices/renew", row.name(), "Renew", "renew-" + row.name(), false);
            }
            b.append("</td></tr>");
        }
        b.append("</tbody></table>");
        listing.problems()
                .forEach(p -> b.append("<p class=\"problem\">Cannot read ")
                        .append(esc(p))
                        .append("</p>"));
    }

    private static void issueForm(StringBuilder b, String csrf, boolean https, boolean encrypted) {
        b.append("<h2>Issue a device certificate</h2>");
        if (!https) {
            b.append("<p class=\"problem\" id=\"issue-needs-https\">Issuing sends the device's private key to this"
                    + " browser, so it works only over HTTPS: give this http_api listener a certfile and keyfile.</p>");
            return;
        }
        b.append("<p class=\"sub\">The key is made on the broker and sent once, in the zip this form downloads"
                        + " (certificate and key as PEM and DER, the CA, the broker's SHA-1 fingerprint for an ESP8266,"
                        + " a device.yml for drawbridge-device). The broker keeps only the certificate.</p>")
                .append("<form method=\"post\" action=\"/devices/issue\" class=\"issue\" id=\"issue\">")
                .append(csrfField(csrf))
                .append("<label>Device name <input name=\"name\" id=\"device-name\" required maxlength=\"63\""
                        + " placeholder=\"garage\" autocomplete=\"off\"></label>")
                .append("<label>Key <select name=\"key_type\" id=\"key-type\"><option value=\"rsa\" selected>RSA"
                        + " 2048 (ESP8266)</option><option value=\"ec\">EC P-256</option></select></label>");
        passphrase(b, encrypted);
        b.append("<button type=\"submit\" id=\"issue-button\">Issue and download</button></form>");
    }

    /** The page that asks before a revoke or a renewal, with the CA key's passphrase when it has one. */
    static String confirm(String csrf, String user, String action, String name, boolean encrypted) {
        boolean revoke = action.equals("/devices/revoke");
        StringBuilder b = Pages.page("Devices", "devices", csrf, user);
        b.append("<h1>")
                .append(revoke ? "Revoke " : "Renew ")
                .append(esc(name))
                .append("?</h1><p class=\"sub\">")
                .append(
                        revoke
                                ? "Its certificate is added to the CRL and the TLS listeners are reloaded: its next"
                                        + " connection is refused. This cannot be undone."
                                : "A new certificate for the same names and key, valid for "
                                        + DeviceCertificates.DAYS + " days, replaces it and the TLS listeners are"
                                        + " reloaded. Devices that pin its fingerprint need the new one.")
                .append("</p><form method=\"post\" action=\"")
                .append(action)
                .append("\" class=\"issue\">")
                .append(csrfField(csrf))
                .append("<input type=\"hidden\" name=\"name\" value=\"")
                .append(esc(name))
                .append("\"><input type=\"hidden\" name=\"confirm\" value=\"yes\">");
        passphrase(b, encrypted);
        b.append("<button type=\"submit\" class=\"danger\" id=\"confirm\">")
                .append(revoke ? "Revoke " : "Renew ")
                .append(esc(name))
                .append("</button> <a href=\"/devices\" id=\"cancel\">Cancel</a></form>");
        return Pages.end(b);
    }

    private static void passphrase(StringBuilder b, boolean encrypted) {
        if (encrypted) {
            b.append("<label>CA key passphrase <input type=\"password\" name=\"passphrase\" id=\"passphrase\""
                    + " autocomplete=\"off\" required></label>");
        }
    }

    private static void action(
            StringBuilder b, String csrf, String path, String name, String label, String id, boolean danger) {
        b.append("<form method=\"post\" action=\"")
                .append(path)
                .append("\">")
                .append(csrfField(csrf))
                .append("<input type=\"hidden\" name=\"name\" value=\"")
                .append(esc(name))
                .append("\"><button type=\"submit\" id=\"")
                .append(esc(id))
                .append('"')
                .append(danger ? " class=\"danger\"" : "")
                .append('>')
                .append(label)
                .append("</button></form>");
    }

    private static String kind(CertificateKind kind) {
        return switch (kind) {
            case CA -> "CA";
            case SERVER -> "server";
            case CLIENT -> "device";
            case OTHER -> kind.name().toLowerCase(Locale.ROOT);
        };
    }
}
