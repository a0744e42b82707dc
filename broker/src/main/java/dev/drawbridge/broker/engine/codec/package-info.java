/**
 * Encoding of the packets the engine sends: PUBLISH without copying the payload, and the small acknowledgements; and
 * the views of a decoded message's MQTT 5 properties that the listener layer and bridges share (what is forwarded, the
 * user properties as the plugin SPI shows them). Decoding stays in front of the engine, in the listener layer. Pure
 * functions over buffers: no state, no channels.
 */
@NullMarked
package dev.drawbridge.broker.engine.codec;

import org.jspecify.annotations.NullMarked;
