package dev.drawbridge.broker.net;

/**
 * The event {@link FrameValidator} sends down the pipeline when a client's packet breaks the protocol: the front
 * handler logs it with the client's name and address, once, and closes the connection.
 *
 * @param reason why the packet was refused, for the log
 */
record MalformedPacket(String reason) {}
