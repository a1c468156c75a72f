package io.ganstream.engine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.CRC32;

/**
 * A versioned, self-describing checkpoint of one dataset's trainer: the trainer state (encoder statistics,
 * both networks' weights and updater state, counters) wrapped with its provenance. Format: magic
 * {@code GSCK}, format version, dataset, schema hash, software version, creation time, model version, seed,
 * state length, state, CRC32 of everything before it. A checkpoint that fails any check is refused with the
 * reason, never half-loaded.
 *
 * @param dataset         dataset name
 * @param schemaHash      hash of the schema the model was trained for; another schema cannot use it
 * @param softwareVersion ganstream version that wrote it
 * @param createdMillis   creation time (epoch milliseconds)
 * @param modelVersion    model version at checkpoint time
 * @param seed            the training seed
 * @param state           {@link DatasetTrainer#checkpoint()} bytes
 */
public record ModelCheckpoint(String dataset, String schemaHash, String softwareVersion, long createdMillis,
                              long modelVersion, long seed, byte[] state) {
    private static final int MAGIC = 0x4753434B; // "GSCK"
    /** Bump when the layout changes; {@link #parse} must keep reading every older format. */
    public static final int FORMAT = 1;

    public byte[] toBytes() {
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream(state.length + 256);
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
            if (length < 0 || length > bytes.length) {
                throw new InvalidCheckpointException("checkpoint state length " + length + " is impossible");
            }
            byte[] state = in.readNBytes(length);
            if (state.length != length) {
                throw new InvalidCheckpointException("checkpoint is truncated");
            }
            return new ModelCheckpoint(dataset, hash, software, created, version, seed, state);
        } catch (IOException e) {
            throw new InvalidCheckpointException("checkpoint is truncated: " + e.getMessage());
        }
    }

    /** A checkpoint that cannot be used; the message says why. */
    public static final class InvalidCheckpointException extends Exception {
        public InvalidCheckpointException(String message) {
            super(message);
        }
    }
}
