package dev.drawbridge.broker.engine.protocol;

import dev.drawbridge.broker.engine.codec.AckEncoder;

/** PINGREQ (MQTT 3.1.1 section 3.12): PINGRESP. Any packet already re-armed the keepalive. */
final class PingHandler {

    private PingHandler() {}

    static void handle(Connection connection) {
        connection.link.write(AckEncoder.pingResp(connection.link.alloc()));
    }
}
