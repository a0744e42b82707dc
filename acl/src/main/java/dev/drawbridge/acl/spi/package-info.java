/**
 * The plugin SPI for authentication and authorization: the only public API a user's own rules depend on. It knows
 * nothing about the broker that hosts it.
 */
@NullMarked
package dev.drawbridge.acl.spi;

import org.jspecify.annotations.NullMarked;
