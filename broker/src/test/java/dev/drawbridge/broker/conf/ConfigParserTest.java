package dev.drawbridge.broker.conf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.drawbridge.broker.conf.ListenerConfig.Protocol;
import dev.drawbridge.broker.conf.ListenerConfig.SocketDomain;
import dev.drawbridge.broker.conf.LogConfig.Destination;
import dev.drawbridge.broker.conf.LogConfig.Destination.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ConfigParser} against Mosquitto 2.0's semantics. Config text may say {@code {dir}} for the test's temporary
 * directory, which holds a password file, an ACL file, a plugin jar, PEM files and some directories; expected
 * problems may also say {@code {conf}} for the main config file.
 */
class ConfigParserTest {

    @TempDir
    Path dir;

    @BeforeEach
    void makeReferencedFiles() throws IOException {
        for (String file :
                List.of("passwd", "acl", "other-acl", "plugin.jar", "ca.pem", "server.pem", "server.key", "crl.pem")) {
            Files.writeString(dir.resolve(file), "x\n");
        }
        for (String sub : List.of("certs", "data", "logs", "conf.d")) {
            Files.createDirectory(dir.resolve(sub));
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Bad configs: the exact problems, in order.

    static Stream<Arguments> badConfigs() {
        return Stream.of(
                bad("unknown option", "xyz 1", "{conf}:1: unknown option 'xyz'"),
                bad("option names are case-sensitive", "Listener 1883", "{conf}:1: unknown option 'Listener'"),
                bad(
                        "keepalive not a number",
                        "max_keepalive abc",
                        "{conf}:1: max_keepalive: expected an integer 0-65535, found 'abc'"),
                bad(
                        "keepalive too large (no clamping)",
                        "max_keepalive 65536",
                        "{conf}:1: max_keepalive: expected an integer 0-65535, found '65536'"),
                bad(
                        "keepalive with a plus sign",
                        "max_keepalive +60",
                        "{conf}:1: max_keepalive: expected an integer 0-65535, found '+60'"),
                bad(
                        "trailing garbage after a single value",
                        "max_keepalive 60 30",
                        "{conf}:1: max_keepalive: expected an integer 0-65535, found '60 30'"),
                bad(
                        "missing value",
                        "max_keepalive",
                        "{conf}:1: max_keepalive: expected an integer 0-65535, found nothing"),
                bad(
                        "boolean yes",
                        "retain_available yes",
                        "{conf}:1: retain_available: expected true or false, found 'yes'"),
                bad(
                        "boolean in capitals",
                        "persistence True",
                        "{conf}:1: persistence: expected true or false, found 'True'"),
                bad(
                        "packet size below 20",
                        "max_packet_size 19",
                        "{conf}:1: max_packet_size: expected an integer 20-268435455, found '19'"),
                bad(
                        "message size above MQTT's limit",
                        "message_size_limit 268435456",
                        "{conf}:1: message_size_limit: expected an integer 0-268435455, found '268435456'"),
                bad(
                        "negative inflight",
                        "max_inflight_messages -1",
                        "{conf}:1: max_inflight_messages: expected an integer >= 0, found '-1'"),
                bad(
                        "huge queue",
                        "max_queued_messages 99999999999",
                        "{conf}:1: max_queued_messages: expected an integer >= 0, found '99999999999'"),
                bad(
                        "negative queued bytes",
                        "max_queued_bytes -1",
                        "{conf}:1: max_queued_bytes: expected 0 (no limit) or a number of bytes 1-2147483647, found"
                                + " '-1'"),
                bad(
                        "queued bytes with a unit (Mosquitto takes plain bytes)",
                        "max_queued_bytes 10MB",
                        "{conf}:1: max_queued_bytes: expected 0 (no limit) or a number of bytes 1-2147483647, found"
                                + " '10MB'"),
                bad(
                        "queued bytes beyond 2 GiB",
                        "max_queued_bytes 2147483648",
                        "{conf}:1: max_queued_bytes: expected 0 (no limit) or a number of bytes 1-2147483647, found"
                                + " '2147483648'"),
                bad(
                        "client id length 0 (an empty id is allow_zero_length_clientid's business)",
                        "max_client_id_length 0",
                        "{conf}:1: max_client_id_length: expected a number of bytes 1-65535, found '0'"),
                bad(
                        "client id length beyond MQTT's strings",
                        "max_client_id_length 65536",
                        "{conf}:1: max_client_id_length: expected a number of bytes 1-65535, found '65536'"),
                bad(
                        "client id length missing",
                        "max_client_id_length",
                        "{conf}:1: max_client_id_length: expected a number of bytes 1-65535, found nothing"),
                bad(
                        "topic length 0",
                        "max_topic_length 0",
                        "{conf}:1: max_topic_length: expected a number of bytes 1-65535, found '0'"),
                bad(
                        "topic length beyond MQTT's strings",
                        "max_topic_length 65536",
                        "{conf}:1: max_topic_length: expected a number of bytes 1-65535, found '65536'"),
                bad(
                        "topic levels 0",
                        "max_topic_levels 0",
                        "{conf}:1: max_topic_levels: expected an integer 1-201, found '0'"),
                bad(
                        "topic levels beyond Mosquitto's",
                        "max_topic_levels 202",
                        "{conf}:1: max_topic_levels: expected an integer 1-201, found '202'"),
                bad(
                        "pending connections -1 (0 is no limit)",
                        "max_pending_connections_per_address -1",
                        "{conf}:1: max_pending_connections_per_address: expected 0 (no limit) or an integer"
                                + " 1-2147483647, found '-1'"),
                bad(
                        "pending connections as a word",
                        "max_pending_connections_per_address none",
                        "{conf}:1: max_pending_connections_per_address: expected 0 (no limit) or an integer"
                                + " 1-2147483647, found 'none'"),
                bad(
                        "mdns yes (Mosquitto booleans are true or false only)",
                        "mdns yes",
                        "{conf}:1: mdns: expected true or false, found 'yes'"),
                bad("mdns without a value", "mdns", "{conf}:1: mdns: expected true or false, found nothing"),
                bad(
                        "fractional sys_interval",
                        "sys_interval 1.5",
                        "{conf}:1: sys_interval: expected a number of seconds >= 0, found '1.5'"),
                bad(
                        "persistence_mode",
                        "persistence_mode fsync",
                        "{conf}:1: persistence_mode: expected durable or autosave, found 'fsync'"),
                bad(
                        "negative autosave",
                        "autosave_interval -5",
                        "{conf}:1: autosave_interval: expected a number of seconds >= 0, found '-5'"),
                bad(
                        "listener port too large",
                        "listener 70000",
                        "{conf}:1: listener: expected a port 0-65535, found '70000'"),
                bad("listener without port", "listener", "{conf}:1: listener: expected PORT [ADDRESS], found nothing"),
                bad(
                        "listener with three words",
                        "listener 1883 0.0.0.0 extra",
                        "{conf}:1: listener: expected PORT [ADDRESS], found '1883 0.0.0.0 extra'"),
                bad(
                        "listener address with a slash",
                        "listener 1883 a/b",
                        "{conf}:1: listener: expected an IP address or host name, found 'a/b'"),
                bad(
                        "bind_address with a slash",
                        "bind_address 10.0.0.1/24",
                        "{conf}:1: bind_address: expected an IP address or host name, found '10.0.0.1/24'"),
                bad("port not a number", "port http", "{conf}:1: port: expected a port 0-65535, found 'http'"),
                bad(
                        "same listener twice",
                        "listener 1883\nlistener 1883",
                        "{conf}:2: listener 1883: port 1883 on every address is already used by listener 1883 at "
                                + "{conf}:1"),
                bad(
                        "same port and address twice",
                        "listener 1883 127.0.0.1\nlistener 1884\nlistener 1883 127.0.0.1",
                        "{conf}:3: listener 1883 127.0.0.1: port 1883 on 127.0.0.1 is already used by listener 1883 "
                                + "127.0.0.1 at {conf}:1"),
                bad(
                        "default listener on a listener's port",
                        "port 1884\nlistener 1884",
                        "{conf}:1: default listener: port 1884 on every address is already used by listener 1884 at "
                                + "{conf}:2"),
                bad(
                        "socket_domain",
                        "listener 1883\nsocket_domain ipv5",
                        "{conf}:2: socket_domain: expected ipv4 or ipv6, found 'ipv5'"),
                bad(
                        "protocol",
                        "listener 1883\nprotocol mqtts",
                        "{conf}:2: protocol: expected mqtt, websockets or http_api, found 'mqtts'"),
                bad(
                        "max_connections below -1",
                        "listener 1883\nmax_connections -2",
                        "{conf}:2: max_connections: expected -1 (no limit) or an integer 0-2147483647, found '-2'"),
                bad(
                        "missing password file",
                        "listener 1883\npassword_file {dir}/nope",
                        "{conf}:2: password_file: cannot read '{dir}/nope': no such file or directory"),
                bad(
                        "ACL file is a directory",
                        "listener 1883\nacl_file {dir}/certs",
                        "{conf}:2: acl_file: cannot read '{dir}/certs': is a directory"),
                bad(
                        "password_file without a path",
                        "password_file",
                        "{conf}:1: password_file: expected a file, found nothing"),
                bad(
                        "missing plugin jar",
                        "plugin {dir}/nope.jar\nplugin_opt_a 1",
                        "{conf}:1: plugin: cannot read '{dir}/nope.jar': no such file or directory"),
                bad(
                        "plugin_opt_ before any plugin",
                        "plugin_opt_db x",
                        "{conf}:1: plugin_opt_db: must follow a plugin line"),
                bad(
                        "plugin_opt_ without a value",
                        "plugin {dir}/plugin.jar\nplugin_opt_db",
                        "{conf}:2: plugin_opt_db: expected a value, found nothing"),
                bad(
                        "plugin_opt_ without a name",
                        "plugin {dir}/plugin.jar\nplugin_opt_ x",
                        "{conf}:2: plugin_opt_: expected plugin_opt_NAME VALUE, found no NAME"),
                bad(
                        "plugin_opt_ twice",
                        "plugin {dir}/plugin.jar\nplugin_opt_db a\nplugin_opt_db b",
                        "{conf}:3: plugin_opt_db: given twice for plugin '{dir}/plugin.jar'"),
                bad(
                        "per-listener security before any listener",
                        "per_listener_settings true\nallow_anonymous true",
                        "{conf}:2: allow_anonymous: with per_listener_settings true, this must follow a listener "
                                + "line"),
                bad(
                        "per_listener_settings after a security option",
                        "password_file {dir}/passwd\nper_listener_settings true",
                        "{conf}:2: per_listener_settings: must come before any allow_anonymous, password_file, "
                                + "acl_file or plugin line"),
                bad(
                        "tls_version sslv3",
                        tls("tls_version sslv3"),
                        "{conf}:4: tls_version: expected tlsv1.2, tlsv1.3, tlsv1.1 or tlsv1, found 'sslv3'"),
                bad(
                        "certfile without keyfile",
                        "listener 8883\ncertfile {dir}/server.pem",
                        "{conf}:1: listener 8883: certfile given without keyfile; a TLS listener needs both"),
                bad(
                        "keyfile without certfile",
                        "listener 8883\nkeyfile {dir}/server.key",
                        "{conf}:1: listener 8883: keyfile given without certfile; a TLS listener needs both"),
                bad(
                        "TLS options on a plain listener",
                        "listener 8883\ncafile {dir}/ca.pem\nrequire_certificate true",
                        "{conf}:1: listener 8883: cafile, require_certificate given without certfile and keyfile; a "
                                + "TLS listener needs both"),
                bad(
                        "client certificates without a CA",
                        tls("require_certificate true"),
                        "{conf}:1: listener 8883: require_certificate true needs cafile or capath"),
                bad(
                        "missing certfile",
                        "listener 8883\ncertfile {dir}/missing.pem\nkeyfile {dir}/server.key",
                        "{conf}:2: certfile: cannot read '{dir}/missing.pem': no such file or directory"),
                bad(
                        "missing cafile",
                        tls("cafile {dir}/missing-ca.pem"),
                        "{conf}:4: cafile: cannot read '{dir}/missing-ca.pem': no such file or directory"),
                bad(
                        "capath is a file",
                        tls("capath {dir}/ca.pem"),
                        "{conf}:4: capath: cannot read '{dir}/ca.pem': not a directory"),
                bad(
                        "both username sources",
                        tls("use_identity_as_username true", "use_subject_as_username true"),
                        "{conf}:1: listener 8883: use_identity_as_username and use_subject_as_username cannot both "
                                + "be true"),
                bad(
                        "refuse_identity_takeover not a boolean",
                        tls("use_identity_as_username true", "refuse_identity_takeover no"),
                        "{conf}:5: refuse_identity_takeover: expected true or false, found 'no'"),
                bad(
                        "refuse_identity_takeover on a TLS listener without certificate names",
                        tls("refuse_identity_takeover false"),
                        "{conf}:4: refuse_identity_takeover: only means something on a listener with"
                                + " use_identity_as_username or use_subject_as_username true (elsewhere client ids are"
                                + " not bound to certificates)"),
                bad(
                        "refuse_identity_takeover on a plain listener",
                        "listener 1883\nrefuse_identity_takeover true",
                        "{conf}:2: refuse_identity_takeover: only means something on a listener with"
                                + " use_identity_as_username or use_subject_as_username true (elsewhere client ids are"
                                + " not bound to certificates)"),
                bad(
                        "refuse_identity_takeover on the next listener, not the one with certificate names",
                        tls("use_identity_as_username true", "listener 1883", "refuse_identity_takeover false"),
                        "{conf}:6: refuse_identity_takeover: only means something on a listener with"
                                + " use_identity_as_username or use_subject_as_username true (elsewhere client ids are"
                                + " not bound to certificates)"),
                bad(
                        "ciphers with a space",
                        tls("ciphers AES128 AES256"),
                        "{conf}:4: ciphers: expected an OpenSSL cipher list without spaces, found 'AES128 AES256'"),
                bad(
                        "empty keyfile_password",
                        tls("keyfile_password"),
                        "{conf}:4: keyfile_password: expected a password, found nothing"),
                bad(
                        "a bridge with no address and no topic",
                        "connection upstream",
                        "{conf}:1: connection upstream: no address; expected 'address HOST[:PORT]'",
                        "{conf}:1: connection upstream: no topic; expected at least one 'topic PATTERN ...' line"),
                bad(
                        "bridge address before any connection",
                        "address 10.0.0.1:1883",
                        "{conf}:1: address: a bridge option must follow a 'connection NAME' line in the same file"),
                bad(
                        "bridge topic before any connection",
                        "topic # both 0",
                        "{conf}:1: topic: a bridge option must follow a 'connection NAME' line in the same file"),
                bad(
                        "a bridge_ option Drawbridge does not read",
                        "bridge_bind_address 10.0.0.2",
                        "{conf}:1: bridge_bind_address: not supported by Drawbridge, and ignoring it would lose"
                                + " messages; remove it"),
                bad(
                        "psk_hint",
                        "psk_hint home",
                        "{conf}:1: psk_hint: TLS-PSK is not supported by Drawbridge (neither Java's TLS nor Netty's OpenSSL"
                                + " offers pre-shared keys), and ignoring it would weaken security; remove it and give"
                                + " clients certificates (cafile, certfile, keyfile, require_certificate)"),
                bad(
                        "psk_file",
                        "psk_file {dir}/psk",
                        "{conf}:1: psk_file: TLS-PSK is not supported by Drawbridge (neither Java's TLS nor Netty's OpenSSL"
                                + " offers pre-shared keys), and ignoring it would weaken security; remove it and give"
                                + " clients certificates (cafile, certfile, keyfile, require_certificate)"),
                bad(
                        "tls_engine",
                        "tls_engine pkcs11",
                        "{conf}:1: tls_engine: not supported by Drawbridge, and ignoring it would weaken security; "
                                + "remove it"),
                bad(
                        "auth_plugin",
                        "auth_plugin /usr/lib/auth.so",
                        "{conf}:1: auth_plugin: not supported by Drawbridge, and ignoring it would weaken security; "
                                + "remove it"),
                bad(
                        "any auth_opt_ option",
                        "auth_opt_backends files",
                        "{conf}:1: auth_opt_backends: not supported by Drawbridge, and ignoring it would weaken "
                                + "security; remove it"),
                bad(
                        "mount_point with a wildcard",
                        "listener 1883\nmount_point tenant/+/",
                        "{conf}:2: mount_point: expected a topic prefix without + or #, found 'tenant/+/'"),
                bad(
                        "mount_point with spaces",
                        "listener 1883\nmount_point a b",
                        "{conf}:2: mount_point: expected a topic prefix such as tenant/ without spaces, found 'a b'"),
                bad(
                        "bind_interface",
                        "listener 1883\nbind_interface eth0",
                        "{conf}:2: bind_interface: not supported by Drawbridge, and ignoring it would weaken "
                                + "security; remove it"),
                bad(
                        "queue_qos0_messages true",
                        "queue_qos0_messages true",
                        "{conf}:1: queue_qos0_messages: not supported by Drawbridge, and ignoring it would lose "
                                + "messages; remove it"),
                bad(
                        "disable_client_cert_date_checks true",
                        "disable_client_cert_date_checks true",
                        "{conf}:1: disable_client_cert_date_checks: not supported by Drawbridge, and ignoring it would"
                                + " weaken security; remove it"),
                bad(
                        "global_max_clients with a limit",
                        "global_max_clients 100",
                        "{conf}:1: global_max_clients: a limit on sessions is not supported by Drawbridge, and ignoring"
                                + " it would weaken security; remove it, or use global_max_connections or"
                                + " max_connections"),
                bad(
                        "global_max_clients not a number",
                        "global_max_clients many",
                        "{conf}:1: global_max_clients: expected -1 (no limit) or an integer 0-2147483647, found"
                                + " 'many'"),
                bad(
                        "global_max_connections below -1",
                        "global_max_connections -2",
                        "{conf}:1: global_max_connections: expected -1 (no limit) or an integer 0-2147483647, found"
                                + " '-2'"),
                bad(
                        "max_qos above 2",
                        "listener 1883\nmax_qos 3",
                        "{conf}:2: max_qos: expected an integer 0-2, found '3'"),
                bad(
                        "maximum_qos negative",
                        "listener 1883\nmaximum_qos -1",
                        "{conf}:2: maximum_qos: expected an integer 0-2, found '-1'"),
                bad(
                        "max_topic_alias above 65535",
                        "listener 1883\nmax_topic_alias 65536",
                        "{conf}:2: max_topic_alias: expected an integer 0-65535, found '65536'"),
                bad(
                        "max_topic_alias not a number (Mosquitto's atoi would read 0)",
                        "listener 1883\nmax_topic_alias ten",
                        "{conf}:2: max_topic_alias: expected an integer 0-65535, found 'ten'"),
                bad(
                        "max_topic_alias_broker negative",
                        "listener 1883\nmax_topic_alias_broker -1",
                        "{conf}:2: max_topic_alias_broker: expected an integer 0-65535, found '-1'"),
                bad(
                        "accept_protocol_versions with an unknown version",
                        "listener 1883\naccept_protocol_versions 4, 6",
                        "{conf}:2: accept_protocol_versions: expected a comma-separated list of 3 (MQTT 3.1), 4 (3.1.1)"
                                + " and 5 (5.0), found '4, 6'"),
                bad(
                        "accept_protocol_versions empty",
                        "listener 1883\naccept_protocol_versions",
                        "{conf}:2: accept_protocol_versions: expected a comma-separated list of 3 (MQTT 3.1), 4 (3.1.1)"
                                + " and 5 (5.0), found nothing"),
                bad(
                        "listener_allow_anonymous not a boolean",
                        "listener 1883\nlistener_allow_anonymous yes",
                        "{conf}:2: listener_allow_anonymous: expected true or false, found 'yes'"),
                bad(
                        "listener_auto_id_prefix with a space",
                        "listener 1883\nlistener_auto_id_prefix my id-",
                        "{conf}:2: listener_auto_id_prefix: expected a client id prefix without spaces, found 'my id-'"),
                bad(
                        "auto_id_prefix with per_listener_settings before any listener",
                        "per_listener_settings true\nauto_id_prefix x-",
                        "{conf}:2: auto_id_prefix: with per_listener_settings true, this must follow a listener line"),
                bad(
                        "http_api without console_users",
                        "listener 1883\nlistener 8080 127.0.0.1\nprotocol http_api",
                        "{conf}:2: listener 8080 127.0.0.1: protocol http_api needs console_users NAME... (the"
                                + " password_file users who may log in)"),
                bad(
                        "http_api in clear on every address",
                        "listener 1883\nlistener 8080\nprotocol http_api\nconsole_users admin",
                        "{conf}:2: listener 8080: protocol http_api without certfile and keyfile must bind a loopback"
                                + " address (127.0.0.1, ::1 or localhost), found every address: passwords and session"
                                + " cookies would cross the network in clear"),
                bad(
                        "http_api in clear on a LAN address",
                        "listener 1883\nlistener 8080 192.168.1.2\nprotocol http_api\nconsole_users admin",
                        "{conf}:2: listener 8080 192.168.1.2: protocol http_api without certfile and keyfile must bind"
                                + " a loopback address (127.0.0.1, ::1 or localhost), found 192.168.1.2: passwords and"
                                + " session cookies would cross the network in clear"),
                bad(
                        "an MQTT option on the console",
                        "listener 1883\nlistener 8080 127.0.0.1\nprotocol http_api\nconsole_users admin\nmax_qos 1",
                        "{conf}:5: max_qos: an MQTT listener option, not for a listener with protocol http_api"),
                bad(
                        "console_users on an MQTT listener",
                        "listener 1883\nconsole_users admin",
                        "{conf}:2: console_users: only for a listener with protocol http_api (listener 1883 is not)"),
                bad(
                        "console_users without a name",
                        "listener 1883\nlistener 8080 127.0.0.1\nprotocol http_api\nconsole_users",
                        "{conf}:4: console_users: expected one or more user names from the password file, found"
                                + " nothing"),
                bad(
                        "a console and no MQTT listener",
                        "listener 8080 127.0.0.1\nprotocol http_api\nconsole_users admin",
                        "{conf}:1: listener 8080 127.0.0.1: protocol http_api is the console; the broker needs an MQTT"
                                + " listener too"),
                bad(
                        "websockets_origin on an MQTT listener",
                        "listener 1883\nwebsockets_origin http://example.com",
                        "{conf}:2: websockets_origin: only for a listener with protocol websockets (listener 1883 is"
                                + " not)"),
                bad(
                        "mosquitto_dynamic_security.so",
                        "listener 1883\nplugin /usr/lib/mosquitto_dynamic_security.so\nplugin_opt_config_file x.json",
                        "{conf}:2: plugin: mosquitto_dynamic_security.so is not supported by Drawbridge, and ignoring"
                                + " it would weaken security; move its users and rules to password_file and acl_file"),
                bad(
                        "another Mosquitto C plugin",
                        "listener 1883\nglobal_plugin /usr/lib/auth-plug.so",
                        "{conf}:2: global_plugin: '/usr/lib/auth-plug.so' is a Mosquitto C plugin; Drawbridge loads"
                                + " Java plugin jars (and reads mosquitto_password_file.so and mosquitto_acl_file.so as"
                                + " password_file and acl_file)"),
                bad(
                        "mosquitto_password_file.so without its file",
                        "listener 1883\nplugin /usr/lib/mosquitto_password_file.so",
                        "{conf}:2: plugin mosquitto_password_file.so: needs plugin_opt_password_file PATH"),
                bad(
                        "mosquitto_acl_file.so with an unknown option",
                        "listener 1883\nplugin /usr/lib/mosquitto_acl_file.so\nplugin_opt_acl_file {dir}/acl\n"
                                + "plugin_opt_mode strict",
                        "{conf}:4: plugin_opt_mode: unknown option of mosquitto_acl_file.so, which takes only"
                                + " plugin_opt_acl_file"),
                bad(
                        "mosquitto_password_file.so with a missing file",
                        "listener 1883\nplugin mosquitto_password_file.so\nplugin_opt_password_file {dir}/nope",
                        "{conf}:3: plugin_opt_password_file: cannot read '{dir}/nope': no such file or directory"),
                bad(
                        "password_file and mosquitto_password_file.so together",
                        "listener 1883\npassword_file {dir}/passwd\nplugin /x/mosquitto_password_file.so\n"
                                + "plugin_opt_password_file {dir}/passwd",
                        "{conf}:3: mosquitto_password_file.so: a second password_file for the same listeners (given by"
                                + " password_file or another mosquitto_password_file.so); Drawbridge reads one"),
                bad(
                        "use_username_as_clientid true",
                        "listener 1883\nuse_username_as_clientid true",
                        "{conf}:2: use_username_as_clientid: not supported by Drawbridge, and ignoring it would "
                                + "weaken security; remove it"),
                bad(
                        "queue_qos0_messages not a boolean",
                        "queue_qos0_messages maybe",
                        "{conf}:1: queue_qos0_messages: expected true or false, found 'maybe'"),
                bad(
                        "persistence_file with a directory",
                        "persistence_file data/mosquitto.db",
                        "{conf}:1: persistence_file: expected a file name without '/', found 'data/mosquitto.db'"),
                bad(
                        "missing persistence_location",
                        "persistence_location {dir}/nodir",
                        "{conf}:1: persistence_location: cannot read '{dir}/nodir': no such directory"),
                bad(
                        "persistent_client_expiration unit",
                        "persistent_client_expiration 2x",
                        "{conf}:1: persistent_client_expiration: expected a number > 0 followed by s, h, d, w, m or y "
                                + "(e.g. 14d), found '2x'"),
                bad(
                        "persistent_client_expiration zero",
                        "persistent_client_expiration 0d",
                        "{conf}:1: persistent_client_expiration: expected a number > 0 followed by s, h, d, w, m or y "
                                + "(e.g. 14d), found '0d'"),
                bad(
                        "log_dest",
                        "log_dest bogus",
                        "{conf}:1: log_dest: expected stdout, stderr, file PATH, none, syslog, topic or dlt, found "
                                + "'bogus'"),
                bad(
                        "log_dest with two destinations",
                        "log_dest stdout stderr",
                        "{conf}:1: log_dest: expected stdout, stderr, file PATH, none, syslog, topic or dlt, found "
                                + "'stdout stderr'"),
                bad(
                        "log_dest file without a path",
                        "log_dest file",
                        "{conf}:1: log_dest file: expected a path, found nothing"),
                bad(
                        "log_dest file in a missing directory",
                        "log_dest file {dir}/nodir/broker.log",
                        "{conf}:1: log_dest: cannot write to '{dir}/nodir/broker.log': its directory does not exist"),
                bad(
                        "log_type",
                        "log_type verbose",
                        "{conf}:1: log_type: expected debug, error, warning, notice, information, subscribe, "
                                + "unsubscribe, websockets, none or all, found 'verbose'"),
                bad(
                        "missing include_dir",
                        "include_dir {dir}/nope",
                        "{conf}:1: include_dir: cannot read '{dir}/nope': no such directory"),
                bad(
                        "every problem of the file, in order",
                        "max_keepalive abc\n# fine\nlistener 1883\nretain_available 1\nfoo bar",
                        "{conf}:1: max_keepalive: expected an integer 0-65535, found 'abc'",
                        "{conf}:4: retain_available: expected true or false, found '1'",
                        "{conf}:5: unknown option 'foo'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badConfigs")
    void refusesBadConfig(String description, String config, List<String> expected) throws IOException {
        Path conf = write("mosquitto.conf", config);

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigParser.parse(conf));

        List<String> want = expected.stream().map(this::expand).toList();
        assertThat(e).as(description).isNotNull();
        assertThat(e.problems()).as(description).containsExactlyElementsOf(want);
        assertThat(e.getMessage()).isEqualTo(String.join("\n", want));
    }

    @Test
    void missingConfigFileCannotBeRead() {
        Path conf = dir.resolve("absent.conf");

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigParser.parse(conf));

        assertThat(e.problems()).containsExactly(conf + ": cannot read: no such file or directory");
    }

    @Test
    void directoryAsConfigFileCannotBeRead() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigParser.parse(dir));

        assertThat(e.problems()).containsExactly(dir + ": cannot read: is a directory");
    }

    @Test
    void configFileMustBeUtf8() throws IOException {
        Path conf = dir.resolve("latin1.conf");
        Files.write(conf, "# caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigParser.parse(conf));

        assertThat(e.problems()).containsExactly(conf + ": cannot read: not valid UTF-8");
    }

    @Test
    void problemsInAnIncludedFileNameThatFileAndLine() throws IOException {
        write("conf.d/10-ok.conf", "max_keepalive 60\n");
        write("conf.d/20-bad.conf", "# second file\nmax_keepalive abc\ninclude_dir {dir}/certs\n");
        Path conf = write("mosquitto.conf", "include_dir {dir}/conf.d\nretain_available no\n");

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigParser.parse(conf));

        assertThat(e.problems())
                .containsExactly(
                        expand("{dir}/conf.d/20-bad.conf:2: max_keepalive: expected an integer 0-65535, found 'abc'"),
                        expand("{dir}/conf.d/20-bad.conf:3: include_dir: only allowed in the main config file"),
                        expand("{conf}:2: retain_available: expected true or false, found 'no'"));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Good configs.

    @Test
    void emptyConfigIsMosquittoLocalOnlyMode() throws Exception {
        BrokerConfig config = parse("# nothing but comments\n\n   \n\t# indented comment\n");

        assertThat(config).isEqualTo(BrokerConfig.localOnly(1883));
        assertThat(config.localOnly()).isTrue();
        assertThat(config.listeners().get(0).security().allowAnonymous()).isTrue();
    }

    @Test
    void defaultsOnceAListenerIsConfigured() throws Exception {
        BrokerConfig config = parse("listener 1883");

        SecurityConfig closed = new SecurityConfig(false, Optional.empty(), Optional.empty(), List.of());
        ListenerConfig listener = new ListenerConfig(
                1883, Optional.empty(), SocketDomain.ANY, Protocol.MQTT, -1, Optional.empty(), closed);
        assertThat(config).isEqualTo(BrokerConfig.defaults(List.of(listener), false));
        assertThat(config.allowZeroLengthClientId()).isTrue();
        assertThat(config.maxKeepalive()).isEqualTo(65535);
        assertThat(config.maxPacketSize()).isEqualTo(2_000_000);
        assertThat(config.messageSizeLimit()).isZero();
        assertThat(config.maxInflightMessages()).isEqualTo(20);
        assertThat(config.maxQueuedMessages()).isEqualTo(1000);
        assertThat(config.retainAvailable()).isTrue();
        assertThat(config.persistence())
                .isEqualTo(new PersistenceConfig(
                        false, Path.of("."), "mosquitto.db", Duration.ofSeconds(1800), Optional.empty(), true));
        assertThat(config.log()).isEqualTo(new LogConfig(List.of(), Set.of(), true, true));
        assertThat(config.pidFile()).isEmpty();
        assertThat(config.sysInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.mdns()).isFalse();
        assertThat(config.clientLimits()).isEqualTo(new ClientLimits(256, 65_535, 201, 0, 16, -1));
        assertThat(config.delivery()).isEqualTo(new DeliveryOptions(false, false));
        assertThat(config.warnings()).isEmpty();
    }

    static Stream<Arguments> goodOptions() {
        return Stream.of(
                good("allow_zero_length_clientid false", BrokerConfig::allowZeroLengthClientId, false),
                good("max_keepalive 60", BrokerConfig::maxKeepalive, 60),
                good("max_keepalive 0", BrokerConfig::maxKeepalive, 0),
                good("max_keepalive 10\nmax_keepalive 20", BrokerConfig::maxKeepalive, 20),
                good("   max_keepalive \t 90   ", BrokerConfig::maxKeepalive, 90),
                good("max_packet_size 20", BrokerConfig::maxPacketSize, 20),
                good("max_packet_size 268435455", BrokerConfig::maxPacketSize, 268_435_455),
                good("message_size_limit 1024", BrokerConfig::messageSizeLimit, 1024),
                good("max_inflight_messages 0", BrokerConfig::maxInflightMessages, 0),
                good("max_queued_messages 5", BrokerConfig::maxQueuedMessages, 5),
                good("max_queued_bytes 0", c -> c.clientLimits().maxQueuedBytes(), 0),
                good("max_queued_bytes 1048576", c -> c.clientLimits().maxQueuedBytes(), 1_048_576),
                good("max_queued_bytes 2147483647", c -> c.clientLimits().maxQueuedBytes(), Integer.MAX_VALUE),
                good("max_client_id_length 1", c -> c.clientLimits().maxClientIdLength(), 1),
                good("max_client_id_length 65535", c -> c.clientLimits().maxClientIdLength(), 65_535),
                good("max_topic_length 1", c -> c.clientLimits().maxTopicLength(), 1),
                good("max_topic_length 1024", c -> c.clientLimits().maxTopicLength(), 1024),
                good("max_topic_levels 1", c -> c.clientLimits().maxTopicLevels(), 1),
                good("max_topic_levels 201", c -> c.clientLimits().maxTopicLevels(), 201),
                good(
                        "max_topic_levels 20\nmax_topic_levels 8",
                        c -> c.clientLimits().maxTopicLevels(),
                        8),
                good(
                        "max_pending_connections_per_address 0",
                        c -> c.clientLimits().maxPendingConnectionsPerAddress(),
                        0),
                good(
                        "max_pending_connections_per_address 100",
                        c -> c.clientLimits().maxPendingConnectionsPerAddress(),
                        100),
                good("retain_available false", BrokerConfig::retainAvailable, false),
                good("persistence true", c -> c.persistence().enabled(), true),
                good("retained_persistence true", c -> c.persistence().enabled(), true),
                good("persistence_location {dir}/data", c -> c.persistence().location(), "{dir}/data"),
                good("persistence_file broker.db", c -> c.persistence().file(), "broker.db"),
                good("autosave_interval 60", c -> c.persistence().autosaveInterval(), Duration.ofSeconds(60)),
                good("autosave_interval 0", c -> c.persistence().autosaveInterval(), Duration.ZERO),
                good("persistence_mode autosave", c -> c.persistence().durable(), false),
                good("persistence_mode durable", c -> c.persistence().durable(), true),
                good(
                        "persistent_client_expiration 30s",
                        BrokerConfigs::expiration,
                        Optional.of(Duration.ofSeconds(30))),
                good("persistent_client_expiration 3h", BrokerConfigs::expiration, Optional.of(Duration.ofHours(3))),
                good("persistent_client_expiration 2d", BrokerConfigs::expiration, Optional.of(Duration.ofDays(2))),
                good("persistent_client_expiration 1w", BrokerConfigs::expiration, Optional.of(Duration.ofDays(7))),
                good("persistent_client_expiration 2m", BrokerConfigs::expiration, Optional.of(Duration.ofDays(60))),
                good("persistent_client_expiration 1y", BrokerConfigs::expiration, Optional.of(Duration.ofDays(365))),
                good("log_dest stdout", c -> c.log().destinations(), List.of(Destination.of(Kind.STDOUT))),
                good("log_dest none", c -> c.log().destinations(), List.of(Destination.of(Kind.NONE))),
                good(
                        "log_dest stderr\nlog_dest file {dir}/logs/broker log.txt",
                        c -> c.log().destinations(),
                        List.of(
                                Destination.of(Kind.STDERR),
                                new Destination(Kind.FILE, Path.of("{dir}/logs/broker log.txt")))),
                good(
                        "log_type debug\nlog_type subscribe",
                        c -> c.log().types(),
                        Set.of(LogConfig.Type.DEBUG, LogConfig.Type.SUBSCRIBE)),
                good("log_type all", c -> c.log().types(), Set.of(LogConfig.Type.ALL)),
                good("log_timestamp false", c -> c.log().timestamp(), false),
                good("connection_messages false", c -> c.log().connectionMessages(), false),
                good("pid_file {dir}/run/broker.pid", BrokerConfig::pidFile, Optional.of("{dir}/run/broker.pid")),
                good("sys_interval 0", BrokerConfig::sysInterval, Duration.ZERO),
                good("sys_interval 30", BrokerConfig::sysInterval, Duration.ofSeconds(30)),
                good("mdns true", BrokerConfig::mdns, true),
                good("mdns false", BrokerConfig::mdns, false),
                good("mdns true\nmdns false", BrokerConfig::mdns, false),
                good("upgrade_outgoing_qos true", c -> c.delivery().upgradeOutgoingQos(), true),
                good("upgrade_outgoing_qos false", c -> c.delivery().upgradeOutgoingQos(), false),
                good("check_retain_source true", c -> c.delivery().checkRetainSource(), true),
                good(
                        "check_retain_source true\ncheck_retain_source false",
                        c -> c.delivery().checkRetainSource(),
                        false),
                good("listener 8883 192.168.1.2", BrokerConfigs::first, "192.168.1.2:8883"),
                good("listener 1883 ::1", BrokerConfigs::first, "::1:1883"),
                good(
                        "listener 1883\nmount_point tenant/\nlistener 1884",
                        c -> c.listeners().stream()
                                .map(l -> l.admission().mountPoint())
                                .toList(),
                        List.of("tenant/", "")),
                good("listener 1883 broker.local", BrokerConfigs::first, "broker.local:1883"),
                good("listener 1883 0.0.0.0 # all IPv4", BrokerConfigs::first, "0.0.0.0:1883"),
                good("listener 0", BrokerConfigs::first, "*:0"),
                good("listener\t1884", BrokerConfigs::first, "*:1884"),
                good("listener 9001\nprotocol websockets", BrokerConfigs::first, "*:9001 (websockets)"),
                good("port 1884", BrokerConfigs::first, "*:1884"),
                good("bind_address 10.0.0.5", BrokerConfigs::first, "10.0.0.5:1883"),
                good("port 1884\nbind_address 10.0.0.5", BrokerConfigs::first, "10.0.0.5:1884"),
                good(
                        "listener 1883\nsocket_domain ipv6",
                        c -> c.listeners().get(0).socketDomain(),
                        SocketDomain.IPV6),
                good(
                        "listener 1883\nsocket_domain ipv4",
                        c -> c.listeners().get(0).socketDomain(),
                        SocketDomain.IPV4),
                good(
                        "listener 1883\nmax_connections 10",
                        c -> c.listeners().get(0).maxConnections(),
                        10),
                good("max_connections -1", c -> c.listeners().get(0).maxConnections(), -1),
                good(
                        "listener 1883\nlistener 1883 127.0.0.1\nlistener 8883",
                        c -> c.listeners().stream()
                                .map(ListenerConfig::describe)
                                .toList(),
                        List.of("*:1883", "127.0.0.1:1883", "*:8883")),
                good(
                        "listener 1883\nport 1884",
                        c -> c.listeners().stream()
                                .map(ListenerConfig::describe)
                                .toList(),
                        List.of("*:1883", "*:1884")),
                good("listener 0\nlistener 0", c -> c.listeners().size(), 2),
                good(
                        "listener 1883\nallow_anonymous true",
                        c -> c.listeners().get(0).security().allowAnonymous(),
                        true),
                good(
                        "allow_anonymous false",
                        c -> c.listeners().get(0).security().allowAnonymous(),
                        false),
                good(
                        "password_file {dir}/passwd",
                        c -> c.listeners().get(0).security().passwordFile(),
                        Optional.of("{dir}/passwd")),
                good(
                        "listener 1883\nacl_file {dir}/acl\nacl_file {dir}/other-acl",
                        c -> c.listeners().get(0).security().aclFile(),
                        Optional.of("{dir}/other-acl")),
                good(
                        tls(),
                        c -> BrokerConfigs.tls(c).toString(),
                        "TlsConfig[certfile={dir}/server.pem, keyfile={dir}/server.key, "
                                + "cafile=null, requireCertificate=false, tlsVersions=[TLSv1.3, TLSv1.2]]"),
                good(
                        tls("tls_version tlsv1.2"),
                        c -> BrokerConfigs.tls(c).tlsVersions(),
                        List.of("TLSv1.3", "TLSv1.2")),
                good(tls("tls_version tlsv1.3"), c -> BrokerConfigs.tls(c).tlsVersions(), List.of("TLSv1.3")),
                good(
                        tls("cafile {dir}/ca.pem", "require_certificate true"),
                        c -> List.of(
                                BrokerConfigs.tls(c).cafile(),
                                BrokerConfigs.tls(c).requireCertificate()),
                        List.of(Optional.of("{dir}/ca.pem"), true)),
                good(
                        tls("capath {dir}/certs", "require_certificate true"),
                        c -> BrokerConfigs.tls(c).capath(),
                        Optional.of("{dir}/certs")),
                good(tls("crlfile {dir}/crl.pem"), c -> BrokerConfigs.tls(c).crlfile(), Optional.of("{dir}/crl.pem")),
                good(
                        tls("ciphers ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES128-GCM-SHA256"),
                        c -> BrokerConfigs.tls(c).ciphers(),
                        Optional.of("ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES128-GCM-SHA256")),
                good(
                        tls("ciphers_tls1.3 TLS_AES_128_GCM_SHA256"),
                        c -> BrokerConfigs.tls(c).ciphersTls13(),
                        Optional.of("TLS_AES_128_GCM_SHA256")),
                good(
                        tls("keyfile_password correct horse"),
                        c -> BrokerConfigs.tls(c).keyPassword(),
                        Optional.of("correct horse")),
                good(
                        tls("use_identity_as_username true"),
                        c -> BrokerConfigs.tls(c).useIdentityAsUsername(),
                        true),
                good(
                        tls("use_subject_as_username true"),
                        c -> BrokerConfigs.tls(c).useSubjectAsUsername(),
                        true),
                good(
                        tls("use_identity_as_username true"),
                        c -> BrokerConfigs.tls(c).refuseIdentityTakeover(),
                        true),
                good(
                        tls("use_identity_as_username true", "refuse_identity_takeover false"),
                        c -> BrokerConfigs.tls(c).refuseIdentityTakeover(),
                        false),
                good(
                        tls("refuse_identity_takeover false", "use_subject_as_username true"),
                        c -> BrokerConfigs.tls(c).refuseIdentityTakeover(),
                        false),
                good(
                        tls("use_identity_as_username true", "refuse_identity_takeover true"),
                        c -> BrokerConfigs.tls(c).refuseIdentityTakeover(),
                        true),
                good("certfile {dir}/server.pem\nkeyfile {dir}/server.key", BrokerConfigs::first, "*:1883 (tls)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goodOptions")
    void parsesOption(String config, Function<BrokerConfig, Object> actual, Object expected) throws Exception {
        BrokerConfig parsed = parse(config);

        Object got = actual.apply(parsed);
        if (String.valueOf(expected).contains("{dir}")) {
            // Paths under the temporary directory: compare as text, with {dir} filled in.
            assertThat(String.valueOf(got)).as(config).isEqualTo(expand(String.valueOf(expected)));
        } else {
            assertThat(got).as(config).isEqualTo(expected);
        }
        assertThat(parsed.warnings()).as(config).isEmpty();
    }

    @Test
    void theDebianConfsCommentedLimitsAreValidOptionsWithTheDefaultValues() throws Exception {
        Path debianConf =
                Path.of(System.getProperty("basedir", "")).resolve("src/deb/root/etc/drawbridge/mosquitto.conf");
        List<String> limits = Files.readAllLines(debianConf).stream()
                .filter(line -> line.startsWith("#max_") || line.startsWith("#message_size_limit"))
                .map(line -> line.substring(1))
                .toList();

        BrokerConfig config = parse("listener 1883\n" + String.join("\n", limits));

        assertThat(limits).hasSize(9);
        assertThat(config).isEqualTo(parse("listener 1883"));
    }

    /** Mosquitto 2.1's way of writing password_file and acl_file: its bundled plugins, in whatever directory. */
    @Test
    void theBundledPasswordAndAclPluginsAreReadAsPasswordFileAndAclFile() throws Exception {
        BrokerConfig plugins = parse("listener 1883\nallow_anonymous false\n"
                + "plugin /usr/lib/x86_64-linux-gnu/mosquitto_password_file.so\nplugin_opt_password_file {dir}/passwd\n"
                + "global_plugin /opt/mosquitto/lib/mosquitto_acl_file.so\nplugin_opt_acl_file {dir}/acl\n");
        BrokerConfig options =
                parse("listener 1883\nallow_anonymous false\npassword_file {dir}/passwd\n" + "acl_file {dir}/acl\n");

        assertThat(plugins).isEqualTo(options);
        assertThat(plugins.listeners().get(0).security().plugins()).isEmpty();
    }

    @Test
    void globalPluginsComeFirstOnEveryListenerWithPerListenerSettings() throws Exception {
        Files.writeString(dir.resolve("other.jar"), "x\n");
        BrokerConfig config = parse("per_listener_settings true\nglobal_plugin {dir}/plugin.jar\nplugin_opt_db a\n"
                + "global_plugin mosquitto_acl_file.so\nplugin_opt_acl_file {dir}/acl\n"
                + "listener 1883\npassword_file {dir}/passwd\nplugin {dir}/other.jar\n"
                + "listener 1884\nallow_anonymous true\n");

        PluginConfig global = new PluginConfig(dir.resolve("plugin.jar"), Map.of("db", "a"));
        assertThat(config.listeners().get(0).security())
                .isEqualTo(new SecurityConfig(
                        false,
                        Optional.of(dir.resolve("passwd")),
                        Optional.of(dir.resolve("acl")),
                        List.of(global, new PluginConfig(dir.resolve("other.jar"), Map.of()))));
        assertThat(config.listeners().get(1).security())
                .isEqualTo(
                        new SecurityConfig(true, Optional.empty(), Optional.of(dir.resolve("acl")), List.of(global)));
    }

    @Test
    void anHttpApiListenerIsAConsoleNotAnMqttListener() throws Exception {
        BrokerConfig config = parse("password_file {dir}/passwd\nlistener 1883\n"
                + "listener 8443 192.168.1.2\nprotocol http_api\ncertfile {dir}/server.pem\nkeyfile {dir}/server.key\n"
                + "console_users admin owner\nlistener 8080 localhost\nprotocol http_api\nconsole_users admin");

        assertThat(config.listeners()).extracting(ListenerConfig::describe).containsExactly("*:1883");
        assertThat(config.consoles()).hasSize(2);
        ConsoleConfig https = config.consoles().get(0);
        assertThat(https.listener().describe()).isEqualTo("192.168.1.2:8443 (http_api) (tls)");
        assertThat(https.users()).containsExactly("admin", "owner");
        assertThat(https.usersWhere()).isEqualTo(expand("{conf}:7"));
        assertThat(https.listener().security().passwordFile()).contains(dir.resolve("passwd"));
        assertThat(config.consoles().get(1).listener().describe()).isEqualTo("localhost:8080 (http_api)");
    }

    @Test
    void listenerAllowAnonymousOverridesAllowAnonymousForItsListenerOnly() throws Exception {
        BrokerConfig config = parse("allow_anonymous false\npassword_file {dir}/passwd\n"
                + "listener 1883 127.0.0.1\nlistener_allow_anonymous true\nlistener 8883");

        assertThat(config.listeners().get(0).security().allowAnonymous()).isTrue();
        assertThat(config.listeners().get(1).security().allowAnonymous()).isFalse();
        assertThat(config.listeners().get(0).security().passwordFile())
                .isEqualTo(config.listeners().get(1).security().passwordFile());
    }

    @Test
    void listenerAdmissionOptions() throws Exception {
        BrokerConfig config = parse("auto_id_prefix old-\nlistener 1883\naccept_protocol_versions 3, 4\n"
                + "listener_auto_id_prefix garage-\nlistener 1884\naccept_protocol_versions 5\n"
                + "listener 9001\nprotocol websockets\nwebsockets_origin http://ha.local:8123\n"
                + "websockets_origin https://ha.example.com");

        assertThat(config.listeners().stream().map(ListenerConfig::admission))
                .containsExactly(
                        new ListenerAdmission(Set.of(3, 4), "garage-", List.of()),
                        new ListenerAdmission(Set.of(5), "old-", List.of()),
                        new ListenerAdmission(
                                Set.of(3, 4, 5), "old-", List.of("http://ha.local:8123", "https://ha.example.com")));
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void maxQosAndTopicAliasesArePerListener() throws Exception {
        BrokerConfig config = parse("listener 1883\nmax_qos 1\nmax_topic_alias 0\nlistener 1884\nmaximum_qos 0\n"
                + "max_topic_alias 65535\nmax_topic_alias_broker 3\nlistener 1885");

        assertThat(config.listeners().stream().map(l -> l.admission().maxQos())).containsExactly(1, 0, 2);
        assertThat(config.listeners().stream().map(l -> l.admission().maxTopicAlias()))
                .containsExactly(0, 65_535, 10);
        assertThat(config.listeners().stream().map(l -> l.admission().maxTopicAliasBroker()))
                .containsExactly(10, 3, 10);
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void autoIdPrefixIsPerListenerWithPerListenerSettings() throws Exception {
        BrokerConfig config = parse("per_listener_settings true\nlistener 1883\nauto_id_prefix a-\nlistener 1884\n");

        assertThat(config.listeners().stream().map(l -> l.admission().autoIdPrefix()))
                .containsExactly("a-", "auto-");
    }

    @Test
    void globalMaxConnectionsAndNoSessionLimit() throws Exception {
        BrokerConfig config = parse("listener 1883\nglobal_max_connections 50\nglobal_max_clients -1");

        assertThat(config.clientLimits().globalMaxConnections()).isEqualTo(50);
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void globalSecurityIsSharedByEveryListener() throws Exception {
        BrokerConfig config = parse("listener 1883\nlistener 8883\nallow_anonymous true\npassword_file {dir}/passwd\n"
                + "acl_file {dir}/acl\nplugin {dir}/plugin.jar\nplugin_opt_db /var/lib/db\n"
                + "plugin_opt_greeting hello   world");

        SecurityConfig expected = new SecurityConfig(
                true,
                Optional.of(dir.resolve("passwd")),
                Optional.of(dir.resolve("acl")),
                List.of(new PluginConfig(
                        dir.resolve("plugin.jar"), Map.of("db", "/var/lib/db", "greeting", "hello   world"))));
        assertThat(config.listeners()).extracting(ListenerConfig::security).containsExactly(expected, expected);
        assertThat(config.localOnly()).isFalse();
    }

    @Test
    void perListenerSettingsGiveEachListenerItsOwnSecurity() throws Exception {
        BrokerConfig config = parse("per_listener_settings true\nlistener 1883 127.0.0.1\nallow_anonymous true\n"
                + "listener 8883\npassword_file {dir}/passwd\nplugin {dir}/plugin.jar\nplugin_opt_mode strict\n"
                + "listener 9001\n");

        assertThat(config.listeners())
                .extracting(ListenerConfig::security)
                .containsExactly(
                        SecurityConfig.anonymous(),
                        new SecurityConfig(
                                false,
                                Optional.of(dir.resolve("passwd")),
                                Optional.empty(),
                                List.of(new PluginConfig(dir.resolve("plugin.jar"), Map.of("mode", "strict")))),
                        new SecurityConfig(false, Optional.empty(), Optional.empty(), List.of()));
    }

    @Test
    void perListenerSettingsApplyToTheDefaultListener() throws Exception {
        BrokerConfig config = parse("per_listener_settings true\nport 1884\nallow_anonymous true");

        assertThat(config.listeners()).extracting(ListenerConfig::security).containsExactly(SecurityConfig.anonymous());
    }

    @Test
    void localOnlyModeKeepsExplicitSecurity() throws Exception {
        BrokerConfig config = parse("allow_anonymous false\npassword_file {dir}/passwd");

        assertThat(config.localOnly()).isTrue();
        assertThat(config.listeners()).extracting(ListenerConfig::describe).containsExactly("127.0.0.1:1883");
        assertThat(config.listeners().get(0).security())
                .isEqualTo(new SecurityConfig(false, Optional.of(dir.resolve("passwd")), Optional.empty(), List.of()));
    }

    @Test
    void relativePathsAreResolvedAgainstTheWorkingDirectory() throws Exception {
        Path relative = Path.of("").toAbsolutePath().relativize(dir.resolve("passwd"));

        BrokerConfig config = parse("password_file " + relative);

        assertThat(config.listeners().get(0).security().passwordFile()).contains(relative.toAbsolutePath());
    }

    @Test
    void keyPasswordNeverReachesToString() throws Exception {
        BrokerConfig config = parse(tls("keyfile_password s3cret"));

        assertThat(config.toString()).doesNotContain("s3cret");
    }

    @Test
    void includeDirReadsConfFilesInNameOrderAtThatPoint() throws Exception {
        write("conf.d/b.conf", "max_keepalive 30\nlistener 8883\n");
        write("conf.d/A.conf", "max_keepalive 20\nsys_interval 5\n");
        write("conf.d/c.conf.disabled", "max_keepalive abc\n");
        write("conf.d/.conf", "max_keepalive abc\n");

        BrokerConfig config = parse("max_keepalive 10\nsys_interval 1\ninclude_dir {dir}/conf.d\nlistener 1883");

        assertThat(config.maxKeepalive()).isEqualTo(30);
        assertThat(config.sysInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.listeners()).extracting(ListenerConfig::port).containsExactly(8883, 1883);
    }

    @Test
    void includeDirMayBeEmpty() throws Exception {
        assertThat(parse("include_dir {dir}/conf.d")).isEqualTo(BrokerConfig.localOnly(1883));
    }

    static Stream<Arguments> ignoredOptions() {
        return Stream.of(
                        "user mosquitto",
                        "allow_duplicate_messages false",
                        "memory_limit 0",
                        "set_tcp_nodelay true",
                        "websockets_log_level 255",
                        "websockets_headers_size 4096",
                        "http_dir /var/www",
                        "log_timestamp_format %Y-%m-%dT%H:%M:%S",
                        "log_facility 5",
                        "autosave_on_changes false",
                        "retry_interval 20",
                        "store_clean_interval 10",
                        "enable_control_api true",
                        "use_username_as_clientid false",
                        "queue_qos0_messages false",
                        "disable_client_cert_date_checks false",
                        "max_inflight_bytes 0",
                        "dhparamfile /etc/mosquitto/dh.pem")
                .map(line -> Arguments.of(line, line.substring(0, line.indexOf(' '))));
    }

    /** Every option README.md lists as refused, with the consequence its error names. */
    static Stream<Arguments> refusedOptions() {
        String weaken = "weaken security";
        String lose = "lose messages";
        return Stream.of(
                Arguments.of("bridge_attempt_unsubscribe false", lose),
                Arguments.of("bridge_bind_address 10.0.0.2", lose),
                Arguments.of("bridge_identity house", lose),
                Arguments.of("bridge_psk 0123abcd", lose),
                Arguments.of("bridge_max_packet_size 1000", lose),
                Arguments.of("bridge_outgoing_retain false", lose),
                Arguments.of("bridge_require_ocsp true", lose),
                Arguments.of("tls_engine pkcs11", weaken),
                Arguments.of("tls_engine_kpass_sha1 0123", weaken),
                Arguments.of("tls_keyform engine", weaken),
                Arguments.of("auth_plugin /usr/lib/auth.so", weaken),
                Arguments.of("auth_plugin_deny_special_chars true", weaken),
                Arguments.of("auth_opt_backends files", weaken),
                Arguments.of("bind_interface eth0", weaken),
                Arguments.of("use_username_as_clientid true", weaken),
                Arguments.of("clientid_prefixes garage-", weaken),
                Arguments.of("queue_qos0_messages true", lose),
                Arguments.of("disable_client_cert_date_checks true", weaken));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedOptions")
    void refusesUnsupportedOptionWhoseAbsenceWouldMatter(String line, String consequence) throws IOException {
        Path conf = write("mosquitto.conf", "listener 1883\n" + line);

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigParser.parse(conf));

        String option = line.substring(0, line.indexOf(' '));
        assertThat(e).as(line).isNotNull();
        assertThat(e.problems())
                .containsExactly(expand("{conf}:2: " + option + ": not supported by Drawbridge, and ignoring it would "
                        + consequence + "; remove it"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ignoredOptions")
    void acceptsUnsupportedHarmlessOptionWithOneWarning(String line, String option) throws Exception {
        BrokerConfig config = parse("listener 1883\n" + line);

        assertThat(config.warnings())
                .containsExactly(expand("{conf}:2: " + option + ": not supported by Drawbridge; ignored"));
    }

    /** Mosquitto reads tls_version as a minimum; below TLS 1.2 nothing is offered, so 1.2 and 1.3 it is. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("oldTlsMinimums")
    void anOldTlsVersionMinimumAllowsTls12And13WithOneWarning(String version) throws Exception {
        BrokerConfig config = parse(tls("tls_version " + version));

        assertThat(BrokerConfigs.tls(config).tlsVersions()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(config.warnings())
                .containsExactly(expand("{conf}:4: tls_version " + version
                        + ": nothing below TLS 1.2 is offered (deprecated by RFC 8996); TLS 1.2 and 1.3 allowed"));
    }

    static Stream<String> oldTlsMinimums() {
        return Stream.of("tlsv1.1", "tlsv1");
    }

    @Test
    void unsupportedLogDestinationsFallBackToStderrWithAWarning() throws Exception {
        BrokerConfig config = parse("log_dest syslog\nlog_dest topic\nlog_dest dlt");

        assertThat(config.log().destinations()).containsExactly(Destination.of(Kind.STDERR));
        assertThat(config.warnings())
                .containsExactly(
                        expand("{conf}:1: log_dest syslog: not supported by Drawbridge; logging to stderr instead"),
                        expand("{conf}:2: log_dest topic: not supported by Drawbridge; logging to stderr instead"),
                        expand("{conf}:3: log_dest dlt: not supported by Drawbridge; logging to stderr instead"));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Helpers.

    /** A TLS listener on 8883 (lines 1-3) followed by {@code more} (from line 4). */
    private static String tls(String... more) {
        StringBuilder config =
                new StringBuilder("listener 8883\ncertfile {dir}/server.pem\nkeyfile {dir}/server.key\n");
        for (String line : more) {
            config.append(line).append('\n');
        }
        return config.toString();
    }

    private static Arguments bad(String description, String config, String... expected) {
        return Arguments.of(description, config, Arrays.asList(expected));
    }

    private static Arguments good(String config, Function<BrokerConfig, Object> actual, Object expected) {
        return Arguments.of(config, actual, expected);
    }

    /** Small accessors that keep the table rows on one line each. */
    private static final class BrokerConfigs {
        static String first(BrokerConfig c) {
            return c.listeners().get(0).describe();
        }

        static TlsConfig tls(BrokerConfig c) {
            return c.listeners().get(0).tls().orElseThrow();
        }

        static Optional<Duration> expiration(BrokerConfig c) {
            return c.persistence().clientExpiration();
        }
    }

    private BrokerConfig parse(String config) throws Exception {
        return ConfigParser.parse(write("mosquitto.conf", config));
    }

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, expand(text));
        return file;
    }

    private String expand(String text) {
        return text.replace("{conf}", dir.resolve("mosquitto.conf").toString()).replace("{dir}", dir.toString());
    }
}
