package dev.trainscope.server.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JsStringArrayTest {
  @Test
  void readsQuotedStringsAcrossLinesWithCommentsAndATrailingComma() {
    String js =
        "/** docs */\nexport const TYPES = [\n  'a', \"b\", // the second\n  /* x */ `c`,\n  'd\\'e',\n];\n";
    assertThat(JsStringArray.read(js, "TYPES", "t.js")).containsExactly("a", "b", "c", "d'e");
  }

  @Test
  void readsAnEmptyArray() {
    assertThat(JsStringArray.read("const X = [ ];", "X", "t.js")).isEmpty();
  }

  @Test
  void findsTheConstantByItsWholeName() {
    String js = "const MY_TYPES = ['x'];\nconst TYPES = ['y'];";
    assertThat(JsStringArray.read(js, "TYPES", "t.js")).containsExactly("y");
  }

  @Test
  void failsNamingTheConstantAndFileWhenItIsMissing() {
    assertThatThrownBy(() -> JsStringArray.read("const OTHER = ['a'];", "TYPES", "state.js"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("no `const TYPES = [` in state.js");
  }

  @Test
  void failsOnAnElementThatIsNotAStringLiteral() {
    assertThatThrownBy(() -> JsStringArray.read("const T = ['a', ...MORE];", "T", "t.js"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("T in t.js, line 1: a string literal expected but found '...MORE];'");
  }

  @Test
  void failsOnATemplateThatIsNotAConstant() {
    assertThatThrownBy(() -> JsStringArray.read("const T = [`a${b}`];", "T", "t.js"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("not a constant");
  }

  @Test
  void failsOnAnArrayThatIsNotClosed() {
    assertThatThrownBy(() -> JsStringArray.read("const T = ['a', 'b'", "T", "t.js"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("not closed");
  }
}
