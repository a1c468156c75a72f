package io.ganstream.cli;

import io.ganstream.config.SoftwareVersion;
import picocli.CommandLine;

/** The CLI's {@code --version}: the version from the jar's manifest. */
public class Version implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[]{"ganstream " + SoftwareVersion.current()};
    }
}
