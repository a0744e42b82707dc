package dev.drawbridge.broker.it.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.it.differential.DrawbridgeBroker;
import dev.drawbridge.broker.it.differential.Frame;
import dev.drawbridge.broker.it.differential.RawConnection;
import dev.drawbridge.broker.it.engine.Mqtt5IT.V5;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An MQTT 5 will waiting out its delay when the broker stops is kept in the store with the session: after the restart
 * it is published when it falls due, unless its client came back first (a crash is the store's side:
 * EngineStoreFileTest).
 */
class DelayedWillRestartIT {

    private static final Duration ANSWER = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    @Test
    void aDelayedWillOutlivesARestartAndIsDroppedIfItsClientCameBack() throws Exception {
        List<String> persistence =
                List.of("persistence true", "persistence_location " + Files.createDirectories(dir.resolve("store")));
        try (Drawbridge before = DrawbridgeBroker.start(dir.resolve("before"), persistence)) {
            for (String owner : List.of("wd-gone", "wd-back")) {
                RawConnection connection = RawConnection.open(before.port());
                connection.send(V5.connect(owner, 3600, 60, new V5.Will("wd/" + owner, 8)));
                connection.expect(Frame.CONNACK, ANSWER);
                connection.close(); // lost without DISCONNECT: the will waits out its 8 s
            }
            Thread.sleep(300); // the broker sees both sockets close
        }
        try (Drawbridge after = DrawbridgeBroker.start(dir.resolve("after"), persistence);
                RawConnection watcher = RawConnection.open(after.port());
                RawConnection back = RawConnection.open(after.port())) {
            back.send(V5.connect("wd-back", 3600, 60, null, false));
            assertThat(back.expect(Frame.CONNACK, ANSWER).sessionPresent()).isTrue();
            watcher.send(V5.connect("wd-watcher", 0, 60, null));
            watcher.expect(Frame.CONNACK, ANSWER);
            watcher.send(V5.subscribe(1, "wd/#", 0, 0));
            watcher.expect(Frame.SUBACK, ANSWER);

            Frame will = watcher.expect(Frame.PUBLISH, Duration.ofSeconds(15));
            assertThat(V5.topicOf(will)).isEqualTo("wd/wd-gone");
            watcher.send(V5.PINGREQ);
            assertThat(watcher.expectFrame(ANSWER).type())
                    .as("nothing but the ping answer: wd-back's will was dropped when it came back")
                    .isEqualTo(Frame.PINGRESP);
        }
    }
}
