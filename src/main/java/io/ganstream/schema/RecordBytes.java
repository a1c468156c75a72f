package io.ganstream.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.io.NumberOutput;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ganstream.engine.table.Column;
import io.ganstream.engine.table.ColumnKind;
import io.ganstream.engine.table.TableSpec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A valid record kept as the bytes it came in, with its modeled values as cells and where its missing values sit.
 * Filling writes the filled values into a copy of those bytes, leaving every other byte (carried properties,
 * observed values, white space, the order of properties) as the producer wrote it, which is what the stream
 * publishes, and costs no JSON tree on the way in or out.
 */
public final class RecordBytes {
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};

    private final byte[] value;
    private final double[] cells;
    private final CellReader.Positions positions;

    RecordBytes(byte[] value, double[] cells, CellReader.Positions positions) {
        this.value = value;
        this.cells = cells;
        this.positions = positions;
    }

    /** The record's bytes as they came. */
    public byte[] value() {
        return value;
    }

    /** The modeled values laid out by the dataset's table spec ({@code NaN} = missing); do not modify. */
    public double[] cells() {
        return cells;
    }

    public boolean hasMissing() {
        return !TableSpec.isComplete(cells);
    }

    /** A record's bytes with its missing values filled, and the names of the filled columns (as {@link
     * RecordCodec#fill} names them). */
    public record Filled(byte[] value, List<String> names) {
    }

    /**
     * This record with the cells that are missing here taken from {@code filled} and written as the schema wants
     * them: a {@code null} is replaced where it stands, an absent property is added before the closing brace.
     */
    public Filled fill(DatasetSchema schema, double[] filled) {
        if (!positionsHold()) {
            return fillThroughTree(schema, filled);
        }
        List<ModeledColumn> columns = schema.modeled();
        List<String> names = new ArrayList<>(2);
        Splice splice = new Splice(positions.properties);
        for (int i = 0; i < columns.size(); i++) {
            ModeledColumn mc = columns.get(i);
            Column c = mc.column();
            int offset = schema.spec().offset(i);
            if (c.kind() == ColumnKind.VECTOR) {
                int count = fillVector(splice, i, c, offset, filled);
                if (count > 0) {
                    names.add(c.name() + "[" + count + "]");
                }
                continue;
            }
            if (!Double.isNaN(cells[offset])) {
                continue;
            }
            put(splice, i, c.name(), scalar(mc, filled[offset]));
            names.add(c.name());
        }
        return new Filled(splice.apply(value, positions.close), names);
    }

    /** The slow way, for offsets that do not hold: the record as a tree, filled and written whole. */
    private Filled fillThroughTree(DatasetSchema schema, double[] filled) {
        try {
            ObjectNode json = RecordCodec.parseObject(value);
            List<String> names = RecordCodec.fill(schema, json, cells, filled);
            return new Filled(RecordCodec.mapper().writeValueAsBytes(json), names);
        } catch (InvalidRecordException | JsonProcessingException e) {
            throw new IllegalStateException("a record that was read once reads again", e);
        }
    }

    private int fillVector(Splice splice, int i, Column c, int offset, double[] filled) {
        int width = c.width();
        int[] elementNulls = positions.elementNulls[i];
        if (elementNulls != null) {
            int e = 0;
            for (int k = 0; k < width; k++) {
                if (Double.isNaN(cells[offset + k])) {
                    splice.replaceNull(elementNulls[e++], number(c.conform(filled[offset + k])));
                }
            }
            return e;
        }
        // the whole array is null or absent: every element is missing
        StringBuilder array = new StringBuilder(width * 8).append('[');
        for (int k = 0; k < width; k++) {
            array.append(k == 0 ? "" : ",").append(NumberOutput.toString(c.conform(filled[offset + k]), true));
        }
        put(splice, i, c.name(), array.append(']').toString().getBytes(StandardCharsets.UTF_8));
        return width;
    }

    /** Writes column {@code i}'s whole value: in place of its {@code null}, or as a property added at the end. */
    private void put(Splice splice, int i, String name, byte[] text) {
        if (positions.nullAt[i] >= 0) {
            splice.replaceNull(positions.nullAt[i], text);
        } else {
            splice.append(name, text);
        }
    }

    /** The JSON text of one scalar cell, as {@link RecordCodec#toJson} writes it. */
    static byte[] scalar(ModeledColumn mc, double cell) {
        Object v = RecordCodec.scalarValue(mc, cell);
        if (v instanceof Double d) {
            return number(d);
        }
        return v instanceof String text ? quoted(text) : v.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] number(double v) {
        return NumberOutput.toString(v, true).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] quoted(String s) {
        byte[] body = JsonStringEncoder.getInstance().quoteAsUTF8(s);
        byte[] out = new byte[body.length + 2];
        out[0] = '"';
        System.arraycopy(body, 0, out, 1, body.length);
        out[out.length - 1] = '"';
        return out;
    }

    /** The edits of one fill, in the order of the bytes they touch, applied in one copy. */
    private static final class Splice {
        private int[] at = new int[8];
        private byte[][] text = new byte[8][];
        private int edits;
        private final ByteArrayOutputStream tail = new ByteArrayOutputStream(64);
        private int properties;

        /** {@code properties}: how many the object has, so that an added one knows whether it needs a comma. */
        Splice(int properties) {
            this.properties = properties;
        }

        void replaceNull(int offset, byte[] replacement) {
            if (edits == at.length) {
                at = Arrays.copyOf(at, edits * 2);
                text = Arrays.copyOf(text, edits * 2);
            }
            at[edits] = offset;
            text[edits++] = replacement;
        }

        void append(String name, byte[] valueText) {
            if (properties++ > 0) {
                tail.write(',');
            }
            tail.writeBytes(quoted(name));
            tail.write(':');
            tail.writeBytes(valueText);
        }

        byte[] apply(byte[] source, int close) {
            // nulls are noted in the order they appear, but vectors are filled column by column
            sortEdits();
            int size = source.length + tail.size();
            for (int e = 0; e < edits; e++) {
                size += text[e].length - NULL.length;
            }
            byte[] out = new byte[size];
            int from = 0;
            int to = 0;
            for (int e = 0; e < edits; e++) {
                int n = at[e] - from;
                System.arraycopy(source, from, out, to, n);
                to += n;
                System.arraycopy(text[e], 0, out, to, text[e].length);
                to += text[e].length;
                from = at[e] + NULL.length;
            }
            int n = close - from;
            System.arraycopy(source, from, out, to, n);
            to += n;
            byte[] added = tail.toByteArray();
            System.arraycopy(added, 0, out, to, added.length);
            to += added.length;
            System.arraycopy(source, close, out, to, source.length - close);
            return out;
        }

        private void sortEdits() {
            for (int i = 1; i < edits; i++) {
                int a = at[i];
                byte[] t = text[i];
                int j = i - 1;
                while (j >= 0 && at[j] > a) {
                    at[j + 1] = at[j];
                    text[j + 1] = text[j];
                    j--;
                }
                at[j + 1] = a;
                text[j + 1] = t;
            }
        }
    }

    /** Whether the noted offsets point at what they should in {@code value} (a guard against a parser that
     * counts bytes differently, e.g. after a byte-order mark). */
    boolean positionsHold() {
        if (positions.close < 0 || positions.close >= value.length || value[positions.close] != '}') {
            return false;
        }
        for (int at : positions.nullAt) {
            if (at >= 0 && !isNull(at)) {
                return false;
            }
        }
        for (int[] nulls : positions.elementNulls) {
            if (nulls != null) {
                for (int at : nulls) {
                    if (!isNull(at)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private boolean isNull(int at) {
        return at >= 0 && at + NULL.length <= value.length
                && Arrays.equals(value, at, at + NULL.length, NULL, 0, NULL.length);
    }
}
