package io.ganstream.schema;

import java.util.regex.Pattern;

/** The rule for dataset names, shared by HTTP, the CLI and the topic registry. */
public final class DatasetNames {
    private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

    private DatasetNames() {
    }

    public static boolean isValid(String name) {
        return name != null && VALID.matcher(name).matches();
    }

    public static String requireValid(String name) {
        if (!isValid(name)) {
            throw new IllegalArgumentException("invalid dataset name '" + name + "': names match "
                    + VALID.pattern());
        }
        return name;
    }
}
