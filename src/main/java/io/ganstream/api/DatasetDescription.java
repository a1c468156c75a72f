package io.ganstream.api;

import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;
import java.util.Map;

/** What {@code GET /datasets/{name}} answers (for the OpenAPI spec; {@code DatasetController} writes the JSON). */
@Schema(description = "a dataset: schema, columns, settings and model status")
record DatasetDescription(
        @Schema(description = "dataset name") String name,
        @Schema(description = "hash of the schema text") String schemaHash,
        @Schema(description = "the JSON Schema") Map<String, Object> schema,
        @Schema(description = "the modeled columns") List<ModeledColumn> columns,
        @Schema(description = "training settings (the schema's x-ganstream keyword, with defaults)")
        Map<String, Object> settings,
        @Schema(description = "the imputer") Model model,
        @Schema(description = "the synthesizer, once trained") Synthesizer synthesizer) {

    @Schema(description = "a modeled column")
    record ModeledColumn(String name,
                         @Schema(description = "continuous, integer, categorical, datetime or vector") String kind,
                         @Schema(description = "values of a vector column") Integer width,
                         @Schema(description = "categories of a categorical column") List<String> categories) {
    }

    @Schema(description = "the imputer's status; training figures where it trains")
    record Model(@Schema(description = "the version imputing now, or fallback") String version,
                 @Schema(description = "why the stored checkpoint could not be used") String checkpointProblem,
                 Long windowsTrained, Long windowsDropped, Long steps, Long recordsSeen,
                 @Schema(description = "generator, discriminator, reconstruction") Map<String, Double> losses,
                 @Schema(description = "imputationRmse, fallbackImputationRmse, heldOutCells")
                 Map<String, Double> quality) {
    }

    @Schema(description = "the synthesizer's status")
    record Synthesizer(String version, Double quality, Double columnShapes, Double columnPairTrends,
                       Double detectionAuc) {
    }
}
