package dev.drawbridge.broker.conf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.drawbridge.keystores.CaDirectory;
import dev.drawbridge.keystores.KeyType;
import dev.drawbridge.keystores.WriteMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code console_ca_dir}: the console's pki CA directory, refused at its line when it is none. */
class ConsoleCaDirOptionTest {

    private static final String CONSOLE =
            "listener 1883\nlistener 8080 127.0.0.1\nprotocol http_api\n" + "console_users admin\n";

    @TempDir
    Path dir;

    private Path ca;

    @BeforeEach
    void makeCa() throws Exception {
        ca = dir.resolve("ca");
        CaDirectory.at(ca).init("Home CA", KeyType.EC, 30, null, WriteMode.CREATE_NEW);
    }

    @Test
    void aPkiDirectoryIsTheConsolesCa() throws Exception {
        BrokerConfig config = parse(CONSOLE + "console_ca_dir " + ca);

        assertThat(config.consoles()).hasSize(1);
        assertThat(config.consoles().get(0).caDirectory()).contains(ca);
        assertThat(config.consoles().get(0).caDirectoryWhere()).isEqualTo(conf() + ":5");
        assertThat(parse(CONSOLE).consoles().get(0).caDirectory()).isEqualTo(Optional.empty());
    }

    @Test
    void aMissingDirectoryIsRefusedAtItsLine() throws Exception {
        assertThat(problems(CONSOLE + "console_ca_dir " + dir.resolve("nowhere")))
                .isEqualTo(
                        conf() + ":5: console_ca_dir: cannot read '" + dir.resolve("nowhere") + "': no such directory");
    }

    @Test
    void aDirectoryWithoutTheCaIsRefusedAtItsLine() throws Exception {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertThat(problems(CONSOLE + "console_ca_dir " + empty))
                .isEqualTo(conf() + ":5: console_ca_dir: expected a pki CA directory (with ca.crt and ca.key, as pki"
                        + " init or pki quickstart make), found '" + empty + "': ca.crt: no such file or directory");
        Files.delete(ca.resolve("ca.key"));
        assertThat(problems(CONSOLE + "console_ca_dir " + ca)).contains("': ca.key: no such file or directory");
    }

    @Test
    void aFileIsNoDirectory() throws Exception {
        assertThat(problems(CONSOLE + "console_ca_dir " + ca.resolve("ca.crt")))
                .isEqualTo(conf() + ":5: console_ca_dir: cannot read '" + ca.resolve("ca.crt") + "': not a directory");
    }

    @Test
    void onlyAConsoleHasACaDirectory() throws Exception {
        assertThat(problems("listener 1883\nconsole_ca_dir " + ca))
                .isEqualTo(conf() + ":2: console_ca_dir: only for a listener with protocol http_api (listener 1883"
                        + " is not)");
    }

    @Test
    void nothingIsNoDirectory() throws Exception {
        assertThat(problems(CONSOLE + "console_ca_dir"))
                .isEqualTo(conf() + ":5: console_ca_dir: expected a" + " directory, found nothing");
    }

    private Path conf() {
        return dir.resolve("mosquitto.conf");
    }

    private BrokerConfig parse(String text) throws Exception {
        return ConfigParser.parse(Files.writeString(conf(), text));
    }

    private String problems(String text) throws Exception {
        Files.writeString(conf(), text);
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigParser.parse(conf()));
        assertThat(e).as("refused").isNotNull();
        return String.join("\n", e.problems());
    }
}
