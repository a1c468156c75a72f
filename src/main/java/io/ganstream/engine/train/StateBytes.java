package io.ganstream.engine.train;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The binary state images that checkpoints carry (nets, learners), written and read through Data streams over
 * byte arrays, where an {@link IOException} can only mean a bug and so is thrown unchecked.
 */
public final class StateBytes {
    /** Writes one state image. */
    @FunctionalInterface
    public interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    /** Reads one state image. */
    @FunctionalInterface
    public interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    private StateBytes() {
    }

    /** The bytes {@code writer} writes. */
    public static byte[] write(Writer writer) {
        return write(32, writer);
    }

    /** The bytes {@code writer} writes, into a buffer of {@code capacity} bytes to begin with. */
    public static byte[] write(int capacity, Writer writer) {
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream(capacity);
            DataOutputStream out = new DataOutputStream(bos);
            writer.write(out);
            out.flush();
            return bos.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What {@code reader} reads from {@code bytes}. */
    public static <T> T read(byte[] bytes, Reader<T> reader) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            return reader.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
