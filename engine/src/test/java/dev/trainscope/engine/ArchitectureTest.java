package dev.trainscope.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The dependency rules each package-info states, checked on the compiled classes. */
class ArchitectureTest {
  private static final JavaClasses ENGINE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.trainscope.engine");

  @Test
  void theEngineDependsOnTheJdkAndReactorCoreOnly() {
    classes()
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "java..",
            "reactor.core..",
            "reactor.util..",
            "org.reactivestreams..",
            "dev.trainscope.engine..")
        .check(ENGINE);
  }

  @Test
  void theEngineNeverPrints() {
    NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS.check(ENGINE);
  }

  @Test
  void packagesDependOnEachOtherOneWay() {
    layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .layer("training")
        .definedBy("dev.trainscope.engine")
        .layer("event")
        .definedBy("dev.trainscope.engine.event..")
        .layer("config")
        .definedBy("dev.trainscope.engine.config..")
        .layer("data")
        .definedBy("dev.trainscope.engine.data..")
        .layer("nn")
        .definedBy("dev.trainscope.engine.nn..")
        .layer("check")
        .definedBy("dev.trainscope.engine.check..")
        .whereLayer("training")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("event")
        .mayOnlyBeAccessedByLayers("training")
        .whereLayer("data")
        .mayOnlyBeAccessedByLayers("training")
        .whereLayer("config")
        .mayOnlyBeAccessedByLayers("training", "event")
        .whereLayer("nn")
        .mayOnlyBeAccessedByLayers("training", "config", "data")
        .check(ENGINE);
  }

  @Test
  void noPackageCycles() {
    slices().matching("dev.trainscope.engine.(**)").should().beFreeOfCycles().check(ENGINE);
  }
}
