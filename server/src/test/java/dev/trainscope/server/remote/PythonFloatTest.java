package dev.trainscope.server.remote;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PythonFloatTest {

  /** Expected values are what CPython 3 prints for repr(x). */
  @ParameterizedTest
  @CsvSource({
    "0.1, 0.1",
    "1.0, 1.0",
    "123.0, 123.0",
    "0.0001, 0.0001",
    "0.00001, 1e-05",
    "0.000015, 1.5e-05",
    "1e15, 1000000000000000.0",
    "1e16, 1e+16",
    "1.2345e20, 1.2345e+20",
    "-2.5, -2.5",
    "0.30000000000000004, 0.30000000000000004",
    "2e-300, 2e-300",
    "1.7976931348623157e308, 1.7976931348623157e+308",
    "0.6931471805599453, 0.6931471805599453",
    "5e-324, 5e-324"
  })
  void matchesPythonRepr(double value, String python) {
    assertThat(PythonFloat.repr(value)).isEqualTo(python);
  }

  @ParameterizedTest
  @CsvSource({"NaN, nan", "Infinity, inf", "-Infinity, -inf", "-0.0, -0.0", "0.0, 0.0"})
  void specialValuesAsPythonWritesThem(double value, String python) {
    assertThat(PythonFloat.repr(value)).isEqualTo(python);
  }

  @ParameterizedTest
  @CsvSource({"0.1", "1.0E-7", "3.141592653589793", "2.0E23", "9.007199254740993E15"})
  void roundTrips(double value) {
    assertThat(Double.parseDouble(PythonFloat.repr(value))).isEqualTo(value);
  }
}
