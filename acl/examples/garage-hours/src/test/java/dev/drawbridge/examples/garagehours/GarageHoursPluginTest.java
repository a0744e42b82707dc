package dev.drawbridge.examples.garagehours;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drawbridge.acl.spi.Access;
import dev.drawbridge.acl.spi.AccessRequest;
import dev.drawbridge.acl.spi.Authorizer;
import dev.drawbridge.acl.spi.ClientIdentity;
import dev.drawbridge.acl.spi.Decision;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The plugin on its own, without a broker: options in, decisions out. */
class GarageHoursPluginTest {

    private static Authorizer authorizerAt(String now) {
        GarageHoursPlugin plugin = new GarageHoursPlugin();
        plugin.init(Map.of("zone", "Europe/Berlin", "now", now));
        return plugin.authorizer();
    }

    private static AccessRequest request(String user, Access access, String topic) {
        ClientIdentity identity = new ClientIdentity(
                user + "-1", Optional.of(user), Optional.empty(), "1883", "192.0.2.7:50000", 4);
        return new AccessRequest(identity, access, topic, 1, false);
    }

    @Test
    void theControllerMayPublishDuringOpeningHours() {
        Authorizer at9 = authorizerAt("2026-01-15T08:00:00Z"); // 09:00 in Berlin

        assertEquals(
                Decision.Verdict.ALLOW,
                at9.authorize(request("garage-controller", Access.PUBLISH, "garage/cmd"))
                        .verdict());
    }

    @Test
    void nobodyMayPublishAtNight() {
        Authorizer at3 = authorizerAt("2026-01-15T02:00:00Z"); // 03:00 in Berlin

        assertEquals(
                Decision.Verdict.DENY,
                at3.authorize(request("garage-controller", Access.PUBLISH, "garage/cmd"))
                        .verdict());
    }

    @Test
    void otherUsersAreDeniedAndOtherRequestsLeftToTheAclFile() {
        Authorizer at9 = authorizerAt("2026-01-15T08:00:00Z");

        assertEquals(
                Decision.Verdict.DENY,
                at9.authorize(request("alice", Access.PUBLISH, "garage/cmd")).verdict());
        assertEquals(
                Decision.Verdict.ABSTAIN,
                at9.authorize(request("alice", Access.READ, "garage/cmd")).verdict());
        assertEquals(
                Decision.Verdict.ABSTAIN,
                at9.authorize(request("alice", Access.PUBLISH, "garage/state")).verdict());
    }

    @Test
    void anUnknownOptionIsRefusedByName() {
        GarageHoursPlugin plugin = new GarageHoursPlugin();

        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> plugin.init(Map.of("colour", "red")));

        assertTrue(e.getMessage().startsWith("plugin_opt_colour: unknown option"), e.getMessage());
    }
}
