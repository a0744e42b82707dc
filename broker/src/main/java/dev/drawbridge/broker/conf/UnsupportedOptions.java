package dev.drawbridge.broker.conf;

import java.util.Map;
import java.util.Set;

/**
 * Real Mosquitto 2.0 options that Drawbridge does not implement. Those whose absence would weaken security or lose
 * messages are refused; the rest are accepted with one warning each.
 */
final class UnsupportedOptions {

    private static final String WEAKEN = "weaken security";
    private static final String LOSE = "lose messages";

    /** Refused whatever their value. A bridge option we ignored would lose messages. */
    private static final Map<String, String> REFUSED = Map.ofEntries(
            Map.entry("tls_engine", WEAKEN),
            Map.entry("tls_engine_kpass_sha1", WEAKEN),
            Map.entry("tls_keyform", WEAKEN),
            Map.entry("auth_plugin", WEAKEN),
            Map.entry("auth_plugin_deny_special_chars", WEAKEN),
            Map.entry("clientid_prefixes", WEAKEN),
            // Binding every interface instead of one would expose the listener where it was meant to be hidden.
            Map.entry("bind_interface", WEAKEN));

    /**
     * TLS-PSK (psk_hint, psk_file): neither TLS provider Drawbridge runs on offers pre-shared keys (Java's has no PSK
     * cipher suites, Netty's OpenSSL binding no API for them), so it stays refused with that reason.
     */
    private static final String PSK = "TLS-PSK is not supported by Drawbridge (neither Java's TLS nor Netty's OpenSSL"
            + " offers pre-shared keys), and ignoring it would weaken security; remove it and give clients"
            + " certificates (cafile, certfile, keyfile, require_certificate)";

    /** Boolean options refused when {@code true}, accepted with a warning when {@code false} (their default). */
    private static final Map<String, String> REFUSED_WHEN_TRUE = Map.of(
            "use_username_as_clientid", WEAKEN,
            "disable_client_cert_date_checks", WEAKEN,
            "queue_qos0_messages", LOSE);

    private static final Set<String> IGNORED = Set.of(
            "user",
            "allow_duplicate_messages",
            "memory_limit",
            "set_tcp_nodelay",
            "websockets_log_level",
            "websockets_headers_size",
            "http_dir",
            "log_timestamp_format",
            "log_facility",
            "max_inflight_bytes",
            "autosave_on_changes",
            "retry_interval",
            "store_clean_interval",
            "enable_control_api",
            "dhparamfile");

    private UnsupportedOptions() {}

    /** Records the refusal or warning for an unsupported option; false if the option is not one of them. */
    static boolean handle(ConfigLine line, Diagnostics d) {
        String option = line.option();
        if (option.equals("psk_hint") || option.equals("psk_file")) {
            d.error(line, option + ": " + PSK);
            return true;
        }
        String refusal = REFUSED.get(option);
        if (refusal == null && option.startsWith("bridge_")) {
            // Mosquitto's bridge options that BridgeOptions does not read (bridge_bind_address, bridge_psk, ...).
            refusal = LOSE;
        } else if (refusal == null && option.startsWith("auth_opt_")) {
            refusal = WEAKEN;
        }
        if (refusal != null) {
            refuse(line, d, refusal);
            return true;
        }
        String whenTrue = REFUSED_WHEN_TRUE.get(option);
        if (whenTrue != null) {
            Values.bool(d, line).ifPresent(on -> {
                if (on) {
                    refuse(line, d, whenTrue);
                } else {
                    ignore(line, d);
                }
            });
            return true;
        }
        if (IGNORED.contains(option)) {
            ignore(line, d);
            return true;
        }
        return false;
    }

    private static void refuse(ConfigLine line, Diagnostics d, String consequence) {
        d.error(
                line,
                line.option() + ": not supported by Drawbridge, and ignoring it would " + consequence + "; remove it");
    }

    private static void ignore(ConfigLine line, Diagnostics d) {
        d.warn(line, line.option() + ": not supported by Drawbridge; ignored");
    }
}
