/** Keys and certificates for the broker and the devices. */
@NullMarked
package dev.drawbridge.keystores;

import org.jspecify.annotations.NullMarked;
