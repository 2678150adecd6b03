/**
 * The engine's fast matrix product on a native OpenBLAS, through {@code dev.ludovic.netlib:blas}
 * (JNI). The engine may depend on reactor-core only, so this lives here and plugs into the engine's
 * {@code Gemm} service; nothing else in the server knows about BLAS.
 */
package dev.trainscope.server.blas;
