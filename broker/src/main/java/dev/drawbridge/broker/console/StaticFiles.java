package dev.drawbridge.broker.console;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/** The console's style sheet and script, read from the jar once: nothing is ever loaded from elsewhere. */
final class StaticFiles {

    private final Map<String, byte[]> files;

    private StaticFiles(Map<String, byte[]> files) {
        this.files = files;
    }

    static StaticFiles load() {
        return new StaticFiles(Map.of(
                "/static/console.css",
                read("console.css"),
                "/static/console.js",
                read("console.js"),
                "/static/topics.js",
                read("topics.js")));
    }

    FullHttpResponse get(String path) {
        byte[] body = files.get(path);
        if (body == null) {
            return Responses.text(HttpResponseStatus.NOT_FOUND, "No such file.");
        }
        String type = path.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8";
        return Responses.of(HttpResponseStatus.OK, type, body);
    }

    private static byte[] read(String name) {
        try (InputStream in = StaticFiles.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the console's " + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the console's " + name, e);
        }
    }
}
