package dev.trainscope.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The dependency rules each package-info states, checked on the compiled classes. */
class ArchitectureTest {
  private static final JavaClasses SERVER =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.trainscope.server");

  @Test
  void nothingButTheCommandLineDependsOnIt() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.trainscope.server.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.trainscope.server.cli..")
        .check(SERVER);
  }

  @Test
  void onlyTheHttpLayerAndTheServerKnowHttp() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.trainscope.server.log..",
            "dev.trainscope.server.runs..",
            "dev.trainscope.server.json..",
            "dev.trainscope.server.remote..",
            "dev.trainscope.server.sweep..",
            "dev.trainscope.server.mlflow..",
            "dev.trainscope.server.client..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.trainscope.server.http..", "io.netty.handler.codec.http..", "reactor.netty.http..")
        .check(SERVER);
  }

  @Test
  void theLogNeverDependsOnTheRunsItStores() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.trainscope.server.log..", "dev.trainscope.server.json..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.trainscope.server.runs..", "dev.trainscope.server.remote..")
        .check(SERVER);
  }

  @Test
  void aSweepPlansRunsButNeverStartsThem() {
    noClasses()
        .that()
        .resideInAPackage("dev.trainscope.server.sweep..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.trainscope.server.runs..", "dev.trainscope.server.remote..")
        .check(SERVER);
  }

  @Test
  void theWireLevelKnowsNoRunsNorEvents() {
    classes()
        .that()
        .resideInAPackage("dev.trainscope.server.sse..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "java..",
            "io.netty..",
            "reactor..",
            "org.reactivestreams..",
            "org.slf4j..",
            "dev.trainscope.server.sse..")
        .check(SERVER);
    classes()
        .that()
        .resideInAPackage("dev.trainscope.server.client..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("java..", "dev.trainscope.server.client..")
        .check(SERVER);
  }

  @Test
  void onlyTheBlasPackageKnowsTheNativeBinding() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.trainscope.server.blas..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.ludovic.netlib..")
        .check(SERVER);
  }

  @Test
  void noPackageCycles() {
    slices().matching("dev.trainscope.server.(*)..").should().beFreeOfCycles().check(SERVER);
  }
}
