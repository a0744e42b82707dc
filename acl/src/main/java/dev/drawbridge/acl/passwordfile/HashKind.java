package dev.drawbridge.acl.passwordfile;

/** The two hash formats Mosquitto 2.0 reads from a password file. */
public enum HashKind {
    /** {@code $6$salt$hash}: SHA-512 of the password followed by the salt (Mosquitto 1.6 and earlier). */
    SHA512("6"),
    /** {@code $7$iterations$salt$hash}: PBKDF2-HMAC-SHA512 (the default of Mosquitto 2.0). */
    SHA512_PBKDF2("7");

    private final String id;

    HashKind(String id) {
        this.id = id;
    }

    /**
     * The identifier between the first two {@code $} signs.
     *
     * @return {@code 6} or {@code 7}
     */
    public String id() {
        return id;
    }
}
