package dev.drawbridge.broker.it.console;

import dev.drawbridge.acl.passwordfile.HashKind;
import dev.drawbridge.acl.passwordfile.PasswordHash;
import dev.drawbridge.broker.Drawbridge;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;

/**
 * A broker with an MQTT listener and a console ({@code protocol http_api}) on 127.0.0.1, both on free ports, with the
 * console user {@code admin} (password {@link #PASSWORD}) and {@code member}, who is in the password file but not a
 * console user; and an HTTP client that keeps the console's cookie as a browser would.
 */
final class ConsoleBroker implements AutoCloseable {

    static final String PASSWORD = "Correct-Horse-4711";
    static final String MEMBER_PASSWORD = "Member-Pass-0815";
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    final Drawbridge broker;
    final Path passwd;

    private ConsoleBroker(Drawbridge broker, Path passwd) {
        this.broker = broker;
        this.passwd = passwd;
    }

    /** The console listener's own lines follow {@code listener 0 127.0.0.1} / {@code protocol http_api}. */
    static ConsoleBroker start(Path dir, String... consoleLines) {
        Path passwd = passwordFile(dir.resolve("passwd"), Map.of("admin", PASSWORD, "member", MEMBER_PASSWORD));
        List<String> conf = new ArrayList<>(List.of(
                "password_file " + passwd,
                "allow_anonymous true",
                "listener 0 127.0.0.1",
                "listener 0 127.0.0.1",
                "protocol http_api"));
        conf.addAll(List.of(consoleLines.length == 0 ? new String[] {"console_users admin"} : consoleLines));
        try {
            Path file = Files.write(dir.resolve("mosquitto.conf"), conf, StandardCharsets.UTF_8);
            return new ConsoleBroker(Drawbridge.start(file), passwd);
        } catch (Exception e) {
            throw new AssertionError("broker did not start: " + e.getMessage(), e);
        }
    }

    /**
     * A broker from the lines {@code conf}, in which {@code {passwd}} stands for the password file of {@code admin}
     * and {@code member}; its first listener is the MQTT one {@link #mqttPort()} names.
     */
    static ConsoleBroker startConf(Path dir, List<String> conf) {
        Path passwd = passwordFile(dir.resolve("passwd"), Map.of("admin", PASSWORD, "member", MEMBER_PASSWORD));
        List<String> lines =
                conf.stream().map(l -> l.replace("{passwd}", passwd.toString())).toList();
        try {
            Path file = Files.write(dir.resolve("mosquitto.conf"), lines, StandardCharsets.UTF_8);
            return new ConsoleBroker(Drawbridge.start(file), passwd);
        } catch (Exception e) {
            throw new AssertionError("broker did not start: " + e.getMessage(), e);
        }
    }

    static Path passwordFile(Path file, Map<String, String> users) {
        SecureRandom random = new SecureRandom();
        StringBuilder text = new StringBuilder();
        users.forEach((user, password) -> text.append(user)
                .append(':')
                .append(PasswordHash.create(
                                HashKind.SHA512_PBKDF2,
                                PasswordHash.DEFAULT_ITERATIONS,
                                password.getBytes(StandardCharsets.UTF_8),
                                random)
                        .encode())
                .append('\n'));
        try {
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int mqttPort() {
        return broker.port();
    }

    int consolePort() {
        return broker.consoles().get(0).getPort();
    }

    String base(String scheme) {
        return scheme + "://127.0.0.1:" + consolePort();
    }

    Browser browser() {
        return new Browser(
                base("http"),
                HttpClient.newBuilder()
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .connectTimeout(Duration.ofSeconds(5))
                        .build());
    }

    Browser browser(SSLContext tls) {
        return new Browser(
                base("https"),
                HttpClient.newBuilder()
                        .sslContext(tls)
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .connectTimeout(Duration.ofSeconds(5))
                        .build());
    }

    @Override
    public void close() {
        broker.close();
    }

    /** An HTTP client holding the console's session cookie, as a browser would. */
    static final class Browser {
        private final String base;
        private final HttpClient http;
        private Optional<String> cookie = Optional.empty();

        Browser(String base, HttpClient http) {
            this.base = base;
            this.http = http;
        }

        HttpResponse<String> get(String path) {
            return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
        }

        HttpResponse<String> post(String path, Map<String, String> form) {
            String body = form.entrySet().stream()
                    .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                            + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                    .collect(Collectors.joining("&"));
            return send(HttpRequest.newBuilder(URI.create(base + path))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body)));
        }

        /** Opens the login page and posts the form with its token; the answer to the POST. */
        HttpResponse<String> login(String user, String password) {
            String token = csrf(get("/login").body());
            return post("/login", form("username", user, "password", password, "csrf", token));
        }

        /** The CSRF token of the forms of the page at {@code path}. */
        String csrfOf(String path) {
            return csrf(get(path).body());
        }

        Optional<String> cookie() {
            return cookie;
        }

        void cookie(String value) {
            cookie = Optional.of(value);
        }

        private HttpResponse<String> send(HttpRequest.Builder request) {
            cookie.ifPresent(c -> request.header("Cookie", c));
            try {
                HttpResponse<String> response = http.send(
                        request.timeout(Duration.ofSeconds(40)).build(), HttpResponse.BodyHandlers.ofString());
                response.headers().allValues("set-cookie").forEach(set -> {
                    String pair = set.split(";", 2)[0];
                    cookie = pair.endsWith("=") ? Optional.empty() : Optional.of(pair);
                });
                return response;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    static String csrf(String page) {
        Matcher m = CSRF.matcher(page);
        if (!m.find()) {
            throw new AssertionError("no CSRF token in the page:\n" + page);
        }
        return m.group(1);
    }

    static Map<String, String> form(String... pairs) {
        Map<String, String> form = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            form.put(pairs[i], pairs[i + 1]);
        }
        return form;
    }
}
