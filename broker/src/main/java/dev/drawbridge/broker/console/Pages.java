package dev.drawbridge.broker.console;

import dev.drawbridge.broker.console.BrokerView.ClientRow;
import dev.drawbridge.broker.console.BrokerView.Figures;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

/**
 * The console's pages, rendered on the server: every value escaped, no inline script or style (the policy forbids
 * them), the CSRF token in every form. The script in {@code console.js} only refreshes what is shown here.
 */
final class Pages {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private Pages() {}

    static String login(String csrf, Optional<String> problem) {
        return login(csrf, problem, Optional.empty());
    }

    /** The login page; with {@code certificateUser}, a one-click login as the console user the certificate names. */
    static String login(String csrf, Optional<String> problem, Optional<String> certificateUser) {
        StringBuilder b = head("Log in", "login", csrf);
        b.append("<main class=\"login\"><h1>Drawbridge</h1>");
        problem.ifPresent(p ->
                b.append("<p class=\"problem\" id=\"problem\">").append(esc(p)).append("</p>"));
        certificateUser.ifPresent(user -> b.append("<form method=\"post\" action=\"/login\">")
                .append(csrfField(csrf))
                .append("<input type=\"hidden\" name=\"certificate\" value=\"yes\">")
                .append("<button type=\"submit\" id=\"certificate-login\">Log in as ")
                .append(esc(user))
                .append(" (certificate)</button></form>"));
        b.append("<form method=\"post\" action=\"/login\">")
                .append(csrfField(csrf))
                .append("<label>User <input name=\"username\" id=\"username\" autocomplete=\"username\" required"
                        + " autofocus></label>")
                .append("<label>Password <input name=\"password\" id=\"password\" type=\"password\""
                        + " autocomplete=\"current-password\" required></label>")
                .append("<button type=\"submit\" id=\"login\">Log in</button></form></main></body></html>");
        return b.toString();
    }

    static String overview(String csrf, String user, String version, Figures f) {
        return overview(csrf, user, version, f, List.of());
    }

    /** The overview with the devices page's certificate warnings (expired, ending within 30 days) above the cards. */
    static String overview(String csrf, String user, String version, Figures f, List<String> certificateWarnings) {
        StringBuilder b = page("Overview", "overview", csrf, user);
        b.append("<h1>Overview</h1><p class=\"sub\">Drawbridge ")
                .append(esc(version))
                .append("</p>");
        if (!certificateWarnings.isEmpty()) {
            b.append("<ul class=\"warnings\" id=\"certificate-warnings\">");
            certificateWarnings.forEach(w -> b.append("<li>").append(esc(w)).append("</li>"));
            b.append("</ul>");
        }
        b.append("<div class=\"cards\">");
        card(b, "Uptime", "uptime", uptime(f.uptime()));
        card(b, "Clients connected", "clients", Long.toString(f.clientsConnected()));
        card(b, "Sessions", "sessions", Long.toString(f.sessions()));
        card(b, "Subscriptions", "subscriptions", Long.toString(f.subscriptions()));
        card(b, "Retained messages", "retained", Long.toString(f.retained()));
        card(
                b,
                "Store on disk",
                "store",
                f.storeBytes().isPresent() ? bytes(f.storeBytes().getAsLong()) : "not persisted");
        b.append("</div><div class=\"charts\">")
                .append("<figure><figcaption>Messages in per second <span id=\"rate-in\">-</span></figcaption>")
                .append("<svg id=\"chart-in\" class=\"chart\" viewBox=\"0 0 300 80\" role=\"img\""
                        + " aria-label=\"messages in per second\"></svg></figure>")
                .append("<figure><figcaption>Messages out per second <span id=\"rate-out\">-</span></figcaption>")
                .append("<svg id=\"chart-out\" class=\"chart\" viewBox=\"0 0 300 80\" role=\"img\""
                        + " aria-label=\"messages out per second\"></svg></figure>")
                .append("</div>");
        return end(b);
    }

    static String clients(String csrf, String user, String query, List<ClientRow> rows) {
        StringBuilder b = page("Clients", "clients", csrf, user);
        b.append("<h1>Clients</h1><form method=\"get\" action=\"/clients\" class=\"search\">")
                .append("<input name=\"q\" id=\"q\" placeholder=\"client id, user or address\" value=\"")
                .append(esc(query))
                .append("\"><button type=\"submit\">Search</button></form>")
                .append("<table id=\"clients\"><thead><tr><th>Client id</th><th>User / certificate</th>"
                        + "<th>Address</th><th>Listener</th><th>MQTT</th><th>Connected since</th>"
                        + "<th>Subscriptions</th><th>Queued</th><th></th></tr></thead><tbody>");
        for (ClientRow row : rows) {
            b.append("<tr><td class=\"id\">")
                    .append(esc(row.clientId()))
                    .append("</td><td>")
                    .append(esc(row.name()))
                    .append("</td><td>")
                    .append(esc(row.address()))
                    .append("</td><td>")
                    .append(esc(row.listener()))
                    .append("</td><td>")
                    .append(row.protocol())
                    .append("</td><td>")
                    .append(row.connectedSince().map(TIME::format).orElse(""))
                    .append("</td><td>")
                    .append(row.subscriptions())
                    .append("</td><td>")
                    .append(row.queued())
                    .append("</td><td>")
                    .append(disconnectForm(csrf, row.clientId()))
                    .append("</td></tr>");
        }
        b.append("</tbody></table><p class=\"sub\" id=\"count\">")
                .append(rows.size())
                .append(rows.size() == 1 ? " client" : " clients")
                .append("</p>");
        return end(b);
    }

    static String log(String csrf, String user, String query, List<LogRing.Line> lines) {
        StringBuilder b = page("Log", "log", csrf, user);
        b.append("<h1>Log</h1><form method=\"get\" action=\"/log\" class=\"search\">")
                .append("<input name=\"q\" id=\"q\" placeholder=\"text, logger or level (WARN)\" value=\"")
                .append(esc(query))
                .append("\"><button type=\"submit\">Filter</button></form><ol id=\"log\" class=\"log\">");
        for (LogRing.Line line : lines) {
            b.append("<li class=\"")
                    .append(esc(line.level().toLowerCase(java.util.Locale.ROOT)))
                    .append("\"><time>")
                    .append(TIME.format(line.time()))
                    .append("</time> <b>")
                    .append(esc(line.level()))
                    .append("</b> <i>")
                    .append(esc(line.logger()))
                    .append("</i> ")
                    .append(esc(line.message()))
                    .append("</li>");
        }
        b.append("</ol>");
        return end(b);
    }

    static String disconnectForm(String csrf, String clientId) {
        return "<form method=\"post\" action=\"/clients/disconnect\">" + csrfField(csrf)
                + "<input type=\"hidden\" name=\"client_id\" value=\"" + esc(clientId)
                + "\"><button type=\"submit\" class=\"danger\">Disconnect</button></form>";
    }

    private static StringBuilder head(String title, String page, String csrf) {
        return head(title, page, csrf, "");
    }

    /** @param script a page's own script under {@code /static/}, or empty */
    private static StringBuilder head(String title, String page, String csrf, String script) {
        return new StringBuilder(4096)
                .append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>Drawbridge · ")
                .append(esc(title))
                .append("</title><link rel=\"stylesheet\" href=\"/static/console.css\">")
                .append("<script src=\"/static/console.js\" defer></script>")
                .append(script.isEmpty() ? "" : "<script src=\"/static/" + script + "\" defer></script>")
                .append("</head><body data-page=\"")
                .append(page)
                .append("\" data-csrf=\"")
                .append(esc(csrf))
                .append("\">");
    }

    static StringBuilder page(String title, String page, String csrf, String user) {
        return page(title, page, csrf, user, "");
    }

    /** A page with the header and navigation, and its own script when {@code script} is not empty. */
    static StringBuilder page(String title, String page, String csrf, String user, String script) {
        StringBuilder b = head(title, page, csrf, script);
        b.append("<header><span class=\"brand\">Drawbridge</span><nav>");
        link(b, "/", "Overview", page.equals("overview"));
        link(b, "/clients", "Clients", page.equals("clients"));
        link(b, "/topics", "Topics", page.equals("topics"));
        link(b, "/log", "Log", page.equals("log"));
        link(b, "/devices", "Devices", page.equals("devices"));
        b.append("</nav><form method=\"post\" action=\"/logout\" class=\"logout\">")
                .append(csrfField(csrf))
                .append("<span>")
                .append(esc(user))
                .append("</span> <button type=\"submit\" id=\"logout\">Log out</button></form></header><main>");
        return b;
    }

    private static void link(StringBuilder b, String href, String text, boolean current) {
        b.append("<a href=\"").append(href).append('"');
        if (current) {
            b.append(" aria-current=\"page\"");
        }
        b.append('>').append(text).append("</a>");
    }

    static String end(StringBuilder b) {
        return b.append("</main></body></html>").toString();
    }

    private static void card(StringBuilder b, String label, String id, String value) {
        b.append("<div class=\"card\"><div class=\"label\">")
                .append(esc(label))
                .append("</div><div class=\"value\" id=\"")
                .append(id)
                .append("\">")
                .append(esc(value))
                .append("</div></div>");
    }

    static String csrfField(String csrf) {
        return "<input type=\"hidden\" name=\"csrf\" value=\"" + esc(csrf) + "\">";
    }

    static String uptime(Duration d) {
        long s = d.toSeconds();
        if (s < 3600) {
            return (s / 60) + " min " + (s % 60) + " s";
        }
        if (s < 86_400) {
            return (s / 3600) + " h " + (s % 3600 / 60) + " min";
        }
        return (s / 86_400) + " d " + (s % 86_400 / 3600) + " h";
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1024 * 1024) {
            return (n / 1024) + " KB";
        }
        return (n / (1024 * 1024)) + " MB";
    }

    static String time(Instant t) {
        return TIME.format(t);
    }

    /** HTML text and attribute escaping. */
    static String esc(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
