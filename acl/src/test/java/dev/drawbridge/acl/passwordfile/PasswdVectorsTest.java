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

/** Every line of {@code passwd-vectors.tsv}: the right password gets the recorded CONNACK, a wrong one is refused. */
class PasswdVectorsTest {

    static List<OracleTable.Row> vectors() {
        return OracleTable.read("passwd-vectors.tsv");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void rightPasswordGetsRecordedConnackAndWrongOneIsRefused(OracleTable.Row row) {
        String username = row.get("username");
        PasswordFile file =
                PasswordFile.parse("vectors", (row.get("hashline") + "\n").getBytes(StandardCharsets.UTF_8));
        assertThat(file.warnings()).isEmpty();
        PasswordFileAuthenticator authenticator = new PasswordFileAuthenticator(file);
        byte[] plaintext = HexFormat.of().parseHex(row.get("plaintext_utf8_hex"));
        assertThat(new String(plaintext, StandardCharsets.UTF_8)).isEqualTo(row.get("plaintext"));

        // The oracle sends no password field for an empty password (see the file's header).
        Optional<byte[]> right = plaintext.length == 0 ? Optional.empty() : Optional.of(plaintext);
        assertThat(verdict(authenticator, username, right)).isEqualTo(expected(row.get("connack_correct")));
        byte[] wrong = (row.get("plaintext") + "x").getBytes(StandardCharsets.UTF_8);
        assertThat(verdict(authenticator, username, Optional.of(wrong))).isEqualTo(expected(row.get("connack_wrong")));
        assertThat(verdict(authenticator, username + "x", right)).isEqualTo(Decision.Verdict.DENY);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void hashVerifiesItsOwnPlaintextEvenWhenEmpty(OracleTable.Row row) {
        String line = row.get("hashline");
        PasswordHash hash = PasswordHash.decode(line.substring(line.lastIndexOf(':') + 1));
        assertThat(hash.kind().id()).isEqualTo(row.get("hash_kind").replace("$", ""));
        assertThat(hash.verify(HexFormat.of().parseHex(row.get("plaintext_utf8_hex"))))
                .isTrue();
        assertThat(hash.verify("not it".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(hash.encode()).isEqualTo(line.substring(line.lastIndexOf(':') + 1));
    }

    static Decision.Verdict verdict(PasswordFileAuthenticator authenticator, String user, Optional<byte[]> password) {
        return authenticator
                .authenticate(new ConnectRequest(Identities.user(user, "c1"), password))
                .verdict();
    }

    static Decision.Verdict expected(String connack) {
        return switch (connack) {
            case "0" -> Decision.Verdict.ALLOW;
            case "5" -> Decision.Verdict.DENY;
            default -> throw new IllegalArgumentException("unexpected CONNACK " + connack);
        };
    }
}
