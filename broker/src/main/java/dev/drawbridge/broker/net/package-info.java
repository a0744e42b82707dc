/**
 * The network side: one Netty server channel per {@code listener}, each with its own pipeline, and the front handler
 * that checks every connection before the MQTT core sees it.
 */
@NullMarked
package dev.drawbridge.broker.net;

import org.jspecify.annotations.NullMarked;
