package dev.drawbridge.acl.chain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.acl.oracle.Identities;
import dev.drawbridge.acl.spi.Access;
import dev.drawbridge.acl.spi.AccessRequest;
import dev.drawbridge.acl.spi.Authenticator;
import dev.drawbridge.acl.spi.Authorizer;
import dev.drawbridge.acl.spi.ConnectRequest;
import dev.drawbridge.acl.spi.Decision;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DecisionChainTest {

    private static final AccessRequest REQUEST =
            new AccessRequest(Identities.user("alice", "c1"), Access.PUBLISH, "a/b", 1, false);
    private static final Authorizer ABSTAIN = request -> Decision.abstain();
    private static final Authorizer ALLOW = request -> Decision.allow("yes");
    private static final Authorizer DENY = request -> Decision.deny("no");
    private static final Authorizer THROW = request -> {
        throw new IllegalStateException("boom");
    };

    @SuppressWarnings("NullAway")
    private static final Authorizer NULL = request -> null;

    static Stream<Arguments> chains() {
        return Stream.of(
                Arguments.of("empty chain denies", List.of(), Decision.Verdict.DENY),
                Arguments.of("all abstain denies", List.of(ABSTAIN, ABSTAIN), Decision.Verdict.DENY),
                Arguments.of("first non-abstain wins: allow", List.of(ABSTAIN, ALLOW, DENY), Decision.Verdict.ALLOW),
                Arguments.of("first non-abstain wins: deny", List.of(ABSTAIN, DENY, ALLOW), Decision.Verdict.DENY),
                Arguments.of("exception denies", List.of(THROW, ALLOW), Decision.Verdict.DENY),
                Arguments.of("null denies", List.of(NULL, ALLOW), Decision.Verdict.DENY),
                Arguments.of("exception after allow is not reached", List.of(ALLOW, THROW), Decision.Verdict.ALLOW));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("chains")
    void decides(String description, List<Authorizer> members, Decision.Verdict expected) {
        assertThat(DecisionChain.ofAuthorizers(members).authorize(REQUEST).verdict())
                .isEqualTo(expected);
    }

    @Test
    void exceptionReasonNamesThePlugin() {
        Decision decision = DecisionChain.ofAuthorizers(List.of(THROW)).authorize(REQUEST);
        assertThat(decision.reason()).contains("failed: IllegalStateException");
    }

    @Test
    void laterMembersAreNotAskedOnceDecided() {
        AtomicInteger calls = new AtomicInteger();
        Authorizer counting = request -> {
            calls.incrementAndGet();
            return Decision.allow("counted");
        };
        DecisionChain.ofAuthorizers(List.of(DENY, counting)).authorize(REQUEST);
        assertThat(calls).hasValue(0);
    }

    @Test
    void authenticatorsFollowTheSameRule() {
        ConnectRequest connect = new ConnectRequest(Identities.anonymous("c"), Optional.empty());
        Authenticator abstain = request -> Decision.abstain();
        Authenticator boom = request -> {
            throw new IllegalArgumentException("bad");
        };
        assertThat(DecisionChain.ofAuthenticators(List.of(abstain))
                        .authenticate(connect)
                        .verdict())
                .isEqualTo(Decision.Verdict.DENY);
        assertThat(DecisionChain.ofAuthenticators(List.of(abstain, request -> Decision.allow("ok")))
                        .authenticate(connect)
                        .verdict())
                .isEqualTo(Decision.Verdict.ALLOW);
        assertThat(DecisionChain.ofAuthenticators(List.of(boom))
                        .authenticate(connect)
                        .verdict())
                .isEqualTo(Decision.Verdict.DENY);
    }
}
