package io.ganstream.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The {@code --model} option of the commands that use a model file: the file, and reading it. */
public class ModelFileOption {
    @Option(names = "--model", required = true, paramLabel = "M", description = "the model file (from fit, or "
            + "GET /datasets/{name}/model)")
    Path file;

    /** Reads and checks the model file; every problem is a {@link CliError}. */
    ModelFiles.Loaded load() {
        return ModelFiles.load(file);
    }
}
