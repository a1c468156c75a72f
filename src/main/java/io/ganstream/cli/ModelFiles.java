package io.ganstream.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ganstream.engine.impute.GainLearner;
import io.ganstream.engine.impute.GainModel;
import io.ganstream.engine.synth.SynthLearner;
import io.ganstream.engine.synth.SynthModel;
import io.ganstream.engine.table.ColumnKind;
import io.ganstream.engine.train.ModelCheckpoint;
import io.ganstream.io.RecordFiles;
import io.ganstream.io.RecordWriter;
import io.ganstream.schema.DatasetNames;
import io.ganstream.schema.DatasetSchema;
import io.ganstream.schema.InvalidSchemaException;
import io.ganstream.schema.ModelConfigs;
import io.ganstream.schema.ModeledColumn;
import io.ganstream.schema.SchemaParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** What the model-file commands share: reading schemas, record files and model files, writing results. */
final class ModelFiles {
    private ModelFiles() {
    }

    /** A model file: where it was read, its checkpoint and the schema it carries. */
    record Loaded(Path file, ModelCheckpoint checkpoint, DatasetSchema schema) {

        /** Its imputer; a {@link CliError} when it has no trained version or its state is unreadable. */
        GainModel imputer() {
            if (checkpoint.modelVersion() == 0) {
                throw new CliError("model file " + file + " has no trained imputer version");
            }
            try {
                return GainLearner.modelFrom(schema.spec(), ModelConfigs.gainConfig(schema), checkpoint.state());
            } catch (RuntimeException e) {
                throw unreadable("imputer", e);
            }
        }

        /** Its synthesizer; a {@link CliError} when it has none, no trained version, or an unreadable state. */
        SynthModel synthesizer() {
            if (!checkpoint.hasSynthesizer()) {
                throw new CliError("model file " + file + " has no synthesizer (dataset " + schema.name()
                        + " was fitted with syntheticPerRecord 0)");
            }
            SynthModel synth;
            try {
                synth = SynthLearner.modelFrom(schema.spec(), ModelConfigs.synthConfig(schema), checkpoint.synthState());
            } catch (RuntimeException e) {
                throw unreadable("synthesizer", e);
            }
            if (synth == null) {
                throw new CliError("model file " + file + " has no trained synthesizer version yet");
            }
            return synth;
        }

        private CliError unreadable(String model, RuntimeException e) {
            return new CliError("model file " + file + ": unreadable " + model + " state (" + e.getClass().getSimpleName()
                    + ")");
        }
    }

    /** The dataset schema of a file, named {@code dataset} or after the file ({@code cars.schema.json}: cars). */
    static DatasetSchema schema(Path file, String dataset) {
        String name = dataset != null ? dataset : nameOf(file);
        try {
            return new SchemaParser().parse(name, read(file, "schema"));
        } catch (InvalidSchemaException e) {
            throw new CliError("schema " + file + ": " + e.getMessage());
        }
    }

    private static String nameOf(Path file) {
        String name = file.getFileName().toString();
        for (String suffix : new String[] {".schema.json", ".json"}) {
            if (name.endsWith(suffix)) {
                name = name.substring(0, name.length() - suffix.length());
                break;
            }
        }
        if (!DatasetNames.isValid(name)) {
            throw new CliError("cannot name the dataset after " + file.getFileName()
                    + ": give --dataset (names match [a-z0-9][a-z0-9_-]{0,62})");
        }
        return name;
    }

    /** Reads and checks a model file; every problem is a {@link CliError}. */
    static Loaded load(Path file) {
        byte[] bytes = readBytes(file, "model file");
        ModelCheckpoint checkpoint;
        try {
            checkpoint = ModelCheckpoint.parse(bytes);
        } catch (ModelCheckpoint.InvalidCheckpointException e) {
            throw new CliError("model file " + file + " is not usable: " + e.getMessage());
        }
        if (checkpoint.schemaText().isEmpty()) {
            throw new CliError("model file " + file + " carries no schema (it was written before checkpoint format "
                    + "4): fit it again, or fetch it again from GET /datasets/{name}/model");
        }
        DatasetSchema schema;
        try {
            schema = new SchemaParser().parse(checkpoint.dataset(), checkpoint.schemaText());
        } catch (InvalidSchemaException e) {
            throw new CliError("model file " + file + " carries an unusable schema: " + e.getMessage());
        }
        if (!schema.hash().equals(checkpoint.schemaHash())) {
            throw new CliError("model file " + file + " is not usable: its schema does not match its schema hash");
        }
        return new Loaded(file, checkpoint, schema);
    }

    /** A record file's records, CSV fields typed by the schema. */
    static List<ObjectNode> records(Path file, DatasetSchema schema) {
        try {
            return RecordFiles.read(file, schema.document());
        } catch (IllegalArgumentException e) {
            throw new CliError(e.getMessage());
        } catch (NoSuchFileException e) {
            throw new CliError("cannot read " + file + ": no such file");
        } catch (IOException | UncheckedIOException e) {
            throw new CliError("cannot read " + file + ": " + oneLine(e.getMessage()));
        }
    }

    /** Checks that records can be written to {@code file} (by its name) before any work is done. */
    static void checkWritable(Path file) {
        try {
            RecordFiles.formatOf(file);
        } catch (IllegalArgumentException e) {
            throw new CliError(e.getMessage());
        }
    }

    /** Writes records to {@code file} in the format its name says, through a temporary file. */
    static void write(Path file, List<ObjectNode> records, DatasetSchema schema) {
        Set<String> vectors = schema.modeled().stream().filter(c -> c.column().kind() == ColumnKind.VECTOR)
                .map(ModeledColumn::name).collect(Collectors.toSet());
        try {
            // the temporary file's name ends as the file's does (same format, same .gz)
            Path named = file.resolveSibling(".tmp-" + file.getFileName());
            RecordWriter.write(named, records, vectors);
            Files.move(named, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new CliError("cannot write " + file + ": " + oneLine(e.getMessage()));
        }
    }

    /** Writes bytes to {@code file} through a temporary file, so a reader never sees half a file. */
    static void writeBytes(Path file, byte[] bytes) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Path tmp = file.resolveSibling(".tmp-" + file.getFileName());
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new CliError("cannot write " + file + ": " + oneLine(e.getMessage()));
        }
    }

    private static String read(Path file, String what) {
        return new String(readBytes(file, what), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static byte[] readBytes(Path file, String what) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new CliError("cannot read " + what + " " + file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new CliError("cannot read " + what + " " + file + ": permission denied");
        } catch (IOException e) {
            throw new CliError("cannot read " + what + " " + file + ": " + oneLine(e.getMessage()));
        }
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").trim();
    }
}
