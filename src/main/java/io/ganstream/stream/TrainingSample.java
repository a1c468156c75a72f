package io.ganstream.stream;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A valid record's cells on its way to the dataset's trainer, with the hash of the schema they were read
 * under (a sample of an older schema version is not trained on). Serialized as: hash length, hash (UTF-8),
 * cell count, cells (doubles; NaN = missing).
 *
 * @param schemaHash hash of the schema the cells follow
 * @param cells      the record's modeled cells
 */
public record TrainingSample(String schemaHash, double[] cells) {

    public byte[] toBytes() {
        byte[] hash = schemaHash.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + hash.length + 8 * cells.length);
        b.putInt(hash.length).put(hash).putInt(cells.length);
        for (double c : cells) {
            b.putDouble(c);
        }
        return b.array();
    }

    public static TrainingSample fromBytes(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        byte[] hash = new byte[b.getInt()];
        b.get(hash);
        double[] cells = new double[b.getInt()];
        for (int i = 0; i < cells.length; i++) {
            cells[i] = b.getDouble();
        }
        return new TrainingSample(new String(hash, StandardCharsets.UTF_8), cells);
    }
}
