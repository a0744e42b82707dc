package dev.drawbridge.broker.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.testing.LogCapture;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code max_pending_connections_per_address}: the count per address, its release and the log of refusals. */
class PendingConnectionsTest {

    private final AtomicLong clock = new AtomicLong();
    private final LogCapture log = LogCapture.connections();

    @AfterEach
    void stopCapture() {
        log.close();
    }

    @Test
    void theSocketBeyondTheLimitIsRefusedAndNotCounted() {
        PendingConnections pending = new PendingConnections(2, clock::get);

        assertThat(pending.open("10.0.0.1", "10.0.0.1:5000")).isTrue();
        assertThat(pending.open("10.0.0.1", "10.0.0.1:5001")).isTrue();
        assertThat(pending.open("10.0.0.1", "10.0.0.1:5002"))
                .as("the third from one address")
                .isFalse();

        assertThat(pending.pending("10.0.0.1")).isEqualTo(2);
        assertThat(pending.open("10.0.0.2", "10.0.0.2:5000"))
                .as("another address")
                .isTrue();
    }

    @Test
    void aReleasedSocketMakesRoomAndAnAddressWithNothingPendingIsForgotten() {
        PendingConnections pending = new PendingConnections(1, clock::get);
        pending.open("10.0.0.1", "10.0.0.1:5000");

        pending.release("10.0.0.1");

        assertThat(pending.pending("10.0.0.1")).isZero();
        assertThat(pending.open("10.0.0.1", "10.0.0.1:5001")).isTrue();
        pending.release("10.0.0.1");
        pending.release("10.0.0.1"); // a release too many never goes below zero
        assertThat(pending.pending("10.0.0.1")).isZero();
    }

    @Test
    void zeroMeansNoLimit() {
        PendingConnections pending = new PendingConnections(0, clock::get);

        for (int i = 0; i < 1000; i++) {
            assertThat(pending.open("10.0.0.1", "10.0.0.1:" + i)).isTrue();
        }
    }

    @Test
    void refusalsAreLoggedOnceAMinutePerAddress() {
        PendingConnections pending = new PendingConnections(1, clock::get);
        pending.open("10.0.0.1", "10.0.0.1:5000");
        pending.open("10.0.0.2", "10.0.0.2:5000");

        for (int i = 1; i <= 100; i++) {
            pending.open("10.0.0.1", "10.0.0.1:" + (5000 + i));
        }
        pending.open("10.0.0.2", "10.0.0.2:5001");
        clock.addAndGet(Duration.ofSeconds(59).toNanos());
        pending.open("10.0.0.1", "10.0.0.1:6000");
        clock.addAndGet(Duration.ofSeconds(1).toNanos());
        pending.open("10.0.0.1", "10.0.0.1:6001");

        assertThat(log.messages())
                .containsExactly(
                        "Connection from 10.0.0.1:5001 refused: 1 connections from 10.0.0.1 have not completed a"
                                + " CONNECT (max_pending_connections_per_address 1); further refusals of 10.0.0.1 are"
                                + " not logged for a minute.",
                        "Connection from 10.0.0.2:5001 refused: 1 connections from 10.0.0.2 have not completed a"
                                + " CONNECT (max_pending_connections_per_address 1); further refusals of 10.0.0.2 are"
                                + " not logged for a minute.",
                        "Connection from 10.0.0.1:6001 refused: 1 connections from 10.0.0.1 have not completed a"
                                + " CONNECT (max_pending_connections_per_address 1); further refusals of 10.0.0.1 are"
                                + " not logged for a minute.");
    }

    @Test
    void aFloodFromVeryManyAddressesDoesNotGrowTheMemoryOfRefusalsWithoutBound() {
        PendingConnections pending = new PendingConnections(1, clock::get);
        for (int i = 0; i < 5000; i++) {
            String address = "10.1." + (i / 256) + "." + (i % 256);
            pending.open(address, address + ":1");
            pending.open(address, address + ":2"); // refused
        }

        assertThat(log.messages()).hasSize(1024);
    }
}
