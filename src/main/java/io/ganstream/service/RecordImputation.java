package io.ganstream.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ganstream.engine.impute.Imputer;
import io.ganstream.schema.DatasetSchema;
import io.ganstream.schema.InvalidRecordException;
import io.ganstream.schema.ParsedRecord;
import io.ganstream.schema.RecordCodec;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;

/** Imputes records given over HTTP with the dataset's current model, in one batch. */
@Singleton
public class RecordImputation {
    private final DatasetModels models;

    public RecordImputation(DatasetModels models) {
        this.models = models;
    }

    /**
     * Fills each record; answers, per record, {@code {"record": ..., "imputed": [...], "model": "..."}}.
     *
     * @throws InvalidRecordException naming the first invalid record (by index when several were given)
     */
    public List<ObjectNode> impute(DatasetSchema schema, List<JsonNode> records) throws InvalidRecordException {
        List<ParsedRecord> parsed = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            JsonNode r = records.get(i);
            try {
                if (!(r instanceof ObjectNode o)) {
                    throw new InvalidRecordException("not_object", "not a JSON object");
                }
                parsed.add(RecordCodec.read(schema, o.deepCopy()));
            } catch (InvalidRecordException e) {
                throw records.size() == 1 ? e
                        : new InvalidRecordException(e.reasonClass(), "record " + i + ": " + e.getMessage());
            }
        }
        double[][] rows = new double[parsed.size()][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = parsed.get(i).cells().clone();
        }
        Imputer imputer = models.imputerFor(schema);
        imputer.imputeInPlace(rows);
        List<ObjectNode> out = new ArrayList<>(rows.length);
        for (int i = 0; i < rows.length; i++) {
            ParsedRecord p = parsed.get(i);
            List<String> filled = RecordCodec.fill(schema, p.json(), p.cells(), rows[i]);
            ObjectNode result = JsonNodeFactory.instance.objectNode();
            result.set("record", p.json());
            ArrayNode names = result.putArray("imputed");
            filled.forEach(names::add);
            result.put("model", imputer.version());
            out.add(result);
        }
        return out;
    }
}
