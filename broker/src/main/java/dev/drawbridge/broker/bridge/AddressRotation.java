package dev.drawbridge.broker.bridge;

import java.util.List;

/**
 * Which of a bridge's {@code address} entries it connects to: the first, and after each lost or failed connection the
 * next, round and round (Mosquitto's {@code cur_address}). Without {@code round_robin} a bridge away from the first
 * address goes back to it when it answers again.
 */
final class AddressRotation {

    private final List<BridgeConfig.Address> addresses;
    private int current;

    AddressRotation(List<BridgeConfig.Address> addresses) {
        this.addresses = List.copyOf(addresses);
    }

    BridgeConfig.Address current() {
        return addresses.get(current);
    }

    BridgeConfig.Address primary() {
        return addresses.get(0);
    }

    boolean onPrimary() {
        return current == 0;
    }

    /** The connection failed or was lost: the next attempt goes to the next address. */
    void advance() {
        current = (current + 1) % addresses.size();
    }

    /** The first address answers again: go back to it. */
    void backToPrimary() {
        current = 0;
    }
}
