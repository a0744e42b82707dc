/** TLS listeners from Mosquitto's PEM options: server key and chain, client CAs, CRL, versions and ciphers. */
@NullMarked
package dev.drawbridge.broker.tls;

import org.jspecify.annotations.NullMarked;
