/**
 * What the engine keeps across a restart or a crash: the {@link dev.drawbridge.broker.engine.store.EngineStore} port
 * and its implementations, one H2 MVStore file committed by a group committer (durable or autosave) or nothing at all
 * ({@code persistence false}). It owns the file's layout and encoding and decides when a change is durable; it holds
 * stored records only (client ids, filters, topics, payload bytes), never a Netty channel, an engine session or any
 * other live object of the engine, and it never decides what is delivered.
 */
@NullMarked
package dev.drawbridge.broker.engine.store;

import org.jspecify.annotations.NullMarked;
