package dev.drawbridge.acl.aclfile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.acl.oracle.Identities;
import dev.drawbridge.acl.oracle.OracleTable;
import dev.drawbridge.acl.passwordfile.PasswordFile;
import dev.drawbridge.acl.passwordfile.PasswordFileAuthenticator;
import dev.drawbridge.acl.spi.Access;
import dev.drawbridge.acl.spi.AccessRequest;
import dev.drawbridge.acl.spi.ClientIdentity;
import dev.drawbridge.acl.spi.ConnectRequest;
import dev.drawbridge.acl.spi.Decision;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every row of {@code acl-cases.tsv}, decided by the authorizer and authenticator alone (no row needs a broker):
 *
 * <ul>
 *   <li>subscribe, subscribe-retained: SUBSCRIBE to the filter is granted (SUBACK 1), then READ on the published topic
 *       allows exactly when the message was delivered;
 *   <li>publish and will: PUBLISH on the topic allows exactly when the observer received the message;
 *   <li>every row: the login gets the recorded CONNACK (anonymous clients abstain, and the broker allowed anonymous).
 * </ul>
 */
class AclCasesTest {

    private static final Pattern PASSWORD_NOTE = Pattern.compile("password=(?:'([^']*)'|\\(none\\))");
    private static final Map<String, AclFileAuthorizer> AUTHORIZERS = new HashMap<>();

    static List<OracleTable.Row> cases() {
        return OracleTable.read("acl-cases.tsv");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void authorizerGivesRecordedVerdict(OracleTable.Row row) throws Exception {
        AclFileAuthorizer authorizer = authorizer(row.get("aclfile"));
        ClientIdentity identity = identity(row);
        String topic = row.get("topic");
        String verdict = row.get("verdict");
        switch (row.get("action")) {
            case "subscribe", "subscribe-retained" -> {
                assertThat(row.get("suback_rc")).isEqualTo("1");
                assertThat(authorizer.authorize(new AccessRequest(identity, Access.SUBSCRIBE, topic, 1, false)))
                        .extracting(Decision::verdict)
                        .isEqualTo(Decision.Verdict.ALLOW);
                boolean retained = row.get("action").equals("subscribe-retained");
                Decision read = authorizer.authorize(
                        new AccessRequest(identity, Access.READ, row.get("pub_topic"), 1, retained));
                assertThat(read.isAllowed()).as(read.reason()).isEqualTo(delivered(row));
                assertThat(verdict).isEqualTo(delivered(row) ? "allowed" : "denied");
            }
            case "publish", "will" -> {
                Decision publish = authorizer.authorize(new AccessRequest(identity, Access.PUBLISH, topic, 1, false));
                assertThat(publish.isAllowed()).as(publish.reason()).isEqualTo(delivered(row));
                assertThat(verdict).isEqualTo(delivered(row) ? "allowed" : "denied");
            }
            case "connect" -> assertThat(verdict).isEqualTo("connect-refused");
            default -> throw new IllegalArgumentException("unknown action " + row.get("action"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void loginGetsRecordedConnack(OracleTable.Row row) throws Exception {
        PasswordFile passwords = PasswordFile.parse("acl-passwd", OracleTable.bytes("acl-passwd"));
        ClientIdentity identity = identity(row);
        Decision decision =
                new PasswordFileAuthenticator(passwords).authenticate(new ConnectRequest(identity, password(row)));
        boolean anonymousAllowed = decision.verdict() == Decision.Verdict.ABSTAIN
                && identity.effectiveUsername().isEmpty();
        assertThat(decision.isAllowed() || anonymousAllowed ? "0" : "5")
                .as(decision.reason())
                .isEqualTo(row.get("connack"));
    }

    private static synchronized AclFileAuthorizer authorizer(String name) throws Exception {
        AclFileAuthorizer authorizer = AUTHORIZERS.get(name);
        if (authorizer == null) {
            authorizer = new AclFileAuthorizer(AclFile.parse(name, OracleTable.bytes(name)));
            AUTHORIZERS.put(name, authorizer);
        }
        return authorizer;
    }

    private static ClientIdentity identity(OracleTable.Row row) {
        String user = row.get("username");
        Optional<String> username = switch (user) {
            case "(anonymous)" -> Optional.empty();
            case "\"\"" -> Optional.of("");
            default -> Optional.of(user);
        };
        return Identities.client(
                row.get("clientid"), username, row.get("protocol").equals("5") ? 5 : 4);
    }

    private static Optional<byte[]> password(OracleTable.Row row) {
        Matcher note = PASSWORD_NOTE.matcher(row.get("note"));
        if (note.find()) {
            return note.group(1) == null ? Optional.empty() : Optional.of(utf8(note.group(1)));
        }
        return Optional.ofNullable(users().get(row.get("username"))).map(AclCasesTest::utf8);
    }

    private static Map<String, String> users() {
        Map<String, String> users = new HashMap<>();
        for (String line : OracleTable.text("acl-users.tsv").split("\n")) {
            if (!line.startsWith("#") && line.contains("\t")) {
                users.put(line.substring(0, line.indexOf('\t')), line.substring(line.indexOf('\t') + 1));
            }
        }
        return users;
    }

    private static boolean delivered(OracleTable.Row row) {
        return row.get("delivered").equals("yes");
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
