package dev.drawbridge.device;

/** The device software's version, from the jar manifest; {@code dev} when run from classes. */
final class Version {

    private Version() {}

    static String get() {
        String version = Version.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
