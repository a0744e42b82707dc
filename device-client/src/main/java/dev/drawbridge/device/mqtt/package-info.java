/**
 * The MQTT link to the broker: MQTT 5, or 3.1.1 when the broker refuses 5; TLS with pinning, reconnect backoff, reason
 * codes in the log, topics and Home Assistant discovery.
 */
@NullMarked
package dev.drawbridge.device.mqtt;

import org.jspecify.annotations.NullMarked;
