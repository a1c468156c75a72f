package io.ganstream.cli;

/** A problem the user can fix (a bad option, file or model): one line on stderr and exit code 2, no stack trace. */
final class CliError extends RuntimeException {
    static final int EXIT_CODE = 2;

    CliError(String message) {
        super(message);
    }
}
