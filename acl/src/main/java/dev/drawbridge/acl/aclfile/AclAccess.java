package dev.drawbridge.acl.aclfile;

import dev.drawbridge.acl.spi.Access;

/** The access word of an ACL line. */
public enum AclAccess {
    /** {@code read}: the client may receive messages on matching topics. */
    READ,
    /** {@code write}: the client may publish to matching topics. */
    WRITE,
    /** {@code readwrite}, or no access word at all: both. */
    READWRITE,
    /** {@code deny}: nothing, and no other line can grant it. */
    DENY;

    /**
     * Whether this access word grants an access.
     *
     * @param access {@link Access#READ} or {@link Access#PUBLISH}
     * @return true if granted; always false for {@link #DENY} and for {@link Access#SUBSCRIBE}
     */
    public boolean grants(Access access) {
        return switch (access) {
            case READ -> this == READ || this == READWRITE;
            case PUBLISH -> this == WRITE || this == READWRITE;
            case SUBSCRIBE -> false;
        };
    }
}
