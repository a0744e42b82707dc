package dev.drawbridge.broker.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The first bytes of a connection, judged before anything is buffered: a CONNECT of at most 256 KiB (README, "Bounded
 * resources" and the Limits table), nothing else. Only the fixed header is given, as a stranger would send it.
 */
class FirstPacketGuardTest {

    private final EmbeddedChannel channel = new EmbeddedChannel();

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    static Stream<Arguments> firstBytes() {
        return Stream.of(
                Arguments.of("nothing yet", "", FirstPacketGuard.NEED_MORE),
                Arguments.of("a CONNECT type byte, no length yet", "10", FirstPacketGuard.NEED_MORE),
                Arguments.of("a small CONNECT", "10 0d   # CONNECT, remaining length 13", FirstPacketGuard.ACCEPT),
                Arguments.of(
                        "a CONNECT of exactly 256 KiB",
                        "10 80 80 10   # CONNECT, remaining length 262,144",
                        FirstPacketGuard.ACCEPT),
                Arguments.of(
                        "a CONNECT one byte over 256 KiB",
                        "10 81 80 10   # CONNECT, remaining length 262,145",
                        FirstPacketGuard.REFUSE),
                Arguments.of(
                        "a length still undecided after three bytes",
                        "10 80 80 80   # CONNECT, remaining length continues",
                        FirstPacketGuard.NEED_MORE),
                Arguments.of(
                        "a length of five bytes",
                        "10 80 80 80 80 01   # CONNECT, a remaining length MQTT cannot encode",
                        FirstPacketGuard.REFUSE),
                Arguments.of("a PUBLISH first", "30 05   # PUBLISH QoS 0, remaining length 5", FirstPacketGuard.REFUSE),
                Arguments.of(
                        "a CONNECT with flags", "11 0d   # CONNECT with a reserved flag set", FirstPacketGuard.REFUSE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("firstBytes")
    void judgesTheFirstPacketOnItsFixedHeader(String description, String hex, int expected) {
        ByteBuf bytes = Hex.buffer(hex);
        try {
            assertThat(FirstPacketGuard.judge(bytes, channel)).as(description).isEqualTo(expected);
            assertThat(bytes.readerIndex()).as("judging reads nothing").isZero();
        } finally {
            bytes.release();
        }
    }
}
