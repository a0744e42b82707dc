package dev.drawbridge.broker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The broker's command line read without picocli must mean what picocli reads, or be left to picocli. */
class PlainBrokerArgumentsTest {

    private static String[] words(String line) {
        return line.isEmpty() ? new String[0] : line.split(" ");
    }

    private static BrokerCommand picocli(String... args) {
        BrokerCommand command = new BrokerCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @ValueSource(
            strings = {
                "",
                "-c mosquitto.conf",
                "--config-file /etc/drawbridge/mosquitto.conf",
                "-c /etc/drawbridge/mosquitto.conf -v",
                "-p 1884",
                "--port 0",
                "-c a.conf -p 65535 -q",
                "--verbose --quiet",
                "-c a.conf --test-config",
                "--test-config -c a.conf",
            })
    void readsWhatPicocliReads(String line) {
        BrokerCommand plain = PlainBrokerArguments.parse(words(line));
        BrokerCommand expected = picocli(words(line));

        assertThat(plain).isNotNull();
        assertThat(plain)
                .usingRecursiveComparison()
                .comparingOnlyFields("configFile", "port", "verbose", "quiet", "testConfig")
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @ValueSource(
            strings = {
                "-h",
                "--help",
                "-V",
                "--version",
                "-c",
                "-c -v",
                "-p",
                "-p abc",
                "-p 123456",
                "-p -1",
                "-p +5",
                "-c a.conf -c b.conf",
                "-v -v",
                "-v --verbose",
                "-vq",
                "-ca.conf",
                "--config-file=a.conf",
                "-d",
                "a.conf",
                "passwd",
                "-c a.conf extra",
            })
    void leavesEverythingElseToPicocli(String line) {
        assertThat(PlainBrokerArguments.parse(words(line)))
                .as("read without picocli: %s", Arrays.toString(words(line)))
                .isNull();
    }
}
