package dev.drawbridge.acl.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SpiRecordsTest {

    private static final ClientIdentity ALICE =
            new ClientIdentity("c1", Optional.of("alice"), Optional.empty(), "1883", "192.0.2.7:5000", 4);

    @Test
    void connectRequestCopiesAndHidesThePassword() {
        byte[] secret = "hunter2".getBytes(StandardCharsets.UTF_8);
        ConnectRequest request = new ConnectRequest(ALICE, Optional.of(secret));
        secret[0] = 'X';
        request.password().orElseThrow()[1] = 'Y';

        assertThat(new String(request.password().orElseThrow(), StandardCharsets.UTF_8))
                .isEqualTo("hunter2");
        assertThat(request.toString()).doesNotContain("hunter2").contains("7 bytes, hidden");
        assertThat(request)
                .isEqualTo(new ConnectRequest(ALICE, Optional.of("hunter2".getBytes(StandardCharsets.UTF_8))))
                .hasSameHashCodeAs(new ConnectRequest(ALICE, Optional.of("hunter2".getBytes(StandardCharsets.UTF_8))))
                .isNotEqualTo(new ConnectRequest(ALICE, Optional.empty()));
    }

    @Test
    void zeroLengthUsernameIsAnonymous() {
        ClientIdentity empty = new ClientIdentity("c", Optional.of(""), Optional.empty(), "l", "r", 5);
        assertThat(empty.effectiveUsername()).isEmpty();
        assertThat(ALICE.effectiveUsername()).contains("alice");
    }

    @Test
    void recordsCheckTheirValues() {
        assertThatThrownBy(() -> new ClientIdentity("c", Optional.empty(), Optional.empty(), "l", "r", 6))
                .hasMessage("protocolLevel: expected 3, 4 or 5, found 6");
        assertThatThrownBy(() -> new AccessRequest(ALICE, Access.PUBLISH, "t", 3, false))
                .hasMessage("qos: expected 0, 1 or 2, found 3");
        assertThatThrownBy(() -> new CertificateIdentity("CN=x", "abc"))
                .hasMessage("sha256Fingerprint: expected 64 hex digits, found 'abc'");
        assertThat(new CertificateIdentity("CN=x", "AB".repeat(32)).sha256Fingerprint())
                .isEqualTo("ab".repeat(32));
    }

    @Test
    void accessRequestKeepsAnImmutableCopyOfTheUserPropertiesInOrder() {
        List<UserProperty> sent = new ArrayList<>(
                List.of(new UserProperty("k", "2"), new UserProperty("k", "1"), new UserProperty("", "")));
        AccessRequest request = new AccessRequest(ALICE, Access.PUBLISH, "t", 1, false, sent);
        sent.clear();

        assertThat(request.userProperties())
                .containsExactly(new UserProperty("k", "2"), new UserProperty("k", "1"), new UserProperty("", ""));
        assertThatThrownBy(() -> request.userProperties().add(new UserProperty("x", "y")))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(new AccessRequest(ALICE, Access.PUBLISH, "t", 1, false).userProperties())
                .isEmpty();
    }

    @Test
    void decisions() {
        assertThat(Decision.allow("r")).isEqualTo(new Decision(Decision.Verdict.ALLOW, "r"));
        assertThat(Decision.allow("r").isAllowed()).isTrue();
        assertThat(Decision.deny("r").isAllowed()).isFalse();
        assertThat(Decision.abstain().verdict()).isEqualTo(Decision.Verdict.ABSTAIN);
    }

    @Test
    void pluginDefaultsAbstain() {
        AclPlugin plugin = new AclPlugin() {
            @Override
            public String name() {
                return "test";
            }

            @Override
            public void init(Map<String, String> options) {}
        };
        plugin.init(Map.of());
        assertThat(plugin.authenticator()
                        .authenticate(new ConnectRequest(ALICE, Optional.empty()))
                        .verdict())
                .isEqualTo(Decision.Verdict.ABSTAIN);
        assertThat(plugin.authorizer()
                        .authorize(new AccessRequest(ALICE, Access.READ, "t", 0, false))
                        .verdict())
                .isEqualTo(Decision.Verdict.ABSTAIN);
        plugin.close();
    }
}
