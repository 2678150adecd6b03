package dev.trainscope.engine.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainscope.engine.check.InvalidValueException;
import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetTest {

  static Dataset parse(String csv, String labelColumn) throws IOException {
    return Dataset.parseCsv("test.csv", new StringReader(csv), labelColumn);
  }

  static void rejects(String csv, String labelColumn, String field, String message) {
    assertThatThrownBy(() -> parse(csv, labelColumn))
        .isInstanceOfSatisfying(
            InvalidValueException.class, e -> assertThat(e.field()).isEqualTo(field))
        .hasMessage(message);
  }

  @Test
  void labelIsTheLastColumnByDefaultAndClassesAreSorted() throws IOException {
    Dataset d = parse("a,b,kind\n1,2,zebra\n3,4.5,ant\n-1,0,zebra\n", null);
    assertThat(d.name()).isEqualTo("test.csv");
    assertThat(d.featureNames()).containsExactly("a", "b");
    assertThat(d.classes()).containsExactly("ant", "zebra");
    assertThat(d.size()).isEqualTo(3);
    assertThat(d.featureCount()).isEqualTo(2);
    assertThat(d.features(1)).containsExactly(3, 4.5);
    assertThat(List.of(d.label(0), d.label(1), d.label(2))).containsExactly(1, 0, 1);
  }

  @Test
  void labelColumnCanBeNamedAnywhere() throws IOException {
    Dataset d = parse("kind,a,b\nx,1,2\ny,3,4\n", "kind");
    assertThat(d.featureNames()).containsExactly("a", "b");
    assertThat(d.features(0)).containsExactly(1, 2);
    assertThat(d.label(1)).isEqualTo(1);
  }

  @Test
  void blankLinesAreSkippedAndQuotesAndSpacesStripped() throws IOException {
    Dataset d = parse("\"a\", b ,kind\n 1 , \"2\" ,\"x\"\n\n3,4,y\n", null);
    assertThat(d.featureNames()).containsExactly("a", "b");
    assertThat(d.size()).isEqualTo(2);
    assertThat(d.features(0)).containsExactly(1, 2);
    assertThat(d.classes()).containsExactly("x", "y");
  }

  @Test
  void byteOrderMarkIsNotPartOfTheFirstColumnName() throws IOException {
    // Spreadsheet programs often save UTF-8 CSVs with a byte order mark.
    Dataset d = parse("\uFEFFkind,a,b\nx,1,2\ny,3,4\n", "kind");
    assertThat(d.featureNames()).containsExactly("a", "b");
    assertThat(parse("\uFEFFa,b,kind\n1,2,x\n3,4,y\n", null).featureNames())
        .containsExactly("a", "b");
  }

  @Test
  void nonNumericCellNamesLineAndColumn() {
    rejects(
        "a,b,kind\n1,2,x\n3,four,y\n",
        null,
        "csv",
        "test.csv: line 3, column b: a finite number required but was \"four\"");
    rejects(
        "a,b,kind\n1,,x\n",
        null,
        "csv",
        "test.csv: line 2, column b: a finite number required but was \"\"");
    rejects(
        "a,b,kind\n1,NaN,x\n",
        null,
        "csv",
        "test.csv: line 2, column b: a finite number required but was \"NaN\"");
  }

  @Test
  void wrongColumnCountNamesTheLine() {
    rejects(
        "a,b,kind\n1,2,x\n1,2\n", null, "csv", "test.csv: line 3: 3 columns required but was 2");
    rejects("a,b,kind\n1,2,x,4\n", null, "csv", "test.csv: line 2: 3 columns required but was 4");
  }

  @Test
  void emptyFilesAreRejected() {
    rejects("", null, "csv", "test.csv: header row required but the file was empty");
    rejects("a,b,kind\n", null, "csv", "test.csv: at least one data row required but was 0");
    rejects("a,b,kind\n\n\n", null, "csv", "test.csv: at least one data row required but was 0");
  }

  @Test
  void needsAFeatureAndTwoClasses() {
    rejects(
        "kind\nx\n",
        null,
        "csv",
        "test.csv: at least one feature and a label column required but was kind");
    rejects("a,kind\n1,x\n2,x\n", null, "csv", "test.csv: at least 2 classes required but was 1");
  }

  @Test
  void unknownLabelColumnIsReported() {
    rejects(
        "a,b,kind\n1,2,x\n",
        "species",
        "labelColumn",
        "test.csv: label column \"species\" required but the header has [a, b, kind]");
  }

  @Test
  void featuresAreDefensivelyCopied() throws IOException {
    double[][] x = {{1, 2}, {3, 4}};
    Dataset d = new Dataset("d", List.of("a", "b"), List.of("p", "q"), x, new int[] {0, 1});
    x[0][0] = 99;
    d.features(0)[1] = 99;
    assertThat(d.features(0)).containsExactly(1, 2);
  }

  @Test
  void constructorChecksShapesAndLabels() {
    assertThatThrownBy(
            () ->
                new Dataset(
                    "d", List.of("a"), List.of("p", "q"), new double[][] {{1}}, new int[] {2}))
        .hasMessage("label in [0, 2) required but was 2");
    assertThatThrownBy(
            () ->
                new Dataset(
                    "d", List.of("a"), List.of("p"), new double[][] {{1, 2}}, new int[] {0}))
        .hasMessage("1 features per sample required but was 2");
    assertThatThrownBy(
            () -> new Dataset("d", List.of("a"), List.of("p"), new double[][] {}, new int[] {}))
        .isInstanceOf(InvalidValueException.class);
  }
}
