/**
 * The console: the {@code protocol http_api} listener that serves Drawbridge's pages (overview, clients, topics,
 * log) to a browser. It owns its HTTP server, logins (through the security package's password check and throttle),
 * sessions, CSRF tokens, the pages and their JSON, the in-memory log ring, and the topics page's retained tree and live
 * views (what they show is judged by the security package's READ check, what they read is the engine's). It reads the engine and security through their
 * public read API and never touches the MQTT listeners' channel handlers.
 */
@NullMarked
package dev.drawbridge.broker.console;

import org.jspecify.annotations.NullMarked;
