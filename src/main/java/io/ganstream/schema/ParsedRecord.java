package io.ganstream.schema;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ganstream.engine.table.TableSpec;

/**
 * A valid record: its JSON object and its modeled values as a row of cells ({@code NaN} = missing).
 *
 * @param json  the record as parsed; carried properties are left exactly as they came
 * @param cells the modeled values laid out by the dataset's {@link io.ganstream.engine.table.TableSpec}
 */
public record ParsedRecord(ObjectNode json, double[] cells) {

    public boolean hasMissing() {
        return !TableSpec.isComplete(cells);
    }
}
