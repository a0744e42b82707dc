package dev.drawbridge.broker.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.BinaryProperty;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.StringProperty;
import io.netty.handler.codec.mqtt.MqttProperties.UserProperty;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption.RetainedHandlingPolicy;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The MQTT 5 rules against packets that Netty's own {@link MqttEncoder} writes: every valid property set, subscription
 * option and reason code a client may send is accepted; and on any bytes at all the rules answer instead of reading
 * past the packet.
 */
class Mqtt5FrameRulesPropertyTest {

    /** One property a packet may carry: its identifier and a value valid for it. */
    record Prop(int id, Object value) {}

    @Property(tries = 300)
    void anyValidConnectIsAccepted(
            @ForAll("connectProperties") List<Prop> properties,
            @ForAll("willProperties") List<Prop> willProperties,
            @ForAll boolean will,
            @ForAll @IntRange(max = 2) int willQos,
            @ForAll boolean username,
            @ForAll boolean password,
            @ForAll("strings") String clientId) {
        MqttMessageBuilders.ConnectBuilder connect = MqttMessageBuilders.connect()
                .protocolVersion(MqttVersion.MQTT_5)
                .clientId(clientId)
                .cleanSession(true)
                .keepAlive(60)
                .properties(netty(properties))
                .willFlag(will)
                .hasUser(username)
                .hasPassword(password);
        if (will) {
            connect.willTopic("w/" + clientId)
                    .willQoS(MqttQoS.valueOf(willQos))
                    .willMessage(new byte[] {0, (byte) 0xff})
                    .willProperties(netty(willProperties));
        }
        if (username) {
            connect.username("u" + clientId);
        }
        if (password) {
            connect.password(new byte[] {(byte) 0xc0, (byte) 0xaf});
        }
        assertAccepted(connect.build());
    }

    @Property(tries = 300)
    void anyValidPublishIsAccepted(
            @ForAll("publishProperties") List<Prop> properties,
            @ForAll @IntRange(max = 2) int qos,
            @ForAll boolean retain,
            @ForAll("topics") String topic,
            @ForAll @IntRange(min = 1, max = 65_535) int alias,
            @ForAll @Size(max = 64) byte[] payload) {
        MqttProperties netty = netty(properties);
        if (topic.isEmpty()) {
            netty.add(new IntegerProperty(Mqtt5Properties.TOPIC_ALIAS, alias));
        }
        assertAccepted(MqttMessageBuilders.publish()
                .topicName(topic)
                .qos(MqttQoS.valueOf(qos))
                .retained(retain)
                .messageId(qos == 0 ? 0 : alias)
                .properties(netty)
                .payload(Unpooled.wrappedBuffer(payload))
                .build());
    }

    @Property(tries = 300)
    void anyValidSubscribeIsAccepted(
            @ForAll @IntRange(max = 268_435_455) int subscriptionIdentifier,
            @ForAll("userProperties") List<Prop> userProperties,
            @ForAll @Size(min = 1, max = 4) List<@IntRange(max = 71) Integer> options,
            @ForAll("topics") String filter) {
        List<Prop> properties = new ArrayList<>(userProperties);
        if (subscriptionIdentifier > 0) {
            properties.add(new Prop(Mqtt5Properties.SUBSCRIPTION_IDENTIFIER, subscriptionIdentifier));
        }
        MqttMessageBuilders.SubscribeBuilder subscribe =
                MqttMessageBuilders.subscribe().messageId(7).properties(netty(properties));
        for (int option : options) {
            // option: QoS (0-2) + 3 x (no local, retain as published) + 12 x retain handling (0-2), all 72 valid kinds
            boolean noLocal = option / 3 % 2 == 1;
            String topicFilter = noLocal ? "a/" + filter : "$share/g/" + filter;
            subscribe.addSubscription(
                    topicFilter,
                    new MqttSubscriptionOption(
                            MqttQoS.valueOf(option % 3),
                            noLocal,
                            option / 6 % 2 == 1,
                            RetainedHandlingPolicy.valueOf(option / 12 % 3)));
        }
        assertAccepted(subscribe.build());
    }

    @Property(tries = 200)
    void anyValidAcknowledgementDisconnectOrAuthIsAccepted(
            @ForAll @IntRange(max = 3) int kind,
            @ForAll @IntRange(max = 20) int codeIndex,
            @ForAll("strings") String reason,
            @ForAll("userProperties") List<Prop> userProperties) {
        List<Prop> properties = new ArrayList<>(userProperties);
        if (!reason.isEmpty()) {
            properties.add(new Prop(0x1F, reason));
        }
        int[] codes = switch (kind) {
            case 0 -> new int[] {0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99};
            case 1 -> new int[] {0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x90, 0x93, 0x94, 0x95, 0x96, 0x98};
            default -> new int[] {0x00, 0x18, 0x19};
        };
        byte code = (byte) codes[codeIndex % codes.length];
        MqttMessage message = switch (kind) {
            case 0 ->
                MqttMessageBuilders.pubAck()
                        .packetId(3)
                        .reasonCode(code)
                        .properties(netty(properties))
                        .build();
            case 1 ->
                MqttMessageBuilders.disconnect()
                        .reasonCode(code)
                        .properties(netty(properties))
                        .build();
            case 2 ->
                MqttMessageBuilders.unsubscribe()
                        .messageId(9)
                        .addTopicFilter("a/" + reason)
                        .properties(netty(userProperties))
                        .build();
            default -> {
                properties.add(new Prop(0x15, "SCRAM-SHA-1"));
                yield MqttMessageBuilders.auth()
                        .reasonCode(code)
                        .properties(netty(properties))
                        .build();
            }
        };
        assertAccepted(message);
    }

    @Property(tries = 2000)
    void onAnyBytesTheRulesAnswerWithoutReadingPastThePacket(
            @ForAll @IntRange(max = 255) int first, @ForAll @Size(max = 40) byte[] body) {
        ByteBuf packet = Unpooled.wrappedBuffer(body);
        assertThatCode(() -> {
                    if (Mqtt5FrameRules.header(first) == null) {
                        Mqtt5FrameRules.body(first, packet, 0, body.length);
                    }
                })
                .doesNotThrowAnyException();
    }

    @Property(tries = 500)
    void aValidPacketCutShortIsRefused(
            @ForAll("publishProperties") List<Prop> properties, @ForAll @IntRange(min = 1, max = 200) int cut) {
        ByteBuf packet = encode(MqttMessageBuilders.connect()
                .protocolVersion(MqttVersion.MQTT_5)
                .clientId("cut")
                .willFlag(true)
                .willTopic("w")
                .willMessage(new byte[] {1})
                .willProperties(netty(properties))
                .build());
        int body = packet.getUnsignedByte(1) < 0x80 ? 2 : 3;
        int length = packet.readableBytes() - body;
        int shorter = Math.max(0, length - cut);
        MalformedPacket problem = Mqtt5FrameRules.body(0x10, packet, body, shorter);
        assertThat(problem)
                .as("a CONNECT of %d bytes cut to %d", length, shorter)
                .isNotNull();
    }

    private static void assertAccepted(MqttMessage message) {
        ByteBuf packet = encode(message);
        String hex = io.netty.buffer.ByteBufUtil.hexDump(packet);
        assertThat(Mqtt5FrameRulesTest.judge(message.toString(), packet))
                .as("%s encoded by Netty as %s", message.fixedHeader().messageType(), hex)
                .isNull();
    }

    /** The bytes Netty writes for this message on an MQTT 5 connection (a CONNECT sets the version first). */
    private static ByteBuf encode(MqttMessage message) {
        EmbeddedChannel channel = new EmbeddedChannel(MqttEncoder.INSTANCE);
        try {
            if (!(message instanceof MqttConnectMessage)) {
                channel.writeOutbound(MqttMessageBuilders.connect()
                        .protocolVersion(MqttVersion.MQTT_5)
                        .clientId("v5")
                        .build());
                ((ByteBuf) channel.readOutbound()).release();
            }
            channel.writeOutbound(message);
            ByteBuf out = channel.readOutbound();
            ByteBuf copy = Unpooled.copiedBuffer(out);
            out.release();
            return copy;
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    private static MqttProperties netty(List<Prop> properties) {
        MqttProperties netty = new MqttProperties();
        for (Prop p : properties) {
            if (p.id() == Mqtt5Properties.USER_PROPERTY) {
                String[] pair = (String[]) p.value();
                netty.add(new UserProperty(pair[0], pair[1]));
            } else if (p.value() instanceof Integer i) {
                netty.add(new IntegerProperty(p.id(), i));
            } else if (p.value() instanceof byte[] b) {
                netty.add(new BinaryProperty(p.id(), b));
            } else {
                netty.add(new StringProperty(p.id(), (String) p.value()));
            }
        }
        return netty;
    }

    @Provide
    Arbitrary<String> strings() {
        return Arbitraries.strings()
                .withCharRange('a', 'z')
                .withChars('/', ' ', 'é', 'ß', '日', '\uFEFF')
                .ofMaxLength(12)
                .map(s -> s.length() % 5 == 4 ? s + "\uD83D\uDE00" : s); // and sometimes a 4-byte character
    }

    @Provide
    Arbitrary<String> topics() {
        return Arbitraries.strings().withCharRange('a', 'c').withChars('/').ofMaxLength(8);
    }

    @Provide
    Arbitrary<List<Prop>> userProperties() {
        return Arbitraries.lazy(() -> userProperty().list().ofMaxSize(3));
    }

    @Provide
    Arbitrary<List<Prop>> connectProperties() {
        return subsetOf(List.of(
                Arbitraries.integers().between(0, Integer.MAX_VALUE).map(v -> new Prop(0x11, v)),
                Arbitraries.integers().between(1, 65_535).map(v -> new Prop(0x21, v)),
                Arbitraries.integers().between(1, Integer.MAX_VALUE).map(v -> new Prop(0x27, v)),
                Arbitraries.integers().between(0, 65_535).map(v -> new Prop(0x22, v)),
                Arbitraries.integers().between(0, 1).map(v -> new Prop(0x19, v)),
                Arbitraries.integers().between(0, 1).map(v -> new Prop(0x17, v)),
                strings().map(v -> new Prop(0x15, v))));
    }

    @Provide
    Arbitrary<List<Prop>> willProperties() {
        return subsetOf(List.of(
                Arbitraries.integers().between(0, Integer.MAX_VALUE).map(v -> new Prop(0x18, v)),
                Arbitraries.integers().between(0, 1).map(v -> new Prop(0x01, v)),
                Arbitraries.integers().between(0, Integer.MAX_VALUE).map(v -> new Prop(0x02, v)),
                strings().map(v -> new Prop(0x03, v)),
                topics().map(v -> new Prop(0x08, "r/" + v)),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(8).map(v -> new Prop(0x09, v))));
    }

    @Provide
    Arbitrary<List<Prop>> publishProperties() {
        return subsetOf(List.of(
                Arbitraries.integers().between(0, 1).map(v -> new Prop(0x01, v)),
                Arbitraries.integers().between(0, Integer.MAX_VALUE).map(v -> new Prop(0x02, v)),
                strings().map(v -> new Prop(0x03, v)),
                topics().map(v -> new Prop(0x08, "r/" + v)),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(8).map(v -> new Prop(0x09, v))));
    }

    private Arbitrary<Prop> userProperty() {
        return strings().tuple2().map(t -> new Prop(Mqtt5Properties.USER_PROPERTY, new String[] {t.get1(), t.get2()}));
    }

    /** Each property at most once, in any order, plus up to three user properties. */
    private Arbitrary<List<Prop>> subsetOf(List<Arbitrary<Prop>> each) {
        Arbitrary<List<Prop>> some = Arbitraries.subsetOf(each).flatMap(chosen -> {
            List<Arbitrary<Prop>> list = new ArrayList<>(chosen);
            return list.isEmpty()
                    ? Arbitraries.just(List.of())
                    : net.jqwik.api.Combinators.combine(list).as(props -> props);
        });
        return some.flatMap(props -> userProperties().map(users -> {
            List<Prop> all = new ArrayList<>(props);
            all.addAll(users);
            return all;
        }));
    }
}
