package dev.trainscope.engine.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MatrixTest {
  static final Matrix A = Matrix.of(new double[][] {{1, 2}, {3, 4}, {0, -1}}); // 3 x 2
  static final Matrix B = Matrix.of(new double[][] {{1, 0, 2}, {-1, 3, 1}}); // 2 x 3

  @Test
  void multiplyAddBroadcastsTheBias() {
    Matrix out = new Matrix(3, 3);
    Matrix.multiplyAdd(A, B, new float[] {1, 1, 1}, out);
    assertThat(out.data).containsExactly(0, 7, 5, 0, 13, 11, 2, -2, 0);
    Matrix.multiplyAdd(A, B, null, out);
    assertThat(out.data).containsExactly(-1, 6, 4, -1, 12, 10, 1, -3, -1);
  }

  @Test
  void transposeAMultiplySumsOuterProducts() {
    Matrix out = new Matrix(2, 2);
    Matrix.transposeAMultiply(A, A, out); // AᵀA
    assertThat(out.data).containsExactly(10, 14, 14, 21);
  }

  @Test
  void multiplyTransposeBTakesRowDotProducts() {
    Matrix out = new Matrix(3, 3);
    Matrix.multiplyTransposeB(A, A, out); // AAᵀ
    assertThat(out.data).containsExactly(5, 11, -2, 11, 25, -4, -2, -4, 1);
  }

  @Test
  void shapeMustMatchTheData() {
    assertThatThrownBy(() -> new Matrix(2, 2, new float[3]))
        .hasMessage("data.length == rows * cols required but was 3 != 4");
    assertThat(A.row(1)).containsExactly(3, 4);
    assertThat(A.get(2, 1)).isEqualTo(-1);
    Matrix c = A.copy();
    c.set(0, 0, 9);
    assertThat(A.get(0, 0)).isEqualTo(1);
  }
}
