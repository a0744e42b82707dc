package dev.drawbridge.acl.oracle;

import dev.drawbridge.acl.spi.ClientIdentity;
import java.util.Optional;

/** Client identities for tests. */
public final class Identities {

    private Identities() {}

    public static ClientIdentity client(String clientId, Optional<String> username, int protocolLevel) {
        return new ClientIdentity(clientId, username, Optional.empty(), "1883", "127.0.0.1:50000", protocolLevel);
    }

    public static ClientIdentity user(String username, String clientId) {
        return client(clientId, Optional.of(username), 4);
    }

    public static ClientIdentity anonymous(String clientId) {
        return client(clientId, Optional.empty(), 4);
    }
}
