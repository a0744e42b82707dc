package dev.drawbridge.broker.conf;

import dev.drawbridge.broker.conf.ListenerConfig.Protocol;
import dev.drawbridge.broker.conf.ListenerConfig.SocketDomain;
import dev.drawbridge.keystores.CaDirectory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** One listener being read: the {@code listener} line (or the default listener) and the options that follow it. */
final class ListenerDraft {

    /**
     * Options about a listener's MQTT clients that are not TLS options. Each option is classified once, here or in one
     * of the sets below; the sets the parser asks about are made of them.
     */
    private static final Set<String> MQTT_CLIENTS = Set.of(
            "max_connections",
            "refuse_identity_takeover",
            "listener_allow_anonymous",
            "listener_auto_id_prefix",
            "accept_protocol_versions",
            "websockets_origin",
            "mount_point",
            "max_qos",
            "maximum_qos",
            "max_topic_alias",
            "max_topic_alias_broker");

    /** TLS options about the MQTT clients' certificates. */
    private static final Set<String> CLIENT_CERTIFICATES =
            Set.of("require_certificate", "use_identity_as_username", "use_subject_as_username");

    /** Not TLS options: given alone, they do not make a TLS listener without certfile and keyfile an error. */
    private static final Set<String> NOT_TLS =
            union(MQTT_CLIENTS, Set.of("socket_domain", "protocol", "console_users", "console_ca_dir"));

    /** Options that speak of MQTT clients: meaningless on a console listener, so refused there. */
    private static final Set<String> MQTT_ONLY = union(MQTT_CLIENTS, CLIENT_CERTIFICATES);

    /** A user name in a password file: no spaces, no colon (the file's separator). */
    private static final java.util.regex.Pattern USER = java.util.regex.Pattern.compile("[^\\s:]+");

    private static final Set<String> TLS = union(
            CLIENT_CERTIFICATES,
            Set.of(
                    "cafile",
                    "capath",
                    "certfile",
                    "keyfile",
                    "keyfile_password",
                    "tls_version",
                    "ciphers",
                    "ciphers_tls1.3",
                    "crlfile"));

    /** Options that apply to the most recent listener. */
    static final Set<String> OPTIONS = union(TLS, NOT_TLS);

    private static final List<String> BOTH_VERSIONS = List.of("TLSv1.3", "TLSv1.2");

    /** {@code FILE:LINE} of the line that made this listener. */
    final String where;
    /** How messages name it: {@code listener 8883} or {@code default listener}. */
    final String name;

    int port;
    Optional<String> address = Optional.empty();
    /** A bad {@code listener} line: kept so that its options are not applied elsewhere, never built. */
    boolean broken;

    final SecurityDraft security = new SecurityDraft();
    private SocketDomain socketDomain = SocketDomain.ANY;
    private Protocol protocol = Protocol.MQTT;
    private int maxConnections = -1;
    private final Set<String> tlsOptions = new LinkedHashSet<>();
    private Optional<Path> cafile = Optional.empty();
    private Optional<Path> capath = Optional.empty();
    private Optional<Path> certfile = Optional.empty();
    private Optional<Path> keyfile = Optional.empty();
    private Optional<Path> crlfile = Optional.empty();
    private Optional<String> keyPassword = Optional.empty();
    private Optional<String> ciphers = Optional.empty();
    private Optional<String> ciphersTls13 = Optional.empty();
    private boolean requireCertificate;
    private boolean useIdentityAsUsername;
    private boolean useSubjectAsUsername;
    private boolean refuseIdentityTakeover = true;
    /** Where {@code refuse_identity_takeover} was given, if it was: it only means something with certificate names. */
    private Optional<ConfigLine> refuseIdentityTakeoverLine = Optional.empty();

    private List<String> tlsVersions = BOTH_VERSIONS;

    private Optional<Boolean> listenerAllowAnonymous = Optional.empty();
    private Optional<String> listenerAutoIdPrefix = Optional.empty();
    /** {@code auto_id_prefix} given for this listener with {@code per_listener_settings true}. */
    Optional<String> autoIdPrefix = Optional.empty();

    private Set<Integer> protocolLevels = ListenerAdmission.ALL_LEVELS;
    private final List<String> websocketOrigins = new ArrayList<>();
    private Optional<ConfigLine> websocketOriginLine = Optional.empty();
    private String mountPoint = "";
    private int maxQos = 2;
    private int maxTopicAlias = ListenerAdmission.DEFAULT_TOPIC_ALIASES;
    private int maxTopicAliasBroker = ListenerAdmission.DEFAULT_TOPIC_ALIASES;
    /** Every option line given for this listener, for the console's checks. */
    private final List<ConfigLine> given = new ArrayList<>();

    private final List<String> consoleUsers = new ArrayList<>();
    private Optional<ConfigLine> consoleUsersLine = Optional.empty();
    private Optional<Path> consoleCaDir = Optional.empty();
    private Optional<ConfigLine> consoleCaDirLine = Optional.empty();

    ListenerDraft(String where, String name, int port) {
        this.where = where;
        this.name = name;
        this.port = port;
    }

    /** Applies one of {@link #OPTIONS}. */
    void apply(ConfigLine line, Diagnostics d) {
        given.add(line);
        if (!NOT_TLS.contains(line.option())) {
            tlsOptions.add(line.option());
        }
        switch (line.option()) {
            case "socket_domain" ->
                Values.choice(d, line, List.of("ipv4", "ipv6"))
                        .ifPresent(v -> socketDomain = v.equals("ipv4") ? SocketDomain.IPV4 : SocketDomain.IPV6);
            case "protocol" ->
                Values.choice(d, line, List.of("mqtt", "websockets", "http_api"))
                        .ifPresent(v -> protocol = switch (v) {
                            case "websockets" -> Protocol.WEBSOCKETS;
                            case "http_api" -> Protocol.HTTP_API;
                            default -> Protocol.MQTT;
                        });
            case "console_users" -> consoleUsers(line, d);
            case "console_ca_dir" -> consoleCaDir(line, d);
            case "max_connections" ->
                Values.integer(d, line, -1, Integer.MAX_VALUE, "-1 (no limit) or an integer 0-2147483647")
                        .ifPresent(v -> maxConnections = v);
            case "cafile" -> cafile = Values.readableFile(d, line);
            case "capath" -> capath = Values.directory(d, line);
            case "certfile" -> certfile = Values.readableFile(d, line);
            case "keyfile" -> keyfile = Values.readableFile(d, line);
            case "crlfile" -> crlfile = Values.readableFile(d, line);
            case "keyfile_password" -> keyPassword(line, d);
            case "require_certificate" -> Values.bool(d, line).ifPresent(v -> requireCertificate = v);
            case "use_identity_as_username" -> Values.bool(d, line).ifPresent(v -> useIdentityAsUsername = v);
            case "use_subject_as_username" -> Values.bool(d, line).ifPresent(v -> useSubjectAsUsername = v);
            case "refuse_identity_takeover" ->
                Values.bool(d, line).ifPresent(v -> {
                    refuseIdentityTakeover = v;
                    refuseIdentityTakeoverLine = Optional.of(line);
                });
            case "tls_version" -> tlsVersion(line, d);
            case "ciphers" -> ciphers = word(line, d, "an OpenSSL cipher list");
            case "ciphers_tls1.3" -> ciphersTls13 = word(line, d, "a TLS 1.3 cipher suite list");
            case "listener_allow_anonymous" ->
                Values.bool(d, line).ifPresent(v -> listenerAllowAnonymous = Optional.of(v));
            case "listener_auto_id_prefix" -> listenerAutoIdPrefix = autoIdPrefix(line, d);
            case "accept_protocol_versions" -> protocolLevels(line, d);
            case "websockets_origin" -> {
                word(line, d, "an HTTP origin such as http://example.com:8080").ifPresent(websocketOrigins::add);
                websocketOriginLine = websocketOriginLine.or(() -> Optional.of(line));
            }
            case "mount_point" -> mountPoint(line, d);
            case "max_qos", "maximum_qos" -> Values.range(d, line, 0, 2).ifPresent(v -> maxQos = v);
            case "max_topic_alias" -> Values.range(d, line, 0, 65_535).ifPresent(v -> maxTopicAlias = v);
            case "max_topic_alias_broker" -> Values.range(d, line, 0, 65_535).ifPresent(v -> maxTopicAliasBroker = v);
            default -> throw new IllegalArgumentException("not a listener option: " + line.option());
        }
    }

    /** Drawbridge's own: who may log in to the console, by their names in the password file. */
    private void consoleUsers(ConfigLine line, Diagnostics d) {
        consoleUsersLine = Optional.of(line);
        if (line.value().isEmpty()) {
            d.error(line, "console_users: expected one or more user names from the password file, found nothing");
            return;
        }
        for (String user : line.words()) {
            if (!USER.matcher(user).matches()) {
                d.error(line, "console_users: expected user names without ':', found '" + user + "'");
                return;
            }
        }
        consoleUsers.addAll(line.words());
    }

    /**
     * Drawbridge's own: the {@code pki} CA directory the console's devices page lists and issues from. Checked here as
     * far as a directory can be without reading keys: it exists and holds a readable {@code ca.crt} and a
     * {@code ca.key}.
     */
    private void consoleCaDir(ConfigLine line, Diagnostics d) {
        consoleCaDirLine = Optional.of(line);
        Optional<Path> dir = Values.directory(d, line);
        if (dir.isEmpty()) {
            return;
        }
        // ca.key must be there but need not be readable: a broker that may not read it lists the certificates and
        // says, at a change, that it cannot open the CA key.
        Optional<String> problem = Values.unreadable(dir.get().resolve(CaDirectory.CA_CERTIFICATE))
                .map(why -> CaDirectory.CA_CERTIFICATE + ": " + why)
                .or(() -> java.nio.file.Files.exists(dir.get().resolve(CaDirectory.CA_KEY))
                        ? Optional.empty()
                        : Optional.of(CaDirectory.CA_KEY + ": no such file or directory"));
        if (problem.isPresent()) {
            d.error(
                    line,
                    "console_ca_dir: expected a pki CA directory (with ca.crt and ca.key, as pki init or pki"
                            + " quickstart make), found '" + line.value() + "': " + problem.get());
            return;
        }
        consoleCaDir = dir;
    }

    /** Whether this is a console ({@code protocol http_api}) rather than an MQTT listener. */
    boolean console() {
        return protocol == Protocol.HTTP_API;
    }

    /** Mosquitto refuses a mount point with a wildcard: it would make every topic of the listener's clients one. */
    private void mountPoint(ConfigLine line, Diagnostics d) {
        word(line, d, "a topic prefix such as tenant/").ifPresent(v -> {
            if (v.contains("+") || v.contains("#")) {
                d.error(line, "mount_point: expected a topic prefix without + or #, found " + line.found());
            } else {
                mountPoint = v;
            }
        });
    }

    /** A prefix for generated client ids: one word, as Mosquitto reads it. */
    static Optional<String> autoIdPrefix(ConfigLine line, Diagnostics d) {
        return word(line, d, "a client id prefix");
    }

    /** Mosquitto's list: "3, 4" or "5"; unlike Mosquitto, an unknown version is an error, not skipped. */
    private void protocolLevels(ConfigLine line, Diagnostics d) {
        Set<Integer> levels = new java.util.TreeSet<>();
        for (String word : line.value().split("[,\\s]+")) {
            switch (word) {
                case "3", "4", "5" -> levels.add(Integer.parseInt(word));
                default -> {
                    d.error(
                            line,
                            "accept_protocol_versions: expected a comma-separated list of 3 (MQTT 3.1), 4 (3.1.1) and"
                                    + " 5 (5.0), found " + line.found());
                    return;
                }
            }
        }
        protocolLevels = levels;
    }

    private void keyPassword(ConfigLine line, Diagnostics d) {
        // Drawbridge's own option: Mosquitto asks for the key's password on the terminal instead.
        if (line.value().isEmpty()) {
            d.error(line, "keyfile_password: expected a password, found nothing");
        } else {
            keyPassword = Optional.of(line.value());
        }
    }

    /**
     * Mosquitto reads {@code tls_version} as the lowest version allowed. Nothing below TLS 1.2 is ever offered (RFC
     * 8996), so an older minimum starts the broker with one warning and means 1.2 and 1.3.
     */
    private void tlsVersion(ConfigLine line, Diagnostics d) {
        switch (line.value()) {
            case "tlsv1.3" -> tlsVersions = List.of("TLSv1.3");
            case "tlsv1.2" -> tlsVersions = BOTH_VERSIONS;
            case "tlsv1", "tlsv1.1" -> {
                tlsVersions = BOTH_VERSIONS;
                d.warn(
                        line,
                        "tls_version " + line.value()
                                + ": nothing below TLS 1.2 is offered (deprecated by RFC 8996); TLS 1.2 and 1.3 allowed");
            }
            default -> d.error(line, "tls_version: expected tlsv1.2, tlsv1.3, tlsv1.1 or tlsv1, found " + line.found());
        }
    }

    private static Optional<String> word(ConfigLine line, Diagnostics d, String what) {
        if (line.words().size() == 1) {
            return Optional.of(line.value());
        }
        d.error(line, line.option() + ": expected " + what + " without spaces, found " + line.found());
        return Optional.empty();
    }

    /** The checks that need the whole listener: certfile and keyfile together, a CA for client certificates. */
    void validate(Diagnostics d) {
        String at = where + ": " + name + ": ";
        boolean cert = tlsOptions.contains("certfile");
        boolean key = tlsOptions.contains("keyfile");
        if (cert && !key) {
            d.error(at + "certfile given without keyfile; a TLS listener needs both");
        } else if (key && !cert) {
            d.error(at + "keyfile given without certfile; a TLS listener needs both");
        } else if (!cert && !tlsOptions.isEmpty()) {
            d.error(at + String.join(", ", tlsOptions)
                    + " given without certfile and keyfile; a TLS listener needs both");
        }
        if (requireCertificate && !tlsOptions.contains("cafile") && !tlsOptions.contains("capath")) {
            d.error(at + "require_certificate true needs cafile or capath");
        }
        if (useIdentityAsUsername && useSubjectAsUsername) {
            d.error(at + "use_identity_as_username and use_subject_as_username cannot both be true");
        }
        if (protocol != Protocol.WEBSOCKETS) {
            websocketOriginLine.ifPresent(line -> d.error(
                    line, "websockets_origin: only for a listener with protocol websockets (" + name + " is not)"));
        }
        if (console()) {
            validateConsole(d, at);
        } else {
            consoleUsersLine.ifPresent(line ->
                    d.error(line, "console_users: only for a listener with protocol http_api (" + name + " is not)"));
            consoleCaDirLine.ifPresent(line ->
                    d.error(line, "console_ca_dir: only for a listener with protocol http_api (" + name + " is not)"));
        }
        if (!useIdentityAsUsername && !useSubjectAsUsername) {
            refuseIdentityTakeoverLine.ifPresent(line -> d.error(
                    line,
                    "refuse_identity_takeover: only means something on a listener with use_identity_as_username or"
                            + " use_subject_as_username true (elsewhere client ids are not bound to certificates)"));
        }
    }

    /**
     * A console must say who may log in, and speaks HTTP in clear only on this machine: a password or session cookie
     * sent over the network must be encrypted (Mosquitto 2.1 tells users to bind {@code http_api} to loopback).
     */
    private void validateConsole(Diagnostics d, String at) {
        if (consoleUsersLine.isEmpty()) {
            d.error(at + "protocol http_api needs console_users NAME... (the password_file users who may log in)");
        }
        if (certfile.isEmpty() && !address.map(ListenerDraft::isLoopback).orElse(false)) {
            d.error(at + "protocol http_api without certfile and keyfile must bind a loopback address (127.0.0.1, ::1"
                    + " or localhost), found " + address.orElse("every address")
                    + ": passwords and session cookies would cross the network in clear");
        }
        for (ConfigLine line : given) {
            if (MQTT_ONLY.contains(line.option())) {
                d.error(line, line.option() + ": an MQTT listener option, not for a listener with protocol http_api");
            }
        }
    }

    static boolean isLoopback(String address) {
        return address.equals("localhost")
                || address.equals("::1")
                || address.matches("127\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}");
    }

    /** The console this listener is; only called when no problem was found. */
    ConsoleConfig buildConsole(SecurityConfig securityConfig) {
        ConfigLine users = consoleUsersLine.orElseThrow();
        return new ConsoleConfig(
                users.where(),
                build(securityConfig, Optional.empty()),
                consoleUsers,
                consoleCaDir,
                consoleCaDirLine.map(ConfigLine::where).orElse(users.where()));
    }

    /**
     * Only called when no problem was found. {@code globalAutoIdPrefix} is {@code auto_id_prefix} given for every
     * listener.
     */
    ListenerConfig build(SecurityConfig securityConfig, Optional<String> globalAutoIdPrefix) {
        Optional<TlsConfig> tls = certfile.map(cert -> new TlsConfig(
                cafile,
                capath,
                cert,
                keyfile.orElseThrow(),
                keyPassword,
                requireCertificate,
                useIdentityAsUsername,
                useSubjectAsUsername,
                refuseIdentityTakeover,
                tlsVersions,
                ciphers,
                ciphersTls13,
                crlfile));
        SecurityConfig security =
                listenerAllowAnonymous.map(securityConfig::withAllowAnonymous).orElse(securityConfig);
        ListenerAdmission admission = new ListenerAdmission(
                protocolLevels,
                listenerAutoIdPrefix
                        .or(() -> autoIdPrefix)
                        .or(() -> globalAutoIdPrefix)
                        .orElse("auto-"),
                websocketOrigins,
                mountPoint,
                maxQos,
                maxTopicAlias,
                maxTopicAliasBroker);
        return new ListenerConfig(port, address, socketDomain, protocol, maxConnections, tls, security, admission);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new LinkedHashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
