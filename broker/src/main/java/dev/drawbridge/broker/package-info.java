/**
 * Drawbridge's embedding API: start a broker from a {@code mosquitto.conf} or a {@link
 * dev.drawbridge.broker.conf.BrokerConfig}, ask where it listens, reload it, stop it. Behind it, package-private: what
 * the engine and listeners are given from a configuration, and the SIGHUP reload (rereading the file, planning what
 * changes, applying it).
 */
@NullMarked
package dev.drawbridge.broker;

import org.jspecify.annotations.NullMarked;
