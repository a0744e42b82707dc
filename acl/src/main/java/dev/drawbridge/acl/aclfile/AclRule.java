package dev.drawbridge.acl.aclfile;

import java.util.Objects;

/**
 * A {@code topic} line: applies to the anonymous section or to one user's block.
 *
 * @param access what it grants, or {@link AclAccess#DENY}
 * @param filter the topic filter, with {@code +} and {@code #} wildcards
 * @param line the line number in the ACL file, for logs
 */
public record AclRule(AclAccess access, String filter, int line) {

    /** Checks that nothing is null. */
    public AclRule {
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(filter, "filter");
    }
}
