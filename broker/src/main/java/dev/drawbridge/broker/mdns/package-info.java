/**
 * Drawbridge's {@code mdns} option: the listeners advertised on the LAN as DNS-SD services ({@code _mqtt._tcp} and
 * {@code _secure-mqtt._tcp}) with JmDNS.
 */
@NullMarked
package dev.drawbridge.broker.mdns;

import org.jspecify.annotations.NullMarked;
