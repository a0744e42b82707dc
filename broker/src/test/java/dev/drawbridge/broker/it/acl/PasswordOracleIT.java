package dev.drawbridge.broker.it.acl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.it.acl.Oracle.Row;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Logins against password files, over a socket: every row of {@code passwd-vectors.tsv} (one broker with every hash
 * line, {@code allow_anonymous false}, logins with HiveMQ's client) and of {@code passwd-broker-cases.tsv} (one broker
 * per odd file, {@code allow_anonymous true} as the oracle ran, logins with exact bytes from a raw client).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PasswordOracleIT {

    private Path dir;
    private Drawbridge vectorsBroker;
    private @Nullable Drawbridge fileBroker;
    private String fileBrokerContent = "";
    private int files;

    @BeforeAll
    void startVectorsBroker(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        String lines = Oracle.rows("passwd-vectors.tsv").stream()
                .map(r -> r.get("hashline") + "\n")
                .collect(Collectors.joining());
        Path passwd = TestBrokers.write(dir.resolve("vectors-passwd"), lines.getBytes(UTF_8));
        vectorsBroker = TestBrokers.start(
                Files.createDirectory(dir.resolve("vectors")), "allow_anonymous false", "password_file " + passwd);
    }

    @AfterAll
    void stopBrokers() {
        vectorsBroker.close();
        if (fileBroker != null) {
            fileBroker.close();
        }
    }

    static List<Row> vectors() {
        return Oracle.rows("passwd-vectors.tsv");
    }

    /**
     * The right and a wrong password, in one test so that a success clears the address's failures before the next
     * refusal (the broker slows down a 4th refusal in a row; see {@code BruteForceLoginIT}).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void rightAndWrongPasswordGetRecordedConnack(Row row) {
        String user = row.get("username");
        byte[] password = HexFormat.of().parseHex(row.get("plaintext_utf8_hex"));
        // The oracle's note: for an empty password the client sends no password field.
        Optional<byte[]> right = password.length == 0 ? Optional.empty() : Optional.of(password);
        byte[] wrong = (row.get("plaintext") + "!").getBytes(UTF_8);
        int port = vectorsBroker.port();

        var client = TestBrokers.hivemq(port, "vector-" + user.hashCode());
        int rightAnswer = TestBrokers.login(client, Optional.of(user), right);
        if (rightAnswer == 0) {
            client.disconnect();
        }
        int wrongAnswer = TestBrokers.login(
                TestBrokers.hivemq(port, "vector-wrong-" + user.hashCode()), Optional.of(user), Optional.of(wrong));

        assertThat(List.of(rightAnswer, wrongAnswer))
                .as("CONNACK for the right and a wrong password")
                .containsExactly(
                        Integer.parseInt(row.get("connack_correct")), Integer.parseInt(row.get("connack_wrong")));
    }

    static Stream<Arguments> fileCases() {
        return Oracle.rows("passwd-broker-cases.tsv").stream()
                .map(row -> Arguments.argumentSet(
                        row + " " + row.get("description") + ", user '" + abbreviated(row.get("username"))
                                + "', password '" + row.get("password") + "'",
                        row));
    }

    /** Rows of one file follow each other: the broker is started again only when the file changes. */
    @ParameterizedTest
    @MethodSource("fileCases")
    void loginAgainstOddFileGetsRecordedConnack(Row row) {
        Drawbridge broker = brokerFor(Oracle.unescape(row.get("file_content")));
        try (RawMqttClient client = RawMqttClient.open(broker.port())) {
            int connack = client.connect(4, "case-" + row, Optional.of(username(row)), password(row), null);

            assertThat(connack).as("CONNACK").isEqualTo(Integer.parseInt(row.get("connack")));
        }
    }

    private Drawbridge brokerFor(String content) {
        if (fileBroker != null && fileBrokerContent.equals(content)) {
            return fileBroker;
        }
        if (fileBroker != null) {
            fileBroker.close();
            fileBroker = null;
        }
        try {
            Path folder = Files.createDirectory(dir.resolve("file-" + ++files));
            Path passwd = TestBrokers.write(folder.resolve("passwd"), content.getBytes(UTF_8));
            fileBroker = TestBrokers.start(folder, "allow_anonymous true", "password_file " + passwd);
            fileBrokerContent = content;
            return fileBroker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String abbreviated(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }

    /** B27 abbreviates its 1000-character username; an empty cell is a zero-length username field. */
    private static String username(Row row) {
        String username = row.get("username");
        return username.endsWith("...(1000 chars)") ? "u".repeat(1000) : username;
    }

    private static Optional<byte[]> password(Row row) {
        String password = row.get("password");
        if (password.equals("(no password field)")) {
            return Optional.empty();
        }
        if (password.startsWith("hex:")) {
            return Optional.of(HexFormat.of().parseHex(password.substring(4)));
        }
        return Optional.of(Oracle.unescape(password).getBytes(UTF_8));
    }
}
