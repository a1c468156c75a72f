package io.ganstream.schema;

import io.ganstream.engine.table.Column;

/**
 * A modeled column together with how its values look in JSON.
 *
 * @param column     the engine's view of the column
 * @param boolean_   true when the JSON values are booleans (categories "true"/"false")
 * @param dateFormat the string format of a datetime column, {@code null} otherwise
 */
public record ModeledColumn(Column column, boolean boolean_, DateFormat dateFormat) {

    public String name() {
        return column.name();
    }
}
