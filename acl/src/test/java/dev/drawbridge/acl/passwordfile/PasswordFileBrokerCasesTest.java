package dev.drawbridge.acl.passwordfile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.acl.oracle.Identities;
import dev.drawbridge.acl.oracle.OracleTable;
import dev.drawbridge.acl.spi.ConnectRequest;
import dev.drawbridge.acl.spi.Decision;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every row of {@code passwd-broker-cases.tsv}: the broker ran with {@code allow_anonymous true}, so CONNACK 0 means
 * allowed, or abstained for an anonymous client; CONNACK 5 means denied. Where the broker logged a warning for a line,
 * the parser reports that line too.
 */
class PasswordFileBrokerCasesTest {

    static List<OracleTable.Row> cases() {
        return OracleTable.read("passwd-broker-cases.tsv");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void loginGetsRecordedConnack(OracleTable.Row row) {
        byte[] content = OracleTable.unescape(row.get("file_content")).getBytes(StandardCharsets.UTF_8);
        PasswordFile file = PasswordFile.parse("passwd", content);

        Decision decision = new PasswordFileAuthenticator(file)
                .authenticate(new ConnectRequest(Identities.user(username(row), "c1"), password(row)));

        boolean accepted = decision.verdict() == Decision.Verdict.ALLOW
                || (decision.verdict() == Decision.Verdict.ABSTAIN
                        && username(row).isEmpty());
        assertThat(accepted ? "0" : "5").as(decision.reason()).isEqualTo(row.get("connack"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void brokerWarningsAreReportedWithFileAndLine(OracleTable.Row row) {
        String warning = row.get("broker_log_warnings");
        PasswordFile file = PasswordFile.parse(
                "passwd", OracleTable.unescape(row.get("file_content")).getBytes(StandardCharsets.UTF_8));
        if (warning.isEmpty()) {
            assertThat(file.warnings()).allSatisfy(w -> assertThat(w).doesNotContain("removing entry"));
            return;
        }
        String reason = warning.startsWith("Error: ")
                ? warning.substring("Error: ".length(), warning.length() - 1)
                : "invalid line";
        String expected = Character.toLowerCase(reason.charAt(0)) + reason.substring(1);
        assertThat(file.warnings())
                .anySatisfy(w -> assertThat(w).matches("passwd:\\d+: .*").contains(expected));
    }

    static String username(OracleTable.Row row) {
        String username = row.get("username");
        // B27 abbreviates its 1000-character username.
        return username.endsWith("...(1000 chars)") ? "u".repeat(1000) : username;
    }

    static Optional<byte[]> password(OracleTable.Row row) {
        String password = row.get("password");
        if (password.equals("(no password field)")) {
            return Optional.empty();
        }
        if (password.startsWith("hex:")) {
            return Optional.of(HexFormat.of().parseHex(password.substring(4)));
        }
        return Optional.of(OracleTable.unescape(password).getBytes(StandardCharsets.UTF_8));
    }
}
