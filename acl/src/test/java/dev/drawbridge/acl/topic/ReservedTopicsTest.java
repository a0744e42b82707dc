package dev.drawbridge.acl.topic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.acl.oracle.Identities;
import dev.drawbridge.acl.spi.Access;
import dev.drawbridge.acl.spi.AccessRequest;
import dev.drawbridge.acl.spi.Decision;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReservedTopicsTest {

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
        "PUBLISH, $SYS/test, DENY",
        "PUBLISH, $SYSTEM/x, DENY",
        "PUBLISH, $SYS/broker/connection/x/state, ABSTAIN",
        "PUBLISH, $share/g/home/x, DENY",
        "PUBLISH, $app/cmd, ABSTAIN",
        "PUBLISH, home/x, ABSTAIN",
        "READ, $SYS/broker/version, ABSTAIN",
        "READ, $share/g/x, DENY",
        "SUBSCRIBE, $share/g/#, ABSTAIN",
        "SUBSCRIBE, $SYS/#, ABSTAIN"
    })
    void dollarTopics(Access access, String topic, Decision.Verdict expected) {
        AccessRequest request = new AccessRequest(Identities.user("admin", "a"), access, topic, 0, false);
        assertThat(new ReservedTopics().authorize(request).verdict()).isEqualTo(expected);
    }
}
