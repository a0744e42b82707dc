/**
 * Finding the broker by multicast DNS: {@code mqtt.discover} browses for {@code _secure-mqtt._tcp}, and a
 * {@code .local} host name the system resolver does not know is asked for on the LAN (JmDNS).
 */
@NullMarked
package dev.drawbridge.device.mdns;

import org.jspecify.annotations.NullMarked;
