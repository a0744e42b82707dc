package dev.drawbridge.acl.aclfile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.acl.oracle.Identities;
import dev.drawbridge.acl.spi.Access;
import dev.drawbridge.acl.spi.AccessRequest;
import dev.drawbridge.acl.spi.ClientIdentity;
import dev.drawbridge.acl.spi.Decision;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Cases the oracle does not cover. */
class AclFileAuthorizerTest {

    private static final String ACL = """
            topic read $SYS/#
            user alice
            topic readwrite a/#
            topic read %u/literal
            user bob
            pattern deny a/%u/locked
            pattern write out/%c
            pattern read $inbox/%u
            """;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            user rule beats pattern deny      | alice | c1  | PUBLISH   | a/alice/locked  | ALLOW
            pattern deny without user rule    | bob   | c1  | PUBLISH   | a/bob/locked    | DENY
            %u in topic lines is literal      | alice | c1  | READ      | %u/literal      | ALLOW
            pattern with %c                   | bob   | c1  | PUBLISH   | out/c1          | ALLOW
            pattern gives write only          | bob   | c1  | READ      | out/c1          | DENY
            $ pattern                         | bob   | c1  | READ      | $inbox/bob      | ALLOW
            anonymous reads $SYS              | -     | c1  | READ      | $SYS/x          | ALLOW
            anonymous never writes $SYS       | -     | c1  | PUBLISH   | $SYS/x          | DENY
            zero-length username is anonymous | ''    | c1  | READ      | $SYS/x          | ALLOW
            client id + refused by patterns   | bob   | c+  | PUBLISH   | out/c+          | DENY
            wildcard publish topic            | alice | c1  | PUBLISH   | a/+             | DENY
            empty publish topic               | alice | c1  | PUBLISH   | ''              | DENY
            valid subscription                | -     | c1  | SUBSCRIBE | nobody/#        | ALLOW
            invalid subscription              | alice | c1  | SUBSCRIBE | a/#/b           | DENY
            """)
    void decides(String description, String user, String clientId, Access access, String topic, Decision.Verdict want)
            throws Exception {
        AclFileAuthorizer authorizer =
                new AclFileAuthorizer(AclFile.parse("acl", ACL.getBytes(StandardCharsets.UTF_8)));
        ClientIdentity identity = user.equals("-") ? Identities.anonymous(clientId) : Identities.user(user, clientId);
        Decision decision = authorizer.authorize(new AccessRequest(identity, access, topic, 0, false));
        assertThat(decision.verdict()).as(decision.reason()).isEqualTo(want);
    }
}
