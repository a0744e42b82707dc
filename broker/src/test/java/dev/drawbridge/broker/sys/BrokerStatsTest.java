package dev.drawbridge.broker.sys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The packet counters stay exact when several event loops count at once: totals are PUBLISH plus the others. */
class BrokerStatsTest {

    @Test
    void totalsCountEveryPacketAndPublishCountsOnlyPublish() throws InterruptedException {
        BrokerStats stats = new BrokerStats();
        List<Thread> loops = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread loop = new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    boolean publish = i % 4 != 0; // 7,500 PUBLISH and 2,500 others per thread
                    stats.messageReceived(publish);
                    stats.messageSent(publish);
                }
            });
            loops.add(loop);
            loop.start();
        }
        for (Thread loop : loops) {
            loop.join();
        }

        assertThat(stats.messagesReceived()).isEqualTo(40_000);
        assertThat(stats.publishReceived()).isEqualTo(30_000);
        assertThat(stats.messagesSent()).isEqualTo(40_000);
        assertThat(stats.publishSent()).isEqualTo(30_000);
    }
}
