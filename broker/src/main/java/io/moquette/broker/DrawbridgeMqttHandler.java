package io.moquette.broker;

import io.netty.channel.ChannelHandlerContext;

/**
 * Moquette's last pipeline handler, with its in-flight re-send moved onto the client's session loop. Moquette 0.17
 * re-sends unacknowledged PUBLISHes from the connection's I/O thread while the session loop acknowledges and releases
 * the same messages: the two race on a plain HashMap and on the payload's reference count (seen as an
 * IllegalReferenceCountException that closed a subscriber under a QoS 1 flood). On the session loop the re-send is in
 * line with everything else the session does.
 */
final class DrawbridgeMqttHandler extends NewNettyMQTTHandler {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DrawbridgeMqttHandler.class);

    private final PostOffice postOffice;

    DrawbridgeMqttHandler(MQTTConnectionFactory connections, PostOffice postOffice) {
        super(connections);
        this.postOffice = postOffice;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (!(evt instanceof InflightResender.ResendNotAckedPublishes)) {
            super.userEventTriggered(ctx, evt);
            return;
        }
        MQTTConnection connection = DrawbridgeAssembly.connectionOf(ctx.channel());
        String clientId = NettyUtils.clientID(ctx.channel());
        if (connection == null || clientId == null || !connection.isConnected()) {
            return;
        }
        postOffice.routeCommand(clientId, "resend in flight", () -> {
            try {
                if (connection.isConnected()) {
                    connection.resendNotAckedPublishes();
                }
            } catch (RuntimeException e) {
                // Never into the session loop: Moquette 0.17 loses the loop, and every client on it, on a throw.
                LOG.debug("Re-sending in-flight messages to {} failed: {}", clientId, e.toString());
            }
            return null;
        });
    }
}
