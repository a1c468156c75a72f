package io.ganstream.api;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;

/**
 * The OpenAPI document's header. micronaut-openapi generates the document from the controllers at build time
 * into {@code META-INF/swagger/ganstream.yml}; the service serves it at {@code /swagger/ganstream.yml}.
 */
@OpenAPIDefinition(info = @Info(title = "ganstream", version = "${api.version}",
        description = "GAN imputation and synthesis of streamed tabular records on Kafka: datasets, models, "
                + "imputation and synthetic samples. Errors are {\"error\": \"...\"}."))
final class OpenApiDefinition {
    private OpenApiDefinition() {
    }
}
