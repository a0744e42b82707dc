package dev.drawbridge.broker.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.testing.LogCapture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code max_pending_connections_per_address}: the count per address, the oldest closed, release, the log. */
class PendingConnectionsTest {

    private final AtomicLong clock = new AtomicLong();
    private final LogCapture log = LogCapture.connections();
    private final List<String> closed = new ArrayList<>();

    @AfterEach
    void stopCapture() {
        log.close();
    }

    private PendingConnections.Ticket open(PendingConnections pending, String address, int port) {
        String peer = address + ":" + port;
        return pending.open(address, peer, () -> closed.add(peer));
    }

    @Test
    void theOldestSocketIsClosedToMakeRoomAndTheNewcomerCounts() {
        PendingConnections pending = new PendingConnections(2, clock::get);

        open(pending, "10.0.0.1", 5000);
        open(pending, "10.0.0.1", 5001);
        assertThat(closed).isEmpty();
        open(pending, "10.0.0.1", 5002);

        assertThat(closed).as("the oldest of the address, never the newcomer").containsExactly("10.0.0.1:5000");
        assertThat(pending.pending("10.0.0.1")).isEqualTo(2);
        open(pending, "10.0.0.2", 5000);
        assertThat(closed).as("another address is not affected").containsExactly("10.0.0.1:5000");
    }

    @Test
    void aReleasedSocketMakesRoomAndAnAddressWithNothingPendingIsForgotten() {
        PendingConnections pending = new PendingConnections(1, clock::get);
        PendingConnections.Ticket first = open(pending, "10.0.0.1", 5000);

        pending.release(first);

        assertThat(pending.pending("10.0.0.1")).isZero();
        PendingConnections.Ticket second = open(pending, "10.0.0.1", 5001);
        assertThat(closed).isEmpty();
        pending.release(second);
        pending.release(second); // a release too many changes nothing
        pending.release(first);
        assertThat(pending.pending("10.0.0.1")).isZero();
    }

    @Test
    void aClosedOldestSocketThatReleasesLaterDoesNotFreeANewcomersPlace() {
        PendingConnections pending = new PendingConnections(1, clock::get);
        PendingConnections.Ticket oldest = open(pending, "10.0.0.1", 5000);
        open(pending, "10.0.0.1", 5001); // closes the oldest

        pending.release(oldest); // its close arrives

        assertThat(pending.pending("10.0.0.1")).isEqualTo(1);
    }

    @Test
    void aSocketChosenAsTheOldestIsToldSoWhenItsConnectIsAcceptedAfterwards() {
        PendingConnections pending = new PendingConnections(1, clock::get);
        PendingConnections.Ticket oldest = open(pending, "10.0.0.1", 5000);
        PendingConnections.Ticket newcomer = open(pending, "10.0.0.1", 5001); // closes the oldest

        assertThat(pending.release(oldest))
                .as("its CONNECT must not be answered: its close is on its way")
                .isFalse();
        assertThat(pending.release(newcomer))
                .as("the newcomer's CONNECT is answered")
                .isTrue();
        assertThat(closed).containsExactly("10.0.0.1:5000");
    }

    @Test
    void eachIpv6AddressCountsOnItsOwnNotPerSlash64() {
        PendingConnections pending = new PendingConnections(1, clock::get);

        open(pending, "2001:db8:0:1:0:0:0:1", 5000);
        open(pending, "2001:db8:0:1:0:0:0:2", 5000);
        assertThat(closed).as("two addresses of one /64").isEmpty();
        open(pending, "2001:db8:0:1:0:0:0:1", 5001);

        assertThat(closed).as("the same address again").containsExactly("2001:db8:0:1:0:0:0:1:5000");
        assertThat(pending.pending("2001:db8:0:1:0:0:0:2")).isEqualTo(1);
    }

    @Test
    void zeroMeansNoLimit() {
        PendingConnections pending = new PendingConnections(0, clock::get);

        for (int i = 0; i < 1000; i++) {
            assertThat(open(pending, "10.0.0.1", i)).isNull();
        }
        assertThat(closed).isEmpty();
    }

    @Test
    void closesAreLoggedOnceAMinutePerAddress() {
        PendingConnections pending = new PendingConnections(1, clock::get);
        open(pending, "10.0.0.1", 5000);
        open(pending, "10.0.0.2", 5000);

        for (int i = 1; i <= 100; i++) {
            open(pending, "10.0.0.1", 5000 + i);
        }
        open(pending, "10.0.0.2", 5001);
        clock.addAndGet(Duration.ofSeconds(59).toNanos());
        open(pending, "10.0.0.1", 6000);
        clock.addAndGet(Duration.ofSeconds(1).toNanos());
        open(pending, "10.0.0.1", 6001);

        assertThat(closed).hasSize(103);
        assertThat(log.messages())
                .containsExactly(
                        "Connection from 10.0.0.1:5000 closed: 1 connections from 10.0.0.1 have not completed a"
                                + " CONNECT (max_pending_connections_per_address 1), and it is the oldest; further such"
                                + " closes for 10.0.0.1 are not logged for a minute.",
                        "Connection from 10.0.0.2:5000 closed: 1 connections from 10.0.0.2 have not completed a"
                                + " CONNECT (max_pending_connections_per_address 1), and it is the oldest; further such"
                                + " closes for 10.0.0.2 are not logged for a minute.",
                        "Connection from 10.0.0.1:6000 closed: 1 connections from 10.0.0.1 have not completed a"
                                + " CONNECT (max_pending_connections_per_address 1), and it is the oldest; further such"
                                + " closes for 10.0.0.1 are not logged for a minute.");
    }

    @Test
    void aFloodFromVeryManyAddressesDoesNotGrowTheMemoryOfClosesWithoutBound() {
        PendingConnections pending = new PendingConnections(1, clock::get);
        for (int i = 0; i < 5000; i++) {
            String address = "10.1." + (i / 256) + "." + (i % 256);
            open(pending, address, 1);
            open(pending, address, 2); // closes the first
        }

        assertThat(log.messages()).hasSize(1024);
    }
}
