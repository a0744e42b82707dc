/** Mosquitto 2.0 ACL files: the parser, the model it builds, and an authorizer with Mosquitto's semantics. */
@NullMarked
package dev.drawbridge.acl.aclfile;

import org.jspecify.annotations.NullMarked;
