package dev.drawbridge.broker.console;

import dev.drawbridge.broker.console.ConsoleSessions.Session;
import dev.drawbridge.broker.security.ConsoleLogin;
import dev.drawbridge.broker.tls.PeerCertificate;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.CookieHeaderNames;
import io.netty.handler.codec.http.cookie.DefaultCookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.netty.handler.codec.http.cookie.ServerCookieEncoder;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the console's requests: the login, the pages, their JSON and the two forms that change something. Without a
 * logged-in session a page redirects to the login and an API answers 401; every POST needs the session's CSRF token;
 * a change is never made by a GET.
 */
@ChannelHandler.Sharable
final class ConsoleHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    /** Refused logins are logged where refused MQTT logins are. */
    private static final Logger CONNECTIONS = LoggerFactory.getLogger("dev.drawbridge.broker.connections");

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleHandler.class);
    private static final int LOG_LINES = 200;
    private static final List<String> CHANGES = List.of("/login", "/logout", "/clients/disconnect", "/api/live/stop");

    private final String listener;
    private final boolean https;
    private final String cookieName;
    private final ConsoleSessions sessions;
    private final ConsoleLogin login;
    private final BrokerView broker;
    private final LogRing log;
    private final StaticFiles files;
    private final DevicesRequests devices;
    private final Topics topics;

    ConsoleHandler(
            String listener,
            boolean https,
            ConsoleSessions sessions,
            ConsoleLogin login,
            BrokerView broker,
            LogRing log,
            StaticFiles files,
            DevicesRequests devices,
            Topics topics) {
        this.listener = listener;
        this.https = https;
        // __Host-: a browser takes it only from this origin over HTTPS, for the whole site (Path=/, no Domain).
        this.cookieName = https ? "__Host-drawbridge" : "drawbridge";
        this.sessions = sessions;
        this.login = login;
        this.broker = broker;
        this.log = log;
        this.files = files;
        this.devices = devices;
        this.topics = topics;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            answer(ctx, request, Responses.text(HttpResponseStatus.BAD_REQUEST, "Not an HTTP request."), false);
            return;
        }
        FullHttpResponse response;
        try {
            response = route(ctx, request);
        } catch (RuntimeException e) {
            LOG.warn("Console request {} failed: {}", new QueryStringDecoder(request.uri()).path(), e.toString());
            response = Responses.text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "The console could not answer.");
        }
        if (response != null) {
            answer(ctx, request, response, HttpUtil.isKeepAlive(request));
        }
    }

    /** The answer; null when it is sent later (a throttled login). */
    private @Nullable FullHttpResponse route(ChannelHandlerContext ctx, FullHttpRequest request) {
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String path = uri.path();
        HttpMethod method = request.method();
        boolean get = method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD);
        boolean post = method.equals(HttpMethod.POST);
        if (!get && !post) {
            return notAllowed("GET, POST");
        }
        if (!https && !loopbackHost(request.headers().get(HttpHeaderNames.HOST))) {
            // A console in clear listens on loopback only: a page elsewhere that points its own name at 127.0.0.1 (DNS
            // rebinding) must not reach it through the user's browser.
            return Responses.text(
                    HttpResponseStatus.MISDIRECTED_REQUEST, "This console answers to localhost and 127.0.0.1 only.");
        }
        if (path.startsWith("/static/")) {
            return get ? files.get(path) : notAllowed("GET");
        }
        if (get && (CHANGES.contains(path) || DevicesRequests.CHANGES.contains(path)) && !path.equals("/login")) {
            return notAllowed("POST"); // a GET never changes anything (a link or an image could send it)
        }
        Optional<Session> session = sessions.find(cookie(request)).filter(this::stillValid);
        if (path.equals("/login")) {
            return post ? login(ctx, request, session) : loginPage(ctx, session);
        }
        if (session.isEmpty() || !session.get().loggedIn()) {
            if (path.startsWith("/api/")) {
                return Responses.of(HttpResponseStatus.UNAUTHORIZED, Responses.JSON, "{\"error\":\"login required\"}");
            }
            return get
                    ? Responses.redirect("/login")
                    : Responses.text(HttpResponseStatus.UNAUTHORIZED, "Log in first; nothing was changed.");
        }
        Session s = session.get();
        String user = String.valueOf(s.user());
        if (post) {
            Map<String, List<String>> form = form(request);
            if (!s.csrfMatches(first(form, "csrf"))) {
                LOG.warn("Console POST {} from {} refused: missing or wrong CSRF token.", path, host(ctx));
                return Responses.text(
                        HttpResponseStatus.FORBIDDEN, "Missing or wrong form token; nothing was changed.");
            }
            return switch (path) {
                case "/logout" -> logout(s);
                case "/clients/disconnect" -> disconnect(user, first(form, "client_id"));
                case "/devices/issue", "/devices/revoke", "/devices/renew" ->
                    later(ctx, request, devices.post(path, s.csrf(), user, host(ctx), form));
                case "/api/live" -> topics.startLive(s, first(form, "filter"));
                case "/api/live/stop" -> topics.stopLive(s);
                default -> Responses.text(HttpResponseStatus.NOT_FOUND, "No such page.");
            };
        }
        String query =
                Optional.ofNullable(first(uri.parameters(), "q")).orElse("").strip();
        return switch (path) {
            case "/" -> html(Pages.overview(s.csrf(), user, broker.version(), broker.figures(), devices.warnings()));
            case "/devices" -> devices.page(s.csrf(), user);
            case "/clients" -> html(Pages.clients(s.csrf(), user, query, broker.clients(query)));
            case "/log" -> html(Pages.log(s.csrf(), user, query, log.recent(query, LOG_LINES)));
            case "/api/overview" -> json(ConsoleJson.figures(broker.figures()));
            case "/api/clients" -> json(ConsoleJson.clients(broker.clients(query)));
            case "/api/log" -> json(ConsoleJson.log(log.recent(query, LOG_LINES)));
            case "/topics" -> html(TopicsPage.render(s.csrf(), user));
            case "/api/topics" -> topics.tree(s, uri.parameters());
            case "/api/live" -> topics.poll(s, first(uri.parameters(), "after"));
            default -> Responses.text(HttpResponseStatus.NOT_FOUND, "No such page.");
        };
    }

    /**
     * A logged-in session holds while its user's password file entry is the one it logged in with: a reload that
     * removes the user or changes the password ends it.
     */
    private boolean stillValid(Session s) {
        String user = s.user();
        if (user == null || login.entryOf(user).equals(Optional.of(s.entry()))) {
            return true;
        }
        sessions.logout(s);
        topics.endLive(s);
        LOG.info("Console session of {} ended: the password file changed.", user);
        return false;
    }

    private FullHttpResponse loginPage(ChannelHandlerContext ctx, Optional<Session> session) {
        if (session.isPresent() && session.get().loggedIn()) {
            return Responses.redirect("/");
        }
        Session anonymous = session.orElseGet(sessions::anonymous);
        Optional<X509Certificate> certificate = PeerCertificate.of(ctx);
        Optional<String> user = certificate.flatMap(login::certificateUser);
        Optional<String> problem = certificate.isPresent() && user.isEmpty()
                ? Optional.of("Your certificate (" + ClientCertificate.subject(certificate.get())
                        + ") names no console user: log in with a password.")
                : Optional.empty();
        return withCookie(html(Pages.login(anonymous.csrf(), problem, user)), anonymous.id());
    }

    private @Nullable FullHttpResponse login(
            ChannelHandlerContext ctx, FullHttpRequest request, Optional<Session> session) {
        Map<String, List<String>> form = form(request);
        if (session.isEmpty() || session.get().loggedIn() || !session.get().csrfMatches(first(form, "csrf"))) {
            Session fresh = sessions.anonymous();
            return withCookie(
                    html(
                            HttpResponseStatus.FORBIDDEN,
                            Pages.login(fresh.csrf(), Optional.of("The form had expired; please log in again."))),
                    fresh.id());
        }
        String host = host(ctx);
        if (first(form, "certificate") != null) {
            return certificateLogin(ctx, request, session.get(), host);
        }
        String username = Optional.ofNullable(first(form, "username")).orElse("");
        byte[] password =
                Optional.ofNullable(first(form, "password")).orElse("").getBytes(StandardCharsets.UTF_8);
        ConsoleLogin.Outcome outcome = login.check(username, password, host);
        java.util.Arrays.fill(password, (byte) 0);
        if (outcome.accepted()) {
            Session in = sessions.login(
                    session.get(), username, login.entryOf(username).orElse(""));
            LOG.info("Console user {} logged in from {} on {}.", username, host, listener);
            return withCookie(Responses.redirect("/"), in.id());
        }
        CONNECTIONS.info(
                "Console login as {} from {} on {} refused: not authorised ({}).",
                username,
                host,
                listener,
                outcome.reason());
        return refusedLogin(ctx, request, session.get(), outcome, "Wrong user name or password.");
    }

    /**
     * A login by the client certificate the handshake verified; only by this POST with the login form's token, so
     * that no GET (a link, an image) logs a browser in.
     */
    private @Nullable FullHttpResponse certificateLogin(
            ChannelHandlerContext ctx, FullHttpRequest request, Session anonymous, String host) {
        Optional<X509Certificate> certificate = PeerCertificate.of(ctx);
        if (certificate.isEmpty()) {
            CONNECTIONS.info(
                    "Console certificate login from {} on {} refused: no client certificate presented.",
                    host,
                    listener);
            return html(
                    HttpResponseStatus.UNAUTHORIZED,
                    Pages.login(
                            anonymous.csrf(),
                            Optional.of("Your browser presented no client certificate: log in with a password.")));
        }
        String subject = ClientCertificate.subject(certificate.get());
        ConsoleLogin.Outcome outcome = login.checkCertificate(certificate.get(), host);
        Optional<String> user = login.certificateUser(certificate.get());
        if (outcome.accepted() && user.isPresent()) {
            Session in = sessions.login(
                    anonymous, user.get(), login.entryOf(user.get()).orElse(""));
            LOG.info(
                    "Console user {} logged in by client certificate ({}) from {} on {}.",
                    user.get(),
                    subject,
                    host,
                    listener);
            return withCookie(Responses.redirect("/"), in.id());
        }
        CONNECTIONS.info(
                "Console certificate login ({}) from {} on {} refused: not authorised ({}).",
                subject,
                host,
                listener,
                outcome.reason());
        return refusedLogin(
                ctx,
                request,
                anonymous,
                outcome,
                "Your certificate (" + subject + ") names no console user: log in with a password.");
    }

    private @Nullable FullHttpResponse refusedLogin(
            ChannelHandlerContext ctx,
            FullHttpRequest request,
            Session anonymous,
            ConsoleLogin.Outcome outcome,
            String problem) {
        if (outcome.delay().isZero()) {
            return html(HttpResponseStatus.UNAUTHORIZED, Pages.login(anonymous.csrf(), Optional.of(problem)));
        }
        FullHttpResponse slowed = html(
                HttpResponseStatus.TOO_MANY_REQUESTS,
                Pages.login(
                        anonymous.csrf(),
                        Optional.of(problem + " Too many failed logins from your address: each"
                                + " answer now waits longer.")));
        slowed.headers()
                .set(HttpHeaderNames.RETRY_AFTER, Math.max(1, outcome.delay().toSeconds()));
        return later(ctx, request, slowed, outcome.delay());
    }

    /** A 429 from the devices page (a throttled passphrase) is answered after its {@code Retry-After}. */
    private @Nullable FullHttpResponse later(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse r) {
        if (!r.status().equals(HttpResponseStatus.TOO_MANY_REQUESTS)) {
            return r;
        }
        return later(ctx, request, r, Duration.ofSeconds(r.headers().getInt(HttpHeaderNames.RETRY_AFTER, 1)));
    }

    /** Answered later, without holding the event loop, as a refused MQTT login's CONNACK is. */
    private static @Nullable FullHttpResponse later(
            ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse slowed, Duration delay) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        request.retain();
        ctx.executor()
                .schedule(
                        () -> {
                            try {
                                answer(ctx, request, slowed, keepAlive);
                            } finally {
                                request.release();
                            }
                        },
                        delay.toMillis(),
                        TimeUnit.MILLISECONDS);
        return null;
    }

    private FullHttpResponse logout(Session s) {
        sessions.logout(s);
        topics.endLive(s);
        LOG.info("Console user {} logged out.", s.user());
        FullHttpResponse response = Responses.redirect("/login");
        DefaultCookie gone = cookie("");
        gone.setMaxAge(0);
        response.headers().add(HttpHeaderNames.SET_COOKIE, ServerCookieEncoder.STRICT.encode(gone));
        return response;
    }

    private FullHttpResponse disconnect(String user, @Nullable String clientId) {
        if (clientId == null || clientId.isEmpty()) {
            return Responses.text(HttpResponseStatus.BAD_REQUEST, "No client id given; nothing was changed.");
        }
        if (broker.security().disconnect(clientId)) {
            LOG.info("Console user {} disconnected client {}.", user, clientId);
        } else {
            LOG.info("Console user {} asked to disconnect client {}, which is not connected.", user, clientId);
        }
        return Responses.redirect("/clients");
    }

    private FullHttpResponse withCookie(FullHttpResponse response, String sessionId) {
        response.headers().add(HttpHeaderNames.SET_COOKIE, ServerCookieEncoder.STRICT.encode(cookie(sessionId)));
        return response;
    }

    private DefaultCookie cookie(String value) {
        DefaultCookie cookie = new DefaultCookie(cookieName, value);
        cookie.setPath("/");
        cookie.setHttpOnly(true);
        cookie.setSecure(https);
        cookie.setSameSite(CookieHeaderNames.SameSite.Strict);
        return cookie;
    }

    private @Nullable String cookie(FullHttpRequest request) {
        String header = request.headers().get(HttpHeaderNames.COOKIE);
        if (header == null) {
            return null;
        }
        for (Cookie c : ServerCookieDecoder.STRICT.decode(header)) {
            if (c.name().equals(cookieName)) {
                return c.value();
            }
        }
        return null;
    }

    private static Map<String, List<String>> form(FullHttpRequest request) {
        String body = request.content().toString(StandardCharsets.UTF_8);
        return new QueryStringDecoder(body, StandardCharsets.UTF_8, false).parameters();
    }

    static @Nullable String first(Map<String, List<String>> parameters, String name) {
        List<String> values = parameters.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The Host header names this machine: {@code localhost}, {@code 127.x.x.x} or {@code [::1]}, any port. */
    static boolean loopbackHost(@Nullable String host) {
        if (host == null) {
            return false;
        }
        String name = host.startsWith("[") ? host.substring(0, host.indexOf(']') + 1) : host.split(":", 2)[0];
        return name.equalsIgnoreCase("localhost")
                || name.equals("[::1]")
                || name.matches("127\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}");
    }

    private static String host(ChannelHandlerContext ctx) {
        SocketAddress remote = ctx.channel().remoteAddress();
        return remote instanceof InetSocketAddress inet ? inet.getAddress().getHostAddress() : String.valueOf(remote);
    }

    private static FullHttpResponse notAllowed(String allowed) {
        FullHttpResponse response = Responses.text(HttpResponseStatus.METHOD_NOT_ALLOWED, "Method not allowed here.");
        response.headers().set(HttpHeaderNames.ALLOW, allowed);
        return response;
    }

    private static FullHttpResponse html(String page) {
        return Responses.of(HttpResponseStatus.OK, Responses.HTML, page);
    }

    private static FullHttpResponse html(HttpResponseStatus status, String page) {
        return Responses.of(status, Responses.HTML, page);
    }

    private static FullHttpResponse json(String body) {
        return Responses.of(HttpResponseStatus.OK, Responses.JSON, body);
    }

    private static void answer(
            ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response, boolean keepAlive) {
        if (request.method().equals(HttpMethod.HEAD)) {
            response.content().clear();
        }
        HttpUtil.setKeepAlive(response, keepAlive);
        var written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("Console connection from {} failed: {}", host(ctx), cause.toString());
        ctx.close();
    }
}
