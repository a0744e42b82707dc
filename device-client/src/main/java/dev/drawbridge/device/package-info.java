/** The garage-door opener that subscribes to its command topic and drives the relay. */
@NullMarked
package dev.drawbridge.device;

import org.jspecify.annotations.NullMarked;
