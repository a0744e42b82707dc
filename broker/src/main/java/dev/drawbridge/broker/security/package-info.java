/**
 * Who may connect and what each client may do, per listener: the password file, the ACL file and the user's plugins,
 * loaded from the configuration, asked on every CONNECT, PUBLISH and delivery, and reloaded on SIGHUP.
 */
@NullMarked
package dev.drawbridge.broker.security;

import org.jspecify.annotations.NullMarked;
