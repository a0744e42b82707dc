package dev.drawbridge.broker.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClientHelloVersionTest {

    /** The first bytes of a ClientHello whose client_version is {@code version}. */
    private static byte[] clientHello(int version) {
        return new byte[] {
            0x16, // record type: handshake
            0x03,
            0x01, // record version (TLS 1.0, as clients write it)
            0x00,
            0x30, // record length
            0x01, // handshake type: ClientHello
            0x00,
            0x00,
            0x2c, // handshake length
            (byte) (version >> 8),
            (byte) version, // client_version
            0x00,
            0x00 // the start of the random
        };
    }

    @ParameterizedTest(name = "client_version {0}: {1}")
    @CsvSource({"0x0300, SSLv3", "0x0301, TLSv1", "0x0302, TLSv1.1", "0x0303, ", "0x0304, "})
    void notesAVersionBelowTls12AndPassesTheBytesOnUnchanged(String version, @Nullable String noted) {
        byte[] hello = clientHello(Integer.decode(version));
        AtomicReference<@Nullable String> seen = new AtomicReference<>();
        EmbeddedChannel channel = new EmbeddedChannel(ClientHelloVersion.INSTANCE, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                seen.set(ClientHelloVersion.of(ctx));
                ctx.fireChannelRead(msg);
            }
        });

        channel.writeInbound(Unpooled.wrappedBuffer(hello));

        assertThat(seen.get()).isEqualTo(noted);
        ByteBuf passed = channel.readInbound();
        assertThat(io.netty.buffer.ByteBufUtil.getBytes(passed)).isEqualTo(hello);
        passed.release();
        assertThat(channel.pipeline().get(ClientHelloVersion.class))
                .as("looks once")
                .isNull();
        channel.finishAndReleaseAll();
    }
}
