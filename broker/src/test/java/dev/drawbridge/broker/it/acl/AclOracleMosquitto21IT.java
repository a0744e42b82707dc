package dev.drawbridge.broker.it.acl;

import java.nio.file.Path;
import java.util.List;

/**
 * Every row of {@code acl-cases.tsv} again, with the password and ACL files named as Mosquitto 2.1's documentation
 * writes them: its bundled plugins {@code mosquitto_password_file.so} and {@code mosquitto_acl_file.so} with their
 * {@code plugin_opt_} lines (from a directory that does not exist here). Drawbridge reads them as {@code password_file}
 * and {@code acl_file}, so every answer must be the oracle's.
 */
class AclOracleMosquitto21IT extends AclOracleIT {

    @Override
    List<String> securityLines(Path passwd, Path acl) {
        return List.of(
                "plugin /usr/lib/x86_64-linux-gnu/mosquitto_password_file.so",
                "plugin_opt_password_file " + passwd,
                "global_plugin /usr/lib/mosquitto/mosquitto_acl_file.so",
                "plugin_opt_acl_file " + acl);
    }
}
