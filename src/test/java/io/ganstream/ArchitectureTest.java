package io.ganstream;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The boundaries of the design: the engine knows nothing of Kafka, Micronaut or JSON; the topology no Micronaut. */
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
}
