package dev.drawbridge.device.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.device.TestPki;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The exit statuses {@code drawbridge-device} documents, from the command line its {@code main} runs (which passes
 * {@code execute}'s result to {@code System.exit}): 0 for a good config with {@code --check}, 1 for a config error, 2 for a usage error.
 */
class MainTest {

    @TempDir
    static Path dir;

    private static TestPki pki;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void certificates() throws Exception {
        pki = TestPki.create(dir);
    }

    private int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private static Path config(String name, String certificate) throws Exception {
        return Files.writeString(
                dir.resolve(name),
                "mqtt:\n  host: localhost\ntls:\n  certificate: " + certificate
                        + "\n  key: device.key\n  ca: ca.crt\ndoor:\n  node-id: garage\n");
    }

    @Test
    void checkOfAGoodConfigExits0WithoutConnecting() throws Exception {
        Path good = config("good.yml", "device.crt");

        int status = run("-c", good.toString(), "--check");

        assertThat(status).as("stderr: %s", err).isZero();
        assertThat(out.toString()).isEqualTo(good + ": OK" + System.lineSeparator());
    }

    @Test
    void checkOfAConfigWithAMissingFileExits1NamingIt() throws Exception {
        Path bad = config("bad.yml", "missing.crt");

        int status = run("-c", bad.toString(), "--check");

        assertThat(status).isEqualTo(1);
        assertThat(err.toString()).contains("missing.crt");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void anUnknownOptionIsAUsageErrorExit2() throws Exception {
        Path good = config("usage.yml", "device.crt");

        int status = run("-c", good.toString(), "--no-such-option");

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown option: '--no-such-option'");
    }

    @Test
    void aMissingConfigOptionIsAUsageErrorExit2() {
        int status = run("--check");

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required option: '--config=FILE'");
    }
}
