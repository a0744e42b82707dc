/**
 * Encoding of the packets the engine sends: PUBLISH without copying the payload, and the small acknowledgements.
 * Decoding stays in front of the engine, in the listener layer. Pure functions over buffers: no state, no channels.
 */
@NullMarked
package dev.drawbridge.broker.engine.codec;

import org.jspecify.annotations.NullMarked;
