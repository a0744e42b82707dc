package dev.drawbridge.acl.aclfile;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A {@code pattern} line: applies to every client, with {@code %c} replaced by the client id and {@code %u} by the
 * username.
 *
 * @param access what it grants, or {@link AclAccess#DENY}
 * @param template the topic filter with {@code %c} and {@code %u} placeholders
 * @param line the line number in the ACL file, for logs
 */
public record AclPattern(AclAccess access, String template, int line) {

    /** Checks that nothing is null. */
    public AclPattern {
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(template, "template");
    }

    /**
     * Whether the pattern uses {@code %u}; Mosquitto skips such patterns for clients without a username.
     *
     * @return true if the template contains {@code %u}
     */
    public boolean usesUsername() {
        return template.contains("%u");
    }

    /**
     * The filter for one client, substituted left to right as Mosquitto does: {@code %c} always, {@code %u} only when
     * there is a username; any other {@code %} stays.
     *
     * @param clientId the client id
     * @param username the username, or null for an anonymous client
     * @return the filter to match topics against
     */
    public String expand(String clientId, @Nullable String username) {
        if (template.indexOf('%') < 0) {
            return template;
        }
        StringBuilder filter = new StringBuilder(template.length() + clientId.length());
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c == '%' && i + 1 < template.length()) {
                char next = template.charAt(i + 1);
                if (next == 'c') {
                    filter.append(clientId);
                    i++;
                    continue;
                }
                if (next == 'u' && username != null) {
                    filter.append(username);
                    i++;
                    continue;
                }
            }
            filter.append(c);
        }
        return filter.toString();
    }
}
