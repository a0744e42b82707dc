package dev.drawbridge.broker.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drawbridge.broker.testing.TestPki;
import dev.drawbridge.broker.testing.TestPki.Issued;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link Bridges#ready} makes of the bridges before they start: a client context for each TLS bridge and none for
 * a plain one, every problem at its bridge's {@code connection} line, and no TLS bridge without its context.
 */
class BridgesTest {

    @TempDir
    Path dir;

    private TestPki pki;
    private Issued client;

    @BeforeEach
    void pki() throws Exception {
        pki = TestPki.create(dir, "remote");
        client = pki.client("bridge");
    }

    @Test
    void aTlsBridgeGetsAContextAndAPlainOneNone() throws Exception {
        Bridges.Ready ready = Bridges.ready(
                List.of(bridge("secure", Optional.of(tls(pki.caFile()))), bridge("plain", Optional.empty())));

        assertThat(ready.contexts()).containsOnlyKeys("secure");
        assertThat(ready.contexts().get("secure").isClient()).isTrue();
    }

    @Test
    void everyUnusableFileIsRefusedAtItsBridgesConnectionLine() {
        Path missing = dir.resolve("missing-ca.crt");
        Path alsoMissing = dir.resolve("also-missing-ca.crt");
        List<BridgeConfig> bridges = List.of(
                bridge("first", Optional.of(tls(missing))),
                bridge("fine", Optional.of(tls(pki.caFile()))),
                bridge("second", Optional.of(tls(alsoMissing))));

        assertThatThrownBy(() -> Bridges.ready(bridges))
                .isInstanceOfSatisfying(
                        BridgeStartException.class,
                        e -> assertThat(e.problems())
                                .containsExactly(
                                        "mosquitto.conf:12: connection first: " + missing + ": no such file",
                                        "mosquitto.conf:12: connection second: " + alsoMissing + ": no such file"));
    }

    /** Fail closed: a TLS bridge without its context would connect in the clear. */
    @Test
    void aTlsBridgeCannotBeReadyWithoutItsContext() {
        List<BridgeConfig> secure = List.of(bridge("secure", Optional.of(tls(pki.caFile()))));

        assertThatThrownBy(() -> new Bridges.Ready(secure, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("connection secure: a TLS bridge needs its client context");
    }

    private BridgeConfig.Tls tls(Path cafile) {
        return new BridgeConfig.Tls(
                Optional.of(cafile),
                Optional.empty(),
                Optional.of(client.cert()),
                Optional.of(client.key()),
                false,
                Optional.empty(),
                Optional.empty());
    }

    private static BridgeConfig bridge(String name, Optional<BridgeConfig.Tls> tls) {
        return new BridgeConfig(
                name,
                "mosquitto.conf:12",
                List.of(new BridgeConfig.Address("remote.example", 8883)),
                false,
                List.of(TopicMapping.out("#")),
                Optional.empty(),
                Optional.empty(),
                BridgeConfig.Credentials.NONE,
                BridgeConfig.Credentials.NONE,
                false,
                Optional.empty(),
                true,
                true,
                false,
                Optional.empty(),
                Duration.ofSeconds(60),
                BridgeConfig.Restart.DEFAULT,
                BridgeConfig.ProtocolVersion.MQTT_3_1_1,
                tls,
                BridgeConfig.StartType.AUTOMATIC,
                Duration.ofSeconds(60),
                10);
    }
}
