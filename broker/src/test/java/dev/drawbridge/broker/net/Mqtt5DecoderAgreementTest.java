package dev.drawbridge.broker.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every MQTT 5 packet the frame rules accept (the accepted rows of {@link Mqtt5FrameRulesTest}) goes through the
 * listener's validator into Netty's decoder, after an MQTT 5 CONNECT, and Netty decodes it: what the rules let through
 * is something the pipeline can read.
 */
class Mqtt5DecoderAgreementTest {

    private static final String CONNECT = "10 0e 0004 4d515454 05 02 003c 00 0001 68";

    static Stream<Arguments> accepted() {
        return Stream.of(
                        Mqtt5FrameRulesTest.connects(),
                        Mqtt5FrameRulesTest.publishes(),
                        Mqtt5FrameRulesTest.acknowledgements(),
                        Mqtt5FrameRulesTest.subscriptions(),
                        Mqtt5FrameRulesTest.others())
                .flatMap(s -> s)
                .filter(row -> row.get()[2].equals("accepted"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void nettyDecodesWhatTheRulesAccept(String what, String hexWithComments, String verdict) {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameValidator(1 << 20), new MqttDecoder(1 << 20));
        List<MqttMessage> decoded = new ArrayList<>();
        try {
            boolean connect = hexWithComments.strip().startsWith("10");
            String packets = connect ? hexWithComments : CONNECT + "\n" + hexWithComments;
            channel.writeInbound(Hex.buffer(packets));
            for (Object m = channel.readInbound(); m != null; m = channel.readInbound()) {
                decoded.add((MqttMessage) m);
            }
            assertThat(decoded).as(what).hasSize(connect ? 1 : 2);
            MqttMessage last = decoded.get(decoded.size() - 1);
            assertThat(last.decoderResult().cause())
                    .as("%s: Netty's decoder on %s", what, last)
                    .isNull();
        } finally {
            decoded.forEach(ReferenceCountUtil::release); // a PUBLISH holds its payload
            channel.finishAndReleaseAll();
        }
    }
}
