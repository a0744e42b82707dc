/** The MQTT 3.1.1 link to the broker: TLS with pinning, reconnect backoff, topics and Home Assistant discovery. */
@NullMarked
package dev.drawbridge.device.mqtt;

import org.jspecify.annotations.NullMarked;
