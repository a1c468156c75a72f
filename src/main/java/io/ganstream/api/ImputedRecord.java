package io.ganstream.api;

import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;
import java.util.Map;

/** One answer of {@code POST /datasets/{name}/impute} (for the OpenAPI spec; written as a JSON tree). */
@Schema(description = "a record with every missing modeled value filled")
record ImputedRecord(
        @Schema(description = "the record, observed values unchanged") Map<String, Object> record,
        @Schema(description = "names of the columns that were filled") List<String> imputed,
        @Schema(description = "the model version that filled them, or fallback", example = "gain-12") String model) {
}
