package dev.drawbridge.acl.topic;

import dev.drawbridge.acl.spi.AccessRequest;
import dev.drawbridge.acl.spi.Authorizer;
import dev.drawbridge.acl.spi.Decision;
import org.jspecify.annotations.Nullable;

/**
 * The checks Mosquitto 2.0 makes on {@code $} topics before any ACL or plugin is asked ({@code acl__check_dollar}):
 *
 * <ul>
 *   <li>publishing to a topic starting with {@code $SYS} is denied, except to {@code $SYS/broker/connection/+/state}
 *       (the bridge status topic), which goes on to the ACL like any other;
 *   <li>publishing to, or receiving on, a topic starting with {@code $share} is denied;
 *   <li>everything else (other {@code $} topics included) is left to the rules, which see {@code $} topics only through
 *       rules that start with {@code $} themselves.
 * </ul>
 *
 * <p>As an authorizer this denies or abstains; put it first in a chain.
 */
public final class ReservedTopics implements Authorizer {

    private static final String BRIDGE_STATE = "$SYS/broker/connection/+/state";

    @Override
    public Decision authorize(AccessRequest request) {
        String refusal = refusal(request);
        return refusal == null ? Decision.abstain() : Decision.deny(refusal);
    }

    /**
     * Why Mosquitto refuses this access outright, if it does.
     *
     * @param request the access
     * @return the reason for refusing, or null if the rules decide
     */
    public static @Nullable String refusal(AccessRequest request) {
        String topic = request.topic();
        if (topic.isEmpty() || topic.charAt(0) != '$') {
            return null;
        }
        return switch (request.access()) {
            case PUBLISH -> {
                if (topic.startsWith("$SYS") && !TopicMatcher.matches(BRIDGE_STATE, topic)) {
                    yield "clients may not publish to $SYS topics";
                }
                yield topic.startsWith("$share") ? "clients may not publish to $share topics" : null;
            }
            case READ -> topic.startsWith("$share") ? "no message is delivered on a $share topic" : null;
            case SUBSCRIBE -> null;
        };
    }
}
