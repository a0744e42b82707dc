/**
 * Mosquitto 2.0 password files: the parser the broker uses, hash verification ({@code $6$} salted SHA-512 and
 * {@code $7$} PBKDF2-HMAC-SHA512), an authenticator, and an editor with {@code mosquitto_passwd}'s semantics.
 */
@NullMarked
package dev.drawbridge.acl.passwordfile;

import org.jspecify.annotations.NullMarked;
