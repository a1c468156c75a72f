package io.ganstream.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ganstream.schema.DatasetNames;
import io.ganstream.schema.DatasetSchema;
import io.ganstream.schema.InvalidRecordException;
import io.ganstream.schema.ImageColumn;
import io.ganstream.schema.InvalidSchemaException;
import io.ganstream.schema.RecordCodec;
import io.ganstream.service.DatasetModels;
import io.ganstream.service.DatasetRegistry;
import io.ganstream.service.RecordImputation;
import io.ganstream.io.ImageGrid;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.core.annotation.Nullable;
import io.ganstream.engine.synth.SynthModel;
import io.ganstream.service.SyntheticPublisher;
import io.ganstream.service.PrivateSamples;
import io.ganstream.metrics.GanstreamMetrics;
import java.util.HashMap;
import java.util.Map;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import io.ganstream.config.HttpConfig;
import io.ganstream.engine.train.ModelCheckpoint;
import io.ganstream.service.DatasetOperations;
import io.ganstream.service.ModelCheckpoints;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The dataset endpoints of the public contract. Blocking work runs off the event loop. Every error is
 * {@code {"error": "..."}} with a 4xx status for anything a client can send (limits in {@link HttpConfig}).
 */
@Controller("/datasets")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "datasets")
@ApiResponse(responseCode = "400", description = "invalid dataset name, body or parameter",
        content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
@ApiResponse(responseCode = "503", description = "the service is starting or rebalancing: retry",
        content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
public class DatasetController {
    private static final java.util.Set<String> IMAGE_PARAMETERS = java.util.Set.of("count", "scale", "seed");
    private static final String OCTET_STREAM = MediaType.APPLICATION_OCTET_STREAM;
    private final DatasetRegistry registry;
    private final DatasetModels models;
    private final RecordImputation imputation;
    private final DatasetOperations operations;
    private final HttpConfig limits;
    private final GanstreamMetrics metrics;
    private final DatasetDescriptions descriptions;
    /** Rows the privacy filter withheld while answering (always sent when the filter is on). */
    static final String FILTERED_HEADER = "ganstream-privacy-filtered";
    /** Rows short of count: the filter withheld more than a few rounds of resampling made up. */
    static final String MISSING_HEADER = "ganstream-privacy-missing";

    public DatasetController(DatasetRegistry registry, DatasetModels models, RecordImputation imputation,
                             DatasetOperations operations, HttpConfig limits, GanstreamMetrics metrics) {
        this.metrics = metrics;
        this.registry = registry;
        this.models = models;
        this.imputation = imputation;
        this.operations = operations;
        this.limits = limits;
        this.descriptions = new DatasetDescriptions(models, metrics);
    }

    @Operation(summary = "The registered datasets' names")
    @Get(produces = MediaType.APPLICATION_JSON)
    public List<String> list() {
        return registry.names();
    }

    @Operation(summary = "Registers (201) or replaces (200) a dataset's JSON Schema",
            description = "Returns once this instance applies it. 400 with the reason when the schema is invalid, "
                    + "413 when it is larger than ganstream.http.max-schema-bytes.")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(description = "the JSON Schema (draft 2020-12) of one record",
            required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = "object", description = "a JSON Schema document")))
    @ApiResponse(responseCode = "200", description = "replaced", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = DatasetDescription.class)))
    @ApiResponse(responseCode = "201", description = "registered", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = DatasetDescription.class)))
    @ErrorResponses.TokenRequired
    @ApiResponse(responseCode = "413", description = "schema or body too large",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
    @Put(value = "/{name}", consumes = {MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN},
            produces = MediaType.APPLICATION_JSON)
    public HttpResponse<ObjectNode> register(@Parameter(description = NAME) String name, @Body String schemaText) {
        checkName(name);
        if (schemaText == null || schemaText.isBlank()) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "the request body must be the dataset's JSON Schema");
        }
        int bytes = schemaText.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > limits.maxSchemaBytes()) {
            throw schemaTooLarge(bytes, "the limit of " + limits.maxSchemaBytes() + " bytes (ganstream.http.max-schema-bytes)");
        }
        boolean existed = registry.find(name).isPresent();
        try {
            DatasetSchema schema = registry.register(name, schemaText);
            ObjectNode body = descriptions.describe(schema);
            return existed ? HttpResponse.ok(body) : HttpResponse.created(body);
        } catch (InvalidSchemaException e) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        } catch (RecordTooLargeException e) {
            // The Kafka cluster's own limit on a record of ganstream.schemas is lower than the configured one.
            throw schemaTooLarge(bytes, "what the Kafka cluster accepts as one record of " + io.ganstream.stream.Topics.SCHEMAS
                    + " (" + e.getMessage() + ")");
        }
    }

    private static HttpStatusException schemaTooLarge(int bytes, String limit) {
        return new HttpStatusException(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "schema of " + bytes
                + " bytes is larger than " + limit);
    }

    @Operation(summary = "A dataset's schema, columns, settings and model status")
    @ApiResponse(responseCode = "200", description = "the dataset", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = DatasetDescription.class)))
    @ErrorResponses.NoSuchDataset
    @Get(value = "/{name}", produces = MediaType.APPLICATION_JSON)
    public ObjectNode get(@Parameter(description = NAME) String name) {
        return descriptions.describe(require(name));
    }

    @Operation(summary = "Retires a dataset",
            description = "Tombstones its schema in ganstream.schemas and its model in ganstream.models; its "
                    + "training stops and its records are dead-lettered from then on. Its topics stay.")
    @ApiResponse(responseCode = "204", description = "retired")
    @ErrorResponses.TokenRequired
    @ErrorResponses.NoSuchDataset
    @Delete(value = "/{name}", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<Void> delete(@Parameter(description = NAME) String name) throws InterruptedException {
        checkName(name);
        if (!operations.retire(name)) {
            throw notFound(name);
        }
        return HttpResponse.noContent();
    }

    @Operation(summary = "The served model checkpoint: the same bytes as a model file",
            description = "Token-guarded where a token is configured: an imputer that keeps twins carries "
                    + "received records in its checkpoint")
    @ErrorResponses.TokenRequired
    @ApiResponse(responseCode = "200", description = "the checkpoint",
            content = @Content(mediaType = OCTET_STREAM, schema = @Schema(type = "string", format = "binary")))
    @ApiResponse(responseCode = "404", description = "no such dataset, or no model for its schema yet",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
    @Get(value = "/{name}/model", produces = {OCTET_STREAM, MediaType.APPLICATION_JSON})
    public HttpResponse<byte[]> model(@Parameter(description = NAME) String name) {
        DatasetSchema schema = require(name);
        byte[] bytes;
        try {
            bytes = operations.servedModel(schema).orElseThrow(() -> new HttpStatusException(HttpStatus.NOT_FOUND,
                    "no model for dataset '" + name + "' yet: it is trained from the records that flow through "
                            + name + ".raw, or published with PUT /datasets/" + name + "/model"));
        } catch (InvalidStateStoreException e) {
            throw new DatasetRegistry.NotReadyException("the model store is not ready yet");
        }
        return HttpResponse.ok(bytes).contentType(MediaType.APPLICATION_OCTET_STREAM_TYPE)
                .header("Content-Disposition", "attachment; filename=\"" + name + ".model\"");
    }

    @Operation(summary = "Publishes a model file for the dataset",
            description = "The file (a checkpoint, as GET /datasets/{name}/model returns it) "
                    + "becomes the model every instance serves, and training resumes from it. 400 when it is "
                    + "corrupt or made for another schema.")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(description = "the model file", required = true,
            content = @Content(mediaType = OCTET_STREAM, schema = @Schema(type = "string", format = "binary")))
    @ApiResponse(responseCode = "200", description = "published", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = PublishedModel.class)))
    @ErrorResponses.TokenRequired
    @ErrorResponses.NoSuchDataset
    @ApiResponse(responseCode = "413", description = "larger than a model record may be",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
    @Put(value = "/{name}/model", consumes = OCTET_STREAM, produces = MediaType.APPLICATION_JSON)
    public PublishedModel publishModel(@Parameter(description = NAME) String name, @Body byte[] file)
            throws InterruptedException {
        DatasetSchema schema = require(name);
        if (file == null || file.length == 0) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "the request body must be a model file");
        }
        if (file.length > ModelCheckpoints.MAX_CHECKPOINT_BYTES) {
            throw new HttpStatusException(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "model file of " + file.length
                    + " bytes is larger than a model record may be (" + ModelCheckpoints.MAX_CHECKPOINT_BYTES + " bytes)");
        }
        try {
            ModelCheckpoint c = operations.publishModel(schema, file);
            return new PublishedModel(name, c.modelVersion(), c.hasSynthesizer() ? c.synthVersion() : null,
                    c.schemaHash(), c.dataset(), c.softwareVersion(), file.length);
        } catch (ModelCheckpoint.InvalidCheckpointException e) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "model file refused: " + e.getMessage());
        }
    }

    @Operation(summary = "Imputes records with the dataset's current model",
            description = "Body: one record or an array of at most ganstream.http.max-impute-records records. "
                    + "Answers, per record, {\"record\": ..., \"imputed\": [...], \"model\": \"...\"}; 400 naming the "
                    + "invalid record and column.")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(description = "a record (JSON object) or an array of them",
            required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(oneOf = {Object.class, Object[].class})))
    @ApiResponse(responseCode = "200", description = "the filled record, or an array of them",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(oneOf = {ImputedRecord.class,
                    ImputedRecord[].class})))
    @ErrorResponses.NoSuchDataset
    @ApiResponse(responseCode = "413", description = "body too large",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
    @Post(value = "/{name}/impute", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public JsonNode impute(@Parameter(description = NAME) String name, @Body String body) {
        DatasetSchema schema = require(name);
        JsonNode input;
        try {
            input = body == null || body.isBlank() ? null : RecordCodec.mapper().readTree(body);
        } catch (IOException e) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "body is not JSON: " + e.getMessage());
        }
        if (input == null || !(input.isObject() || input.isArray())) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "body must be a record (JSON object) or an array of records");
        }
        if (input.size() > limits.maxImputeRecords() && input.isArray()) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, input.size() + " records is more than the limit of "
                    + limits.maxImputeRecords() + " per request (ganstream.http.max-impute-records)");
        }
        if (input.isArray() && input.isEmpty()) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "the array of records is empty");
        }
        List<JsonNode> records = new ArrayList<>();
        if (input.isArray()) {
            input.forEach(records::add);
        } else {
            records.add(input);
        }
        try {
            List<ObjectNode> out = imputation.impute(schema, records);
            if (input.isObject()) {
                return out.get(0);
            }
            var array = JsonNodeFactory.instance.arrayNode();
            out.forEach(array::add);
            return array;
        } catch (InvalidRecordException e) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        }
    }

    /** N synthetic records, optionally all of given categories; 409 while no synthesizer model exists. */
    @Operation(summary = "N synthetic records as a JSON array",
            description = "Optional body {\"conditions\": {\"column\": \"value\"}} on categorical columns. count is "
                    + "1..ganstream.http.max-samples, and count × the values of a record at most "
                    + "ganstream.http.max-sample-values. The header ganstream-model names the synthesizer's version. "
                    + "With the dataset's privacy filter on (the default), rows that copy or nearly copy a training "
                    + "row are withheld and made up by resampling: ganstream-privacy-filtered counts them, and "
                    + "ganstream-privacy-missing says how many rows short of count the answer is when a few "
                    + "rounds could not make them up.")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(description = "optional conditions", required = false,
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SampleConditions.class)))
    @ApiResponse(responseCode = "200", description = "the synthetic records", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, array = @ArraySchema(schema = @Schema(type = "object",
            description = "a synthetic record of the modeled columns"))))
    @ErrorResponses.NoSuchDataset
    @ErrorResponses.NoSynthesizer
    @Post(value = "/{name}/samples", consumes = {MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN},
            produces = MediaType.APPLICATION_JSON)
    public HttpResponse<JsonNode> samples(@Parameter(description = NAME) String name,
                                          @Parameter(description = "how many records")
                                          @QueryValue(defaultValue = "100") int count,
                                          @Parameter(description = "random seed (a new one by default)")
                                          @QueryValue @Nullable Long seed, @Body @Nullable String body) {
        DatasetSchema schema = require(name);
        checkCount(count, limits.maxSamples(), "max-samples");
        long values = (long) count * schema.spec().cellCount();
        if (values > limits.maxSampleValues()) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "count " + count + " × " + schema.spec().cellCount()
                    + " values per record is more than the limit of " + limits.maxSampleValues()
                    + " values per request (ganstream.http.max-sample-values)");
        }
        Map<Integer, Integer> conditions = Conditions.parse(schema, body);
        SynthModel model = synthesizer(schema, " (synthesis is off when syntheticPerRecord is 0)");
        SynthModel.Filtered sampled = sample(schema, model, count, conditions, seed);
        var array = JsonNodeFactory.instance.arrayNode();
        for (double[] row : sampled.rows()) {
            array.add(SyntheticPublisher.toObject(schema, row));
        }
        return privacyHeaders(HttpResponse.ok((JsonNode) array).header("ganstream-model", model.version()), schema,
                sampled);
    }

    /**
     * A PNG grid of {@code count} synthetic images of the dataset's image column; every other query parameter is
     * a categorical condition ({@code ?label=7}). 400 without an image column, 409 while no model is trained.
     */
    @Operation(summary = "A PNG grid of N synthetic images of the dataset's image column",
            description = "Every query parameter other than count, scale and seed is a categorical condition "
                    + "(?label=7). count is 1..ganstream.http.max-images, scale 1..8. Images the privacy filter "
                    + "withholds are made up by resampling (headers as for POST samples).")
    @ApiResponse(responseCode = "200", description = "the PNG",
            content = @Content(mediaType = "image/png", schema = @Schema(type = "string", format = "binary")))
    @ErrorResponses.NoSuchDataset
    @ErrorResponses.NoSynthesizer
    @Get(value = "/{name}/samples.png", produces = {"image/png", MediaType.APPLICATION_JSON})
    public HttpResponse<byte[]> samplesPng(@Parameter(description = NAME) String name,
                                           @Parameter(hidden = true) HttpRequest<?> request,
                                           @Parameter(description = "how many images")
                                           @QueryValue(defaultValue = "64") int count,
                                           @Parameter(description = "pixels per image pixel")
                                           @QueryValue(defaultValue = "2") int scale,
                                           @Parameter(description = "random seed (a new one by default)")
                                           @QueryValue @Nullable Long seed) {
        DatasetSchema schema = require(name);
        ImageColumn image = ImageColumn.of(schema).orElseThrow(() -> new HttpStatusException(HttpStatus.BAD_REQUEST,
                "dataset '" + name + "' has no image column (a vector with \"x-ganstream-image\")"));
        checkCount(count, limits.maxImages(), "max-images");
        if (scale < 1 || scale > 8) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "scale must be 1..8");
        }
        Map<Integer, Integer> conditions = new HashMap<>();
        for (String parameter : request.getParameters().names()) {
            if (!IMAGE_PARAMETERS.contains(parameter)) {
                Conditions.add(schema, parameter, request.getParameters().get(parameter), conditions);
            }
        }
        SynthModel model = synthesizer(schema, "");
        SynthModel.Filtered sampled = sample(schema, model, count, conditions, seed);
        byte[] png = ImageGrid.png(ImageGrid.grid(List.of(sampled.rows()), image, ImageGrid.columnsFor(count), scale));
        return privacyHeaders(HttpResponse.ok(png).contentType("image/png").header("ganstream-model", model.version()),
                schema, sampled);
    }

    /** 400 unless {@code 1 <= count <= max}, naming the limit's property {@code ganstream.http.<property>}. */
    private static void checkCount(int count, int max, String property) {
        if (count < 1 || count > max) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "count must be 1.." + max + " (ganstream.http."
                    + property + "), not " + count);
        }
    }

    /** The dataset's synthesizer; 409 while none is trained ({@code hint} ends the message). */
    private SynthModel synthesizer(DatasetSchema schema, String hint) {
        String name = schema.name();
        return models.synthesizer(schema).orElseThrow(() -> new HttpStatusException(HttpStatus.CONFLICT,
                "no synthesizer model for '" + name + "' yet: it is trained from the records that flow through "
                        + name + ".raw" + hint));
    }

    /** {@code count} rows through the dataset's privacy filter; a new seed when none is given. */
    private SynthModel.Filtered sample(DatasetSchema schema, SynthModel model, int count,
                                       Map<Integer, Integer> conditions, Long seed) {
        return PrivateSamples.sample(schema, metrics, model, count, conditions, seed != null ? seed : System.nanoTime());
    }

    /** The privacy filter's headers: rows withheld, and rows missing when the answer is short. */
    private static <T> io.micronaut.http.MutableHttpResponse<T> privacyHeaders(
            io.micronaut.http.MutableHttpResponse<T> response, DatasetSchema schema, SynthModel.Filtered sampled) {
        if (schema.settings().privacyFilter()) {
            response.header(FILTERED_HEADER, Long.toString(sampled.refused()));
        }
        if (sampled.missing() > 0) {
            response.header(MISSING_HEADER, Integer.toString(sampled.missing()));
        }
        return response;
    }

    private DatasetSchema require(String name) {
        checkName(name);
        return registry.find(name).orElseThrow(() -> notFound(name));
    }

    private static HttpStatusException notFound(String name) {
        return new HttpStatusException(HttpStatus.NOT_FOUND, "no dataset named '" + name + "'");
    }

    private static final String NAME = "dataset name, [a-z0-9][a-z0-9_-]{0,62}";

    private static void checkName(String name) {
        if (!DatasetNames.isValid(name)) {
            String shown = name == null ? "" : name.length() > 80 ? name.substring(0, 80) + "..." : name;
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "invalid dataset name '" + shown
                    + "': names match [a-z0-9][a-z0-9_-]{0,62}");
        }
    }
}
