package dev.drawbridge.broker.it.console;

import static dev.drawbridge.broker.it.console.ConsoleBroker.PASSWORD;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.drawbridge.broker.BrokerStartException;
import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.conf.ConfigParser;
import dev.drawbridge.broker.it.console.ConsoleBroker.Browser;
import dev.drawbridge.broker.testing.TestPki;
import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A console starts only with a password file that holds its users, and serves HTTPS through the MQTT listeners' TLS
 * loading, with a {@code Secure}, {@code __Host-} cookie.
 */
class ConsoleStartIT {

    @TempDir
    Path dir;

    @Test
    void aConsoleUserMissingFromThePasswordFileRefusesTheStartAtItsLine() throws Exception {
        Path passwd = ConsoleBroker.passwordFile(dir.resolve("passwd"), Map.of("admin", PASSWORD));
        Path conf = write(
                "password_file " + passwd,
                "listener 0 127.0.0.1",
                "listener 0 127.0.0.1",
                "protocol http_api",
                "console_users admin bob");

        BrokerStartException e = catchThrowableOfType(BrokerStartException.class, () -> Drawbridge.start(conf));

        assertThat(e).isNotNull();
        assertThat(e.getMessage())
                .isEqualTo(conf + ":5: console_users: user 'bob' is not in the password file " + passwd);

        BrokerStartException checked =
                catchThrowableOfType(BrokerStartException.class, () -> Drawbridge.check(ConfigParser.parse(conf)));
        assertThat(checked).as("--test-config finds it too").isNotNull();
        assertThat(checked.getMessage()).isEqualTo(e.getMessage());

        // Control: the same file with a user it holds starts.
        Files.write(
                conf,
                List.of(
                        "password_file " + passwd,
                        "listener 0 127.0.0.1",
                        "listener 0 127.0.0.1",
                        "protocol http_api",
                        "console_users admin"));
        Drawbridge.check(ConfigParser.parse(conf));
        try (Drawbridge broker = Drawbridge.start(conf)) {
            assertThat(broker.consoles()).hasSize(1);
        }
    }

    @Test
    void aConsoleWithoutAPasswordFileRefusesTheStart() throws Exception {
        Path conf = write(
                "allow_anonymous true",
                "listener 0 127.0.0.1",
                "listener 0 127.0.0.1",
                "protocol http_api",
                "console_users admin");

        BrokerStartException e = catchThrowableOfType(BrokerStartException.class, () -> Drawbridge.start(conf));

        assertThat(e).isNotNull();
        assertThat(e.getMessage())
                .startsWith(conf + ":5: console_users: the console checks passwords in a password_file, and ")
                .endsWith(" has none");
    }

    @Test
    void overHttpsTheCookieIsSecureAndHostOnlyAndPlainHttpGetsNoPage() throws Exception {
        TestPki pki = TestPki.create(dir, "console");
        TestPki.Issued server = pki.server("server");
        try (ConsoleBroker console = ConsoleBroker.start(
                dir, "certfile " + server.cert(), "keyfile " + server.key(), "console_users admin")) {
            Browser admin = console.browser(pki.trustingContext());
            HttpResponse<String> in = admin.login("admin", PASSWORD);

            assertThat(in.statusCode()).isEqualTo(303);
            String set = in.headers().firstValue("set-cookie").orElseThrow();
            assertThat(set).startsWith("__Host-drawbridge=");
            assertThat(set.toLowerCase(java.util.Locale.ROOT))
                    .contains("; secure")
                    .contains("; httponly");
            assertThat(admin.get("/clients").statusCode()).isEqualTo(200);

            try (Socket plain = new Socket("127.0.0.1", console.consolePort())) {
                plain.setSoTimeout(15_000);
                plain.getOutputStream()
                        .write("GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                                .getBytes(US_ASCII));
                String answer = new String(plain.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertThat(answer).as("plain HTTP on the HTTPS console").doesNotContain("<form");
            }
        }
    }

    private Path write(String... lines) throws IOException {
        return Files.write(dir.resolve("mosquitto.conf"), List.of(lines), StandardCharsets.UTF_8);
    }
}
