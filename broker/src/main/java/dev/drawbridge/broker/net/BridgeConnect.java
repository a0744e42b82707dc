package dev.drawbridge.broker.net;

/**
 * The event by which {@link FrameValidator} tells the front handler that the CONNECT it passes on next came from a
 * bridge (protocol level 0x84 or 0x83, Mosquitto's {@code try_private}). Netty's decoder knows levels 3 to 5 only, so
 * the validator clears the bit in the bytes it passes on; this event is what is left of it.
 */
enum BridgeConnect {
    EVENT
}
