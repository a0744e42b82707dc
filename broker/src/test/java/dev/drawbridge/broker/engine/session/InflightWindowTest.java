package dev.drawbridge.broker.engine.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.engine.message.PublishedMessage;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
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

    @Test
    void removingFromTheMiddleAndGrowingPastTheFirstRingKeepTheOrderSent() {
        InflightWindow window = new InflightWindow();
        List<Outgoing> sent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Outgoing o = delivery();
            window.send(o);
            sent.add(o);
        }
        window.remove(sent.get(0)); // the oldest, as an in-order PUBACK
        window.remove(sent.get(1)); // the ring's start has moved on
        sent.subList(0, 2).clear();
        for (int i = 0; i < 9; i++) { // past the first ring of 4, wrapped
            Outgoing o = delivery();
            window.send(o);
            sent.add(o);
        }
        Outgoing middle = sent.remove(4);

        window.remove(middle);

        assertThat(window.size()).isEqualTo(9);
        assertThat(window).containsExactlyElementsOf(sent);
        assertThat(window.find(middle.packetId)).as("its id is free").isNull();
        assertThat(window.find(sent.get(8).packetId)).isSameAs(sent.get(8));
        window.remove(middle);
        assertThat(window.size()).as("removing it twice changes nothing").isEqualTo(9);
    }
}
