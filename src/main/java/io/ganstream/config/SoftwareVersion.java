package io.ganstream.config;

/** The software version from the jar's manifest ({@code dev} when run from classes): provenance of checkpoints. */
public final class SoftwareVersion {
    private SoftwareVersion() {
    }

    public static String current() {
        String v = SoftwareVersion.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
