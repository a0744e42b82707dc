/**
 * Watches: an in-process subscription of the broker itself (the console's live view of a topic filter). It connects to
 * the engine as a client through its own {@link dev.drawbridge.broker.engine.session.ClientLink}, so its deliveries go
 * through the same subscription index, READ checks and queue limits as any subscriber's, and hands each delivered
 * PUBLISH over as a plain value. It owns that link and the decoding of what the engine writes to it, nothing else.
 */
@NullMarked
package dev.drawbridge.broker.engine.watch;

import org.jspecify.annotations.NullMarked;
