package io.ganstream.api;

import io.micronaut.core.annotation.Nullable;
import io.swagger.v3.oas.annotations.media.Schema;

/** The answer to {@code PUT /datasets/{name}/model}: what was published. */
@Schema(description = "the model file published for a dataset")
public record PublishedModel(
        @Schema(description = "the dataset it now serves") String dataset,
        @Schema(description = "the imputer's model version in the file") long modelVersion,
        @Schema(description = "the synthesizer's version in the file; null when it has none") @Nullable Long synthVersion,
        @Schema(description = "hash of the schema it was made for (the dataset's)") String schemaHash,
        @Schema(description = "the dataset it was trained as (provenance)") String trainedAs,
        @Schema(description = "the ganstream version that wrote it") String softwareVersion,
        @Schema(description = "its size") int bytes) {
}
