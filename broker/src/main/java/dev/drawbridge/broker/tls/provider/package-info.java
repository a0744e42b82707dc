/**
 * Which TLS implementation (OpenSSL through netty-tcnative, or the JDK) the process's TLS contexts use: the listeners'
 * ({@code tls}) and the bridges' ({@code bridge}). Apart from {@code tls} so that a bridge can ask without depending on
 * the listeners' configuration.
 */
@NullMarked
package dev.drawbridge.broker.tls.provider;

import org.jspecify.annotations.NullMarked;
