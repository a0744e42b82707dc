/**
 * Drawbridge's embedding API: start a broker from a {@code mosquitto.conf} or a {@link
 * dev.drawbridge.broker.conf.BrokerConfig}, ask where it listens, stop it.
 */
@NullMarked
package dev.drawbridge.broker;

import org.jspecify.annotations.NullMarked;
