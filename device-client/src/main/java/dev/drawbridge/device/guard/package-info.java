/** Which received commands may pulse the relay, and why the others may not. */
@NullMarked
package dev.drawbridge.device.guard;

import org.jspecify.annotations.NullMarked;
