package io.ganstream;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The boundaries of the design: the engine knows nothing of Kafka, Micronaut or JSON; the topology no Micronaut;
 * the engine's rooms keep to their purpose; the CLI is a leaf; the benchmark commands hang from the CLI only.
 */
class ArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.ganstream");

    @Test
    void engineIsPlainJavaAndDl4j() {
        noClasses().that().resideInAPackage("io.ganstream.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "io.micronaut..",
                        "io.micrometer..", "com.fasterxml.jackson..", "io.ganstream.stream..",
                        "io.ganstream.service..", "io.ganstream.api..", "io.ganstream.schema..")
                .check(CLASSES);
    }

    @Test
    void topologyIsFreeOfMicronaut() {
        noClasses().that().resideInAnyPackage("io.ganstream.stream..", "io.ganstream.schema..")
                .should().dependOnClassesThat().resideInAnyPackage("io.micronaut..", "io.micrometer..",
                        "io.ganstream.service..", "io.ganstream.api..")
                .check(CLASSES);
    }

    @Test
    void nothingOutsideTheCliDependsOnIt() {
        noClasses().that().resideOutsideOfPackage("io.ganstream.cli..")
                .should().dependOnClassesThat().resideInAPackage("io.ganstream.cli..")
                .check(CLASSES);
    }

    /** What both the CLI and the benchmarks start the service with depends on neither. */
    @Test
    void theLauncherDependsOnNeitherTheCliNorTheBenchmarks() {
        noClasses().that().resideInAPackage("io.ganstream.launch..")
                .should().dependOnClassesThat().resideInAnyPackage("io.ganstream.cli..", "io.ganstream.bench..")
                .check(CLASSES);
    }

    /** The lab apart from the product: the benchmark commands are reached from the command root only. */
    @Test
    void onlyTheCommandRootUsesTheBenchmarks() {
        noClasses().that().resideOutsideOfPackages("io.ganstream.cli..", "io.ganstream.bench..")
                .should().dependOnClassesThat().resideInAPackage("io.ganstream.bench..")
                .check(CLASSES);
        noClasses().that().resideInAnyPackage("io.ganstream.service..", "io.ganstream.engine..",
                        "io.ganstream.api..", "io.ganstream.kafka..")
                .should().dependOnClassesThat().resideInAPackage("io.ganstream.bench..")
                .check(CLASSES);
    }

    @Test
    void imputerAndSynthesizerDoNotKnowEachOther() {
        noClasses().that().resideInAPackage("io.ganstream.engine.impute..")
                .should().dependOnClassesThat().resideInAPackage("io.ganstream.engine.synth..")
                .check(CLASSES);
        noClasses().that().resideInAPackage("io.ganstream.engine.synth..")
                .should().dependOnClassesThat().resideInAPackage("io.ganstream.engine.impute..")
                .check(CLASSES);
    }

    @Test
    void dl4jOnlyInTheTrainingPathTheTwoNetsAndTheSynthesizersPenalty() {
        noClasses().that().resideInAPackage("io.ganstream.engine..")
                .and().resideOutsideOfPackage("io.ganstream.engine.nn..")
                .and().haveNameNotMatching(
                        "io\\.ganstream\\.engine\\.(impute\\.GainNet|synth\\.(SynthNet|GradientPenalty))(\\$.*)?")
                .should().dependOnClassesThat().resideInAnyPackage("org.deeplearning4j..", "org.nd4j..")
                .check(CLASSES);
    }
}
