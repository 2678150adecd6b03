package dev.trainscope.engine.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
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
  void argmaxIsTheColumnOfTheRowsLargestValueTheFirstOfEquals() {
    Matrix m = Matrix.of(new double[][] {{0.1, 0.7, 0.2}, {0.5, 0.2, 0.5}, {-3, -2, -1}});
    assertThat(m.argmax(0)).isEqualTo(1);
    assertThat(m.argmax(1)).isZero();
    assertThat(m.argmax(2)).isEqualTo(2);
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

  static Matrix random(Random r, int rows, int cols, double zeros) {
    Matrix m = new Matrix(rows, cols);
    for (int i = 0; i < m.data.length; i++) {
      m.data[i] = r.nextDouble() < zeros ? 0 : (float) r.nextGaussian();
    }
    return m;
  }

  /** Large products run as two column halves on two threads; the bits must not depend on it. */
  @Test
  void splitProductsGiveTheSameBitsAsWhole() {
    Random r = new Random(3);
    // 100 x 300 x 200 = 6 M multiply-adds: above the split threshold; 200 columns split at 104.
    Matrix a = random(r, 100, 300, 0.3),
        b = random(r, 300, 200, 0.1),
        dz = random(r, 100, 200, 0.5);
    float[] bias = new float[200];
    for (int j = 0; j < bias.length; j++) bias[j] = (float) r.nextGaussian();
    Matrix[] split = products(a, b, dz, bias, true), whole = products(a, b, dz, bias, false);
    for (int i = 0; i < split.length; i++) assertThat(split[i].data).isEqualTo(whole[i].data);
  }

  private static Matrix[] products(Matrix a, Matrix b, Matrix dz, float[] bias, boolean split) {
    boolean saved = Matrix.splitting;
    Matrix.splitting = split;
    try {
      Matrix out = new Matrix(a.rows, b.cols), gW = new Matrix(a.cols, dz.cols);
      Matrix dX = new Matrix(dz.rows, b.rows);
      Matrix.multiplyAdd(a, b, bias, out);
      Matrix.transposeAMultiply(a, dz, gW);
      Matrix.multiplyTransposeB(dz, b, dX);
      return new Matrix[] {out, gW, dX};
    } finally {
      Matrix.splitting = saved;
    }
  }

  @Test
  void twoWayRunsBothHalvesAndRethrowsAFailureOfEither() {
    AtomicInteger ran = new AtomicInteger();
    TwoWay.run(ran::incrementAndGet, ran::incrementAndGet);
    assertThat(ran).hasValue(2);
    assertThatThrownBy(
            () ->
                TwoWay.run(
                    ran::incrementAndGet,
                    () -> {
                      throw new IllegalStateException("second half");
                    }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("second half");
    assertThat(ran).hasValue(3);
  }
}
