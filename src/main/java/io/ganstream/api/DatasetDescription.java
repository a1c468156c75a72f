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
                       Double detectionAuc, Privacy privacy, Coverage coverage) {
    }

    @Schema(description = "fresh synthetic rows against as many training rows as held-out rows (null until measured)")
    record Privacy(@Schema(description = "share nearer a training row than every held-out row (0.5 ideal)") Double dcrShare,
                   @Schema(description = "share equal to a training row on every cell") Double copies,
                   @Schema(description = "median Gower distance to the nearest training row") Double medianSyntheticToTrain,
                   @Schema(description = "the same for held-out real rows") Double medianHoldoutToTrain,
                   @Schema(description = "rows the privacy filter withheld on this instance") Long filtered) {
    }

    @Schema(description = "how much of the held-out rows' variety fresh synthetic rows cover (null until measured)")
    record Coverage(@Schema(description = "share of the categories present") Double categories,
                    @Schema(description = "share of the numeric columns' decile bins present") Double modes,
                    @Schema(description = "smallest variance ratio synthetic / real over numeric columns")
                    Double minVarianceRatio) {
    }
}
