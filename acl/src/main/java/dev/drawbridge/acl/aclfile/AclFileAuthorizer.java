package dev.drawbridge.acl.aclfile;

import dev.drawbridge.acl.spi.Access;
import dev.drawbridge.acl.spi.AccessRequest;
import dev.drawbridge.acl.spi.Authorizer;
import dev.drawbridge.acl.spi.ClientIdentity;
import dev.drawbridge.acl.spi.Decision;
import dev.drawbridge.acl.topic.ReservedTopics;
import dev.drawbridge.acl.topic.TopicMatcher;
import dev.drawbridge.acl.topic.TopicSyntax;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Mosquitto 2.0's ACL-file semantics ({@code mosquitto_acl_check_default} and {@code acl__check_dollar}):
 *
 * <ol>
 *   <li>{@link Access#SUBSCRIBE} is allowed for any valid filter (Mosquitto grants every well-formed subscription and
 *       checks {@link Access#READ} for each message it would deliver, retained ones included);
 *   <li>publishing to {@code $SYS} (except the bridge-state topic) or {@code $share}, and anything with an invalid topic
 *       name, is denied ({@link ReservedTopics});
 *   <li>the client's own block is searched: the anonymous section for a client without username (or with a zero-length
 *       one), otherwise the block of its username. A matching {@code deny} line denies; otherwise a matching line that
 *       grants the access allows;
 *   <li>if the file has any pattern lines and the username or client id contains {@code +} or {@code #}, deny
 *       (CVE-2017-7650): a client could otherwise widen a pattern to other clients' topics;
 *   <li>the pattern lines, with {@code %c} and {@code %u} substituted, are searched the same way, denies first;
 *       patterns that use {@code %u} are skipped for clients without a username;
 *   <li>otherwise deny.
 * </ol>
 *
 * <p>Topics are matched with {@link TopicMatcher}: {@code a/#} also matches {@code a}, and a {@code $} topic only
 * matches a rule starting with {@code $}. Everything is precomputed from the file; a check allocates only when it
 * expands a pattern. This authorizer never abstains: with an ACL file, Mosquitto decides.
 */
public final class AclFileAuthorizer implements Authorizer {

    private static final Decision NOTHING_ALLOWS = Decision.deny("no ACL line allows it");
    private static final Decision VALID_FILTER = Decision.allow("valid filter; READ is checked per message");

    private final Block anonymous;
    private final Map<String, Block> users;
    private final List<Pattern> patternDenies;
    private final List<Pattern> patternGrants;

    /** A {@code topic} line with its answer made once, so a check allocates nothing. */
    private record Rule(AclRule rule, Decision decision) {
        static Rule of(AclRule rule) {
            return new Rule(
                    rule,
                    rule.access() == AclAccess.DENY
                            ? Decision.deny("ACL line " + rule.line() + " denies " + rule.filter())
                            : Decision.allow("ACL line " + rule.line() + " allows " + rule.filter()));
        }
    }

    /**
     * A {@code pattern} line with its answer made once and the literal start of its filter: a topic that does not
     * begin with it cannot match, so most patterns are ruled out without expanding them.
     */
    private record Pattern(AclPattern pattern, Decision decision, String prefix, boolean usesUsername) {
        static Pattern of(AclPattern pattern) {
            String template = pattern.template();
            int end = 0;
            while (end < template.length() && "%+#".indexOf(template.charAt(end)) < 0) {
                end++;
            }
            String prefix = template.substring(0, end);
            if (end < template.length() && prefix.endsWith("/")) {
                // "a/#" also matches "a": the level separator before a wildcard is not required.
                prefix = prefix.substring(0, prefix.length() - 1);
            }
            return new Pattern(
                    pattern,
                    pattern.access() == AclAccess.DENY
                            ? Decision.deny("ACL pattern line " + pattern.line() + " denies " + template)
                            : Decision.allow("ACL pattern line " + pattern.line() + " allows " + template),
                    prefix,
                    pattern.usesUsername());
        }
    }

    private record Block(List<Rule> denies, List<Rule> grants) {
        static Block of(List<AclRule> rules) {
            return new Block(
                    rules.stream()
                            .filter(r -> r.access() == AclAccess.DENY)
                            .map(Rule::of)
                            .toList(),
                    rules.stream()
                            .filter(r -> r.access() != AclAccess.DENY)
                            .map(Rule::of)
                            .toList());
        }
    }

    /**
     * Creates the authorizer.
     *
     * @param file the parsed ACL file
     */
    public AclFileAuthorizer(AclFile file) {
        this.anonymous = Block.of(file.anonymousRules());
        Map<String, Block> blocks = new HashMap<>();
        file.userRules().forEach((user, rules) -> blocks.put(user, Block.of(rules)));
        this.users = Map.copyOf(blocks);
        this.patternDenies = file.patterns().stream()
                .filter(p -> p.access() == AclAccess.DENY)
                .map(Pattern::of)
                .toList();
        this.patternGrants = file.patterns().stream()
                .filter(p -> p.access() != AclAccess.DENY)
                .map(Pattern::of)
                .toList();
    }

    @Override
    public Decision authorize(AccessRequest request) {
        String topic = request.topic();
        if (request.access() == Access.SUBSCRIBE) {
            return TopicSyntax.isValidFilter(topic) ? VALID_FILTER : Decision.deny("invalid topic filter");
        }
        if (!TopicSyntax.isValidName(topic)) {
            return Decision.deny("invalid topic name");
        }
        String refusal = ReservedTopics.refusal(request);
        if (refusal != null) {
            return Decision.deny(refusal);
        }
        return check(request.identity(), request.access(), topic);
    }

    private Decision check(ClientIdentity identity, Access access, String topic) {
        Optional<String> username = identity.effectiveUsername();
        Block block = username.isPresent() ? users.get(username.get()) : anonymous;
        if (block != null) {
            for (Rule rule : block.denies()) {
                if (TopicMatcher.matches(rule.rule().filter(), topic)) {
                    return rule.decision();
                }
            }
            for (Rule rule : block.grants()) {
                if (rule.rule().access().grants(access)
                        && TopicMatcher.matches(rule.rule().filter(), topic)) {
                    return rule.decision();
                }
            }
        }
        if (patternDenies.isEmpty() && patternGrants.isEmpty()) {
            return NOTHING_ALLOWS;
        }
        String user = username.orElse(null);
        if (user != null && hasWildcard(user)) {
            return Decision.deny("username contains + or #, pattern lines refuse it");
        }
        if (hasWildcard(identity.clientId())) {
            return Decision.deny("client id contains + or #, pattern lines refuse it");
        }
        for (Pattern pattern : patternDenies) {
            if (applies(pattern, identity.clientId(), user, topic)) {
                return pattern.decision();
            }
        }
        for (Pattern pattern : patternGrants) {
            if (pattern.pattern().access().grants(access) && applies(pattern, identity.clientId(), user, topic)) {
                return pattern.decision();
            }
        }
        return NOTHING_ALLOWS;
    }

    private static boolean applies(Pattern pattern, String clientId, @Nullable String user, String topic) {
        if (user == null && pattern.usesUsername()) {
            return false;
        }
        if (!topic.startsWith(pattern.prefix())) {
            return false;
        }
        return TopicMatcher.matches(pattern.pattern().expand(clientId, user), topic);
    }

    private static boolean hasWildcard(String id) {
        return id.indexOf('+') >= 0 || id.indexOf('#') >= 0;
    }
}
