package io.ganstream.engine.train;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.CRC32;

/**
 * A versioned, self-describing checkpoint of one dataset's models: the imputer's trainer state (encoder
 * statistics, both networks' weights and updater state, counters) and, from format 2, the synthesizer's
 * (mixtures, calibration, weights, Adam state, counters), wrapped with their provenance. Format: magic
 * {@code GSCK}, format version, dataset, schema hash, software version, creation time, model version, seed,
 * state length, state, [format 2: synthesizer version, synthesizer state length (0: none), synthesizer
 * state], CRC32 of everything before it. A checkpoint that fails any check is refused with the reason, never
 * half-loaded. Format 1 checkpoints load with no synthesizer. Format 3 has format 2's layout, but its imputer
 * state stores the networks' values as floats (see {@code GainNet#toBytes}), which versions reading at most
 * format 2 would misread: the number tells them to refuse it instead.
 *
 * @param dataset         dataset name
 * @param schemaHash      hash of the schema the model was trained for; another schema cannot use it
 * @param softwareVersion ganstream version that wrote it
 * @param createdMillis   creation time (epoch milliseconds)
 * @param modelVersion    model version at checkpoint time
 * @param seed            the training seed
 * @param state           the imputer learner's {@link Learner#checkpoint()} bytes
 * @param synthVersion    synthesizer model version (0 when there is none)
 * @param synthState      the synthesizer learner's checkpoint bytes, empty when there is none
 * @param imputerTraining where the imputer's training stood when it was written (null: unknown, format &lt; 4)
 * @param synthTraining   the same for the synthesizer
 * @param schemaText      the dataset's JSON Schema the models were trained for (empty before format 4), so that a
 *                        model file can be used without the service
 */
public record ModelCheckpoint(String dataset, String schemaHash, String softwareVersion, long createdMillis,
                              long modelVersion, long seed, byte[] state, long synthVersion, byte[] synthState,
                              TrainerState imputerTraining, TrainerState synthTraining, String schemaText) {
    private static final int MAGIC = 0x4753434B; // "GSCK"
    /** Bump when the layout changes; {@link #parse} must keep reading every older format. */
    public static final int FORMAT = 4;
    private static final byte[] NONE = new byte[0];

    public ModelCheckpoint {
        synthState = synthState == null ? NONE : synthState;
        schemaText = schemaText == null ? "" : schemaText;
    }

    /** A checkpoint without its schema's text. */
    public ModelCheckpoint(String dataset, String schemaHash, String softwareVersion, long createdMillis,
                           long modelVersion, long seed, byte[] state, long synthVersion, byte[] synthState,
                           TrainerState imputerTraining, TrainerState synthTraining) {
        this(dataset, schemaHash, softwareVersion, createdMillis, modelVersion, seed, state, synthVersion, synthState,
                imputerTraining, synthTraining, "");
    }

    /** The same checkpoint with another synthesizer state (or none), for fitting a record size limit. */
    public ModelCheckpoint withSynthesizer(long version, byte[] synth, TrainerState training) {
        return new ModelCheckpoint(dataset, schemaHash, softwareVersion, createdMillis, modelVersion, seed, state,
                version, synth, imputerTraining, training, schemaText);
    }

    /** A checkpoint that does not say where training stood. */
    public ModelCheckpoint(String dataset, String schemaHash, String softwareVersion, long createdMillis,
                           long modelVersion, long seed, byte[] state, long synthVersion, byte[] synthState) {
        this(dataset, schemaHash, softwareVersion, createdMillis, modelVersion, seed, state, synthVersion, synthState,
                null, null);
    }

    /** A checkpoint of the imputer only. */
    public ModelCheckpoint(String dataset, String schemaHash, String softwareVersion, long createdMillis,
                           long modelVersion, long seed, byte[] state) {
        this(dataset, schemaHash, softwareVersion, createdMillis, modelVersion, seed, state, 0, NONE);
    }

    /** Whether it carries a synthesizer. */
    public boolean hasSynthesizer() {
        return synthState.length > 0;
    }

    public byte[] toBytes() {
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream(state.length + synthState.length + 256);
            DataOutputStream out = new DataOutputStream(bos);
            out.writeInt(MAGIC);
            out.writeInt(FORMAT);
            out.writeUTF(dataset);
            out.writeUTF(schemaHash);
            out.writeUTF(softwareVersion);
            out.writeLong(createdMillis);
            out.writeLong(modelVersion);
            out.writeLong(seed);
            out.writeInt(state.length);
            out.write(state);
            out.writeLong(synthVersion);
            out.writeInt(synthState.length);
            out.write(synthState);
            out.writeByte(imputerTraining == null ? -1 : imputerTraining.ordinal());
            out.writeByte(synthTraining == null ? -1 : synthTraining.ordinal());
            byte[] schema = schemaText.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            out.writeInt(schema.length);
            out.write(schema);
            out.flush();
            CRC32 crc = new CRC32();
            crc.update(bos.toByteArray());
            out.writeLong(crc.getValue());
            out.flush();
            return bos.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads a checkpoint written by any format version so far.
     *
     * @throws InvalidCheckpointException with the reason when the bytes are not a sound checkpoint
     */
    public static ModelCheckpoint parse(byte[] bytes) throws InvalidCheckpointException {
        if (bytes == null || bytes.length < 16) {
            throw new InvalidCheckpointException("checkpoint is empty or truncated");
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 8);
        long stored = java.nio.ByteBuffer.wrap(bytes, bytes.length - 8, 8).getLong();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 0, bytes.length - 8))) {
            if (in.readInt() != MAGIC) {
                throw new InvalidCheckpointException("not a ganstream checkpoint (bad magic number)");
            }
            int format = in.readInt();
            if (format < 1 || format > FORMAT) {
                throw new InvalidCheckpointException("checkpoint format " + format + " is newer than this version ("
                        + FORMAT + ")");
            }
            if (crc.getValue() != stored) {
                throw new InvalidCheckpointException("checkpoint is corrupted (CRC mismatch)");
            }
            String dataset = in.readUTF();
            String hash = in.readUTF();
            String software = in.readUTF();
            long created = in.readLong();
            long version = in.readLong();
            long seed = in.readLong();
            int length = in.readInt();
            byte[] state = readSection(in, length, bytes.length);
            long synthVersion = 0;
            byte[] synthState = NONE;
            if (format >= 2) {
                synthVersion = in.readLong();
                synthState = readSection(in, in.readInt(), bytes.length);
            }
            TrainerState imputerTraining = null;
            TrainerState synthTraining = null;
            String schemaText = "";
            if (format >= 4) {
                imputerTraining = trainerState(in.readByte());
                synthTraining = trainerState(in.readByte());
                schemaText = new String(readSection(in, in.readInt(), bytes.length),
                        java.nio.charset.StandardCharsets.UTF_8);
            }
            return new ModelCheckpoint(dataset, hash, software, created, version, seed, state, synthVersion,
                    synthState, imputerTraining, synthTraining, schemaText);
        } catch (IOException e) {
            throw new InvalidCheckpointException("checkpoint is truncated: " + e.getMessage());
        }
    }

    private static TrainerState trainerState(byte code) {
        return code >= 0 && code < TrainerState.values().length ? TrainerState.values()[code] : null;
    }

    private static byte[] readSection(DataInputStream in, int length, int total)
            throws IOException, InvalidCheckpointException {
        if (length < 0 || length > total) {
            throw new InvalidCheckpointException("checkpoint state length " + length + " is impossible");
        }
        byte[] section = in.readNBytes(length);
        if (section.length != length) {
            throw new InvalidCheckpointException("checkpoint is truncated");
        }
        return section;
    }

    /** A checkpoint that cannot be used; the message says why. */
    public static final class InvalidCheckpointException extends Exception {
        public InvalidCheckpointException(String message) {
            super(message);
        }
    }
}
