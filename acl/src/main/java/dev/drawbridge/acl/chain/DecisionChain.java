package dev.drawbridge.acl.chain;

import dev.drawbridge.acl.spi.AccessRequest;
import dev.drawbridge.acl.spi.Authenticator;
import dev.drawbridge.acl.spi.Authorizer;
import dev.drawbridge.acl.spi.ConnectRequest;
import dev.drawbridge.acl.spi.Decision;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks plugins in order: the first decision that is not abstain wins; if all abstain (or there are none) the answer is
 * deny, as in Mosquitto. A plugin that throws or returns null denies, and the chain stops there: nothing a plugin does
 * can make the chain throw or fail open.
 *
 * @param <R> the request type
 */
public final class DecisionChain<R> {

    private static final Logger LOG = LoggerFactory.getLogger(DecisionChain.class);

    private final List<Member<R>> members;

    private record Member<R>(String name, Function<R, Decision> check) {}

    private DecisionChain(List<Member<R>> members) {
        this.members = List.copyOf(members);
    }

    /**
     * A chain of authorizers, itself an authorizer.
     *
     * @param authorizers the authorizers, asked in this order
     * @return an authorizer that never throws
     */
    public static Authorizer ofAuthorizers(List<? extends Authorizer> authorizers) {
        DecisionChain<AccessRequest> chain = new DecisionChain<>(authorizers.stream()
                .map(a -> new Member<AccessRequest>(a.getClass().getName(), a::authorize))
                .toList());
        return chain::decide;
    }

    /**
     * A chain of authenticators, itself an authenticator.
     *
     * @param authenticators the authenticators, asked in this order
     * @return an authenticator that never throws
     */
    public static Authenticator ofAuthenticators(List<? extends Authenticator> authenticators) {
        DecisionChain<ConnectRequest> chain = new DecisionChain<>(authenticators.stream()
                .map(a -> new Member<ConnectRequest>(a.getClass().getName(), a::authenticate))
                .toList());
        return chain::decide;
    }

    private Decision decide(R request) {
        for (Member<R> member : members) {
            Decision decision;
            try {
                decision = member.check().apply(request);
            } catch (RuntimeException | Error e) {
                if (e instanceof VirtualMachineError error) {
                    throw error;
                }
                LOG.warn("Plugin {} failed, denying: {}", member.name(), e.toString());
                LOG.debug("Plugin {} failure", member.name(), e);
                return Decision.deny(
                        "plugin " + member.name() + " failed: " + e.getClass().getSimpleName());
            }
            if (decision == null) {
                LOG.warn("Plugin {} returned no decision, denying", member.name());
                return Decision.deny("plugin " + member.name() + " returned no decision");
            }
            if (decision.verdict() != Decision.Verdict.ABSTAIN) {
                return decision;
            }
        }
        return Decision.deny("no plugin decided");
    }
}
