package dev.drawbridge.broker.console;

import dev.drawbridge.broker.console.ConsoleSessions.Session;
import dev.drawbridge.broker.engine.Engine;
import dev.drawbridge.broker.security.ConsoleReader;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The topics page's API: the retained tree a level or a prefix at a time, and the session's live view, both only what
 * the logged-in user may READ ({@link ConsoleReader}).
 */
final class Topics {

    private final Engine engine;
    private final Function<String, ConsoleReader> readers;
    private final LiveViews live;

    /** @param readers a console user's READ check, by user name */
    Topics(Engine engine, Function<String, ConsoleReader> readers, LiveViews live) {
        this.engine = engine;
        this.readers = readers;
        this.live = live;
    }

    /** {@code ?path=a/b} lists that level ({@code path} absent or empty: the root); {@code ?prefix=} searches. */
    FullHttpResponse tree(Session s, Map<String, List<String>> parameters) {
        ConsoleReader reader = readers.apply(String.valueOf(s.user()));
        String prefix = ConsoleHandler.first(parameters, "prefix");
        try {
            if (prefix != null) {
                String error = TopicTree.prefixError(prefix);
                return error != null
                        ? bad(error)
                        : json(TopicsJson.found(TopicTree.found(
                                prefix, engine::retained, c -> reader.mayRead(c.topic(), c.qos(), true))));
            }
            String path = Optional.ofNullable(ConsoleHandler.first(parameters, "path"))
                    .orElse("");
            String error = TopicTree.pathError(path);
            return error != null
                    ? bad("not a topic: " + error)
                    : json(TopicsJson.level(
                            TopicTree.level(path, engine::retained, c -> reader.mayRead(c.topic(), c.qos(), true))));
        } catch (IllegalArgumentException e) {
            return bad(String.valueOf(e.getMessage())); // a $share/ path: no retained messages live there
        }
    }

    FullHttpResponse startLive(Session s, @Nullable String filter) {
        String f = filter == null ? "" : filter;
        String error = LiveViews.filterError(f);
        if (error != null) {
            return bad(error);
        }
        live.start(s.id(), readers.apply(String.valueOf(s.user())), f);
        return json("{\"filter\":" + Json.string(f) + "}");
    }

    FullHttpResponse poll(Session s, @Nullable String after) {
        long from;
        try {
            from = after == null ? 0 : Long.parseLong(after);
        } catch (NumberFormatException e) {
            return bad("after: expected a message number, found \"" + after + "\"");
        }
        return live.poll(s.id(), from)
                .map(p -> json(TopicsJson.live(p)))
                .orElseGet(() -> json("{\"state\":\"none\",\"messages\":[]}"));
    }

    FullHttpResponse stopLive(Session s) {
        live.stop(s.id());
        return json("{\"state\":\"none\"}");
    }

    void endLive(Session s) {
        live.stop(s.id());
    }

    private static FullHttpResponse json(String body) {
        return Responses.of(HttpResponseStatus.OK, Responses.JSON, body);
    }

    private static FullHttpResponse bad(String error) {
        return Responses.of(HttpResponseStatus.BAD_REQUEST, Responses.JSON, TopicsJson.error(error));
    }
}
