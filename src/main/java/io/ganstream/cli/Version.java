package io.ganstream.cli;

import picocli.CommandLine;

/** The version from the jar's manifest. */
public class Version implements CommandLine.IVersionProvider {

    public static String current() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[]{"ganstream " + current()};
    }
}
