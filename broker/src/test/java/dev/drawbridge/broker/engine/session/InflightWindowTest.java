package dev.drawbridge.broker.engine.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.engine.message.PublishedMessage;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** Packet ids of deliveries in flight: in order, wrapping at 65535, never one still in use. */
class InflightWindowTest {

    private static Outgoing delivery() {
        return new Outgoing(PublishedMessage.of("t", 1, false, Unpooled.EMPTY_BUFFER, null), 1, false, -1);
    }

    @Test
    void idsStartAtOneAndFollowEachOther() {
        InflightWindow window = new InflightWindow();
        Outgoing a = delivery();
        Outgoing b = delivery();

        window.send(a);
        window.send(b);

        assertThat(a.packetId).isEqualTo(1);
        assertThat(b.packetId).isEqualTo(2);
        assertThat(window.find(2)).isSameAs(b);
        assertThat(window.find(3)).isNull();
    }

    @Test
    void afterWrappingAnIdStillInFlightIsSkipped() {
        InflightWindow window = new InflightWindow();
        Outgoing first = delivery();
        window.send(first); // id 1, never acknowledged
        for (int id = 2; id <= 65_535; id++) {
            Outgoing o = delivery();
            window.send(o);
            window.remove(o);
        }

        Outgoing next = delivery();
        window.send(next);

        assertThat(next.packetId).as("1 is still in flight").isEqualTo(2);
        assertThat(window.size()).isEqualTo(2);
    }

    @Test
    void aRestoredDeliveryKeepsItsIdAndTheNextOneAvoidsIt() {
        InflightWindow window = new InflightWindow();
        Outgoing restored = delivery();
        restored.packetId = 65_535;
        Outgoing stored = delivery();
        stored.packetId = 1;
        window.restore(stored);
        window.restore(restored);

        Outgoing next = delivery();
        window.send(next);

        assertThat(next.packetId)
                .as("after 65535 comes 1, which a restored delivery holds")
                .isEqualTo(2);
        assertThat(window.find(65_535)).isSameAs(restored);
    }
}
