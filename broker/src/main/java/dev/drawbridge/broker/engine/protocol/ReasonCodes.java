package dev.drawbridge.broker.engine.protocol;

/** The MQTT 5 reason codes the engine sends (MQTT 5 section 2.4). */
final class ReasonCodes {

    static final int NO_MATCHING_SUBSCRIBERS = 0x10;
    static final int NO_SUBSCRIPTION_EXISTED = 0x11;
    static final int DISCONNECT_WITH_WILL = 0x04;
    static final int NOT_AUTHORIZED = 0x87;
    static final int PROTOCOL_ERROR = 0x82;
    static final int SESSION_TAKEN_OVER = 0x8E;
    static final int RECEIVE_MAXIMUM_EXCEEDED = 0x93;

    private ReasonCodes() {}
}
