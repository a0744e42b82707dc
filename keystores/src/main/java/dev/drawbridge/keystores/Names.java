package dev.drawbridge.keystores;

import java.util.regex.Pattern;

/** Checks on the names that end up in certificates and file names. */
final class Names {

    private static final Pattern DNS_NAME =
            Pattern.compile("(\\*\\.)?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}"
                    + "[A-Za-z0-9])?)*");

    private Names() {}

    static boolean isDnsName(String name) {
        return name.length() <= 253 && DNS_NAME.matcher(name).matches();
    }

    static void requireCommonName(String commonName) {
        if (commonName.isBlank() || commonName.length() > 64) {
            throw new IllegalArgumentException("common name: expected 1 to 64 characters, found '" + commonName + "'");
        }
    }
}
