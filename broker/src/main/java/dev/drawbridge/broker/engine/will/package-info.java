/** Wills: the message a client leaves in its CONNECT and what it becomes when the connection ends badly. */
@NullMarked
package dev.drawbridge.broker.engine.will;

import org.jspecify.annotations.NullMarked;
