package dev.trainscope.server.blas;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import dev.trainscope.engine.nn.Gemm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.slf4j.LoggerFactory;

/**
 * sgemm from Debian's OpenBLAS ({@code libopenblas0-serial} or {@code libopenblas0-pthread}),
 * called through JNI. Registered as the engine's {@link Gemm} service; unavailable, so that the
 * engine keeps its Java kernels, when neither library is installed.
 *
 * <p>The single-threaded build is preferred: the engine then splits a large product in two column
 * halves itself, and a half that the second core has not started is taken back by the caller, so a
 * busy machine never stalls a product. The threaded build's workers instead wait for each other and
 * collapse when another process holds a core (numpy's do, see BENCHMARKS.md figure 4).
 *
 * <p>Only OpenBLAS is loaded, never whatever {@code libblas.so.3} points to: that may be the
 * reference BLAS, which is slower than the engine's own kernels. Setting {@code
 * dev.ludovic.netlib.blas.nativeLibPath} (or {@code nativeLib}) chooses another library.
 */
public final class OpenBlasGemm implements Gemm {
  static final String PATH_PROPERTY = "dev.ludovic.netlib.blas.nativeLibPath";
  static final String NAME_PROPERTY = "dev.ludovic.netlib.blas.nativeLib";

  private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(OpenBlasGemm.class);

  /**
   * netlib reports through java.util.logging, to stderr, that it found no Vector API (an incubator
   * module this never asks for) on every start, and a missing native library as a warning; this
   * class logs once (at debug level) what it uses instead. Held here: a logger nobody references
   * may be collected, taking its level with it.
   */
  private static final Logger NETLIB = Logger.getLogger("dev.ludovic.netlib.blas.InstanceBuilder");

  private final String library;
  private final boolean parallel;
  private final BLAS blas;

  /** Looks for OpenBLAS where Debian installs it; ServiceLoader calls this. */
  public OpenBlasGemm() {
    this(chooseLibrary());
  }

  OpenBlasGemm(Path library) {
    String chosen = System.getProperty(PATH_PROPERTY);
    if (chosen == null && System.getProperty(NAME_PROPERTY) == null && library != null) {
      System.setProperty(PATH_PROPERTY, library.toString());
      chosen = library.toString();
    }
    this.library = chosen != null ? chosen : System.getProperty(NAME_PROPERTY);
    // Debian names the single-threaded build's directory openblas-serial; any other library may
    // thread by itself, so it gets whole products rather than two halves at once.
    this.parallel = this.library != null && !this.library.contains("serial");
    this.blas = this.library == null ? null : load();
    if (blas != null) {
      LOG.debug("Products of large layers run on {}", name());
    } else {
      LOG.debug(
          "No OpenBLAS ({}): every product runs on the engine's Java kernels; Debian's"
              + " libopenblas0-serial trains wide networks 2-3x faster",
          this.library == null ? "not installed" : this.library + " does not load");
    }
  }

  /** The first of Debian's OpenBLAS builds that is installed, single-threaded first, or null. */
  static Path chooseLibrary() {
    String arch =
        switch (System.getProperty("os.arch")) {
          case "amd64", "x86_64" -> "x86_64-linux-gnu";
          case "aarch64" -> "aarch64-linux-gnu";
          default -> null;
        };
    if (arch == null) return null;
    for (String build : List.of("openblas-serial", "openblas-pthread")) {
      Path p = Path.of("/usr/lib", arch, build, "libblas.so.3");
      if (Files.isReadable(p)) return p;
    }
    return null;
  }

  private static BLAS load() {
    NETLIB.setLevel(Level.OFF);
    try {
      return NativeBLAS.getInstance();
    } catch (RuntimeException | LinkageError e) {
      return null; // the engine keeps its Java kernels
    }
  }

  @Override
  public String name() {
    return "OpenBLAS sgemm (" + library + (parallel ? ", threaded" : ", single-threaded") + ")";
  }

  @Override
  public boolean available() {
    return blas != null;
  }

  @Override
  public boolean parallel() {
    return parallel;
  }

  /*
   * BLAS is column-major. A row-major m × n matrix with row stride ld is, read column-major, its
   * transpose with leading dimension ld; so c = op(a)·op(b) in row-major terms is cᵀ = op(b)ᵀ·op(a)ᵀ
   * in column-major terms: the operands swap and keep their transpose flags.
   */
  @Override
  public void multiply(
      boolean transA,
      boolean transB,
      int m,
      int n,
      int k,
      float[] a,
      int aOffset,
      int lda,
      float[] b,
      int bOffset,
      int ldb,
      boolean accumulate,
      float[] c,
      int cOffset,
      int ldc) {
    blas.sgemm(
        transB ? "T" : "N",
        transA ? "T" : "N",
        n,
        m,
        k,
        1f,
        b,
        bOffset,
        ldb,
        a,
        aOffset,
        lda,
        accumulate ? 1f : 0f,
        c,
        cOffset,
        ldc);
  }
}
