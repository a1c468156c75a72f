package io.ganstream.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ganstream.engine.train.ModelCheckpoint;
import io.ganstream.io.RecordFiles;
import io.ganstream.schema.DatasetSchema;
import io.ganstream.schema.ParsedRecord;
import io.ganstream.schema.RecordCodec;
import io.ganstream.schema.SchemaParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code fit}, {@code sample} and {@code impute} on the bundled cars data, through the command line, with no Kafka:
 * a model file is reproducible, samples keep their condition, imputation fills holes and nothing else.
 */
class ModelFileCommandsTest {
    private static final Path SCHEMA = Path.of("schemas/datasets/cars.schema.json");
    private static final String STEPS = "60";

    @TempDir
    static Path dir;
    static Path cars;
    static Path model;
    static DatasetSchema schema;

    @BeforeAll
    static void fitOnce() throws Exception {
        cars = dir.resolve("cars.csv");
        try (InputStream in = ModelFileCommandsTest.class.getResourceAsStream("/data/cars.csv")) {
            Files.copy(in, cars);
        }
        schema = new SchemaParser().parse("cars", Files.readString(SCHEMA));
        model = dir.resolve("cars.model");
        assertEquals(0, run("fit", "--quiet", "--schema", SCHEMA.toString(), "--file", cars.toString(),
                "--out", model.toString(), "--max-steps", STEPS, "--seed", "5"));
    }

    @Test
    void fitWritesAModelFileThatCarriesItsSchemaAndBothModels() throws Exception {
        ModelCheckpoint c = ModelCheckpoint.parse(Files.readAllBytes(model));

        assertEquals("cars", c.dataset());
        assertEquals(schema.hash(), c.schemaHash());
        assertEquals(schema.text(), c.schemaText());
        assertEquals(5, c.seed());
        assertTrue(c.modelVersion() > 0);
        assertTrue(c.hasSynthesizer() && c.synthVersion() > 0);
    }

    @Test
    void fitIsReproducibleWithTheSameSeedAndFile() throws Exception {
        Path again = dir.resolve("again.model");
        Path other = dir.resolve("other-seed.model");
        assertEquals(0, run("fit", "--quiet", "--schema", SCHEMA.toString(), "--file", cars.toString(),
                "--out", again.toString(), "--max-steps", STEPS, "--seed", "5"));
        assertEquals(0, run("fit", "--quiet", "--schema", SCHEMA.toString(), "--file", cars.toString(),
                "--out", other.toString(), "--max-steps", STEPS, "--seed", "6"));

        ModelCheckpoint a = ModelCheckpoint.parse(Files.readAllBytes(model));
        ModelCheckpoint b = ModelCheckpoint.parse(Files.readAllBytes(again));
        assertEquals(a.modelVersion(), b.modelVersion());
        assertEquals(a.synthVersion(), b.synthVersion());
        assertArrayEquals(a.state(), b.state(), "imputer state");
        assertArrayEquals(a.synthState(), b.synthState(), "synthesizer state");
        ModelCheckpoint c = ModelCheckpoint.parse(Files.readAllBytes(other));
        assertFalse(Arrays.equals(a.state(), c.state()), "another seed, another imputer");
    }

    @Test
    void sampleWritesRecordsThatAllHaveTheCondition() throws Exception {
        Path out = dir.resolve("japan.csv");
        assertEquals(0, run("sample", "--model", model.toString(), "--count", "150", "--condition", "Origin=Japan",
                "--seed", "3", "--out", out.toString()));

        List<ObjectNode> records = RecordFiles.read(out, schema.document());
        assertEquals(150, records.size());
        for (ObjectNode r : records) {
            assertEquals("Japan", r.get("Origin").asText());
            assertFalse(r.has("Name"), "a carried column is not synthesized");
            // valid records; cells may be missing as the real records miss them (cars: a few MPG and horsepower)
            ParsedRecord p = RecordCodec.read(schema, r);
            assertFalse(Double.isNaN(p.cells()[schema.spec().offset(schema.indexOf("Origin"))]), r.toString());
        }
    }

    @Test
    void samplingTwiceWithASeedGivesTheSameRecords() throws Exception {
        Path a = dir.resolve("a.jsonl.gz");
        Path b = dir.resolve("b.jsonl.gz");
        assertEquals(0, run("sample", "--model", model.toString(), "--count", "20", "--seed", "9", "--out", a.toString()));
        assertEquals(0, run("sample", "--model", model.toString(), "--count", "20", "--seed", "9", "--out", b.toString()));

        assertEquals(RecordFiles.read(a, null), RecordFiles.read(b, null));
    }

    @Test
    void imputeFillsEveryHoleAndKeepsRowsOrderAndObservedValues() throws Exception {
        List<ObjectNode> original = RecordFiles.read(cars, schema.document());
        Random rng = new Random(11);
        List<String> lines = new ArrayList<>(Files.readAllLines(cars));
        List<String> holed = new ArrayList<>();
        holed.add(lines.get(0));
        for (String line : lines.subList(1, 81)) {
            String[] f = line.split(",", -1);
            for (int k = 1; k < f.length; k++) {
                if (rng.nextDouble() < 0.25) {
                    f[k] = "";
                }
            }
            holed.add(String.join(",", f));
        }
        Path holes = dir.resolve("holes.csv");
        Files.write(holes, holed);
        Path filled = dir.resolve("filled.csv");

        assertEquals(0, run("impute", "--model", model.toString(), "--file", holes.toString(),
                "--out", filled.toString()));

        List<ObjectNode> in = RecordFiles.read(holes, schema.document());
        List<ObjectNode> out = RecordFiles.read(filled, schema.document());
        assertEquals(80, out.size());
        int holesSeen = 0;
        for (int i = 0; i < in.size(); i++) {
            assertEquals(original.get(i).get("Name"), out.get(i).get("Name"), "carried column, row " + i);
            double[] before = RecordCodec.read(schema, in.get(i)).cells();
            double[] after = RecordCodec.read(schema, out.get(i)).cells();
            for (int c = 0; c < before.length; c++) {
                assertFalse(Double.isNaN(after[c]), "row " + i + " cell " + c + " filled");
                if (Double.isNaN(before[c])) {
                    holesSeen++;
                } else {
                    assertEquals(before[c], after[c], "row " + i + " cell " + c + " unchanged");
                }
            }
        }
        assertTrue(holesSeen > 50, "the file had holes: " + holesSeen);
    }

    @Test
    void mistakesAreOneLineAndExitCodeTwo() throws Exception {
        Path out = dir.resolve("x.csv");
        assertError("'Colour' is not a categorical column of cars", "sample", "--model", model.toString(),
                "--count", "3", "--condition", "Colour=red", "--out", out.toString());
        assertError("unknown category \"Mars\", expected one of [Europe, Japan, USA]", "sample", "--model",
                model.toString(), "--count", "3", "--condition", "Origin=Mars", "--out", out.toString());

        byte[] bytes = Files.readAllBytes(model);
        bytes[bytes.length / 2] ^= 1;
        Path corrupt = dir.resolve("corrupt.model");
        Files.write(corrupt, bytes);
        assertError("is not usable: checkpoint is corrupted (CRC mismatch)", "impute", "--model", corrupt.toString(),
                "--file", cars.toString(), "--out", out.toString());

        Path noSynth = dir.resolve("nosynth.schema.json");
        Files.writeString(noSynth, Files.readString(SCHEMA).replace("\"seed\": 1}", "\"seed\": 1, \"syntheticPerRecord\": 0}"));
        Path imputerOnly = dir.resolve("imputer-only.model");
        assertEquals(0, run("fit", "--quiet", "--schema", noSynth.toString(), "--dataset", "cars", "--file",
                cars.toString(), "--out", imputerOnly.toString(), "--max-steps", "20"));
        assertError("has no synthesizer", "sample", "--model", imputerOnly.toString(), "--count", "3",
                "--out", out.toString());
    }

    private static void assertError(String expected, String... args) {
        StringWriter err = new StringWriter();
        CommandLine line = GanstreamCommand.commandLine();
        line.setErr(new PrintWriter(err, true));
        int rc = line.execute(args);
        String message = err.toString();
        assertEquals(2, rc, message);
        assertTrue(message.contains(expected), message);
        assertEquals(1, message.strip().lines().count(), message);
    }

    private static int run(String... args) {
        return GanstreamCommand.commandLine().execute(args);
    }
}
