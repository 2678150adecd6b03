package dev.trainscope.server.mlflow;

/**
 * A failure as MLflow's tracking API reports it: {@code {"error_code", "message"}} with the HTTP
 * status MLflow gives the code ({@code mlflow/exceptions.py}), so its clients raise the same {@code
 * MlflowException} they would against MLflow's own server.
 */
public final class MlflowException extends RuntimeException {
  public static final String RESOURCE_DOES_NOT_EXIST = "RESOURCE_DOES_NOT_EXIST";
  public static final String RESOURCE_ALREADY_EXISTS = "RESOURCE_ALREADY_EXISTS";
  public static final String INVALID_PARAMETER_VALUE = "INVALID_PARAMETER_VALUE";
  public static final String NOT_IMPLEMENTED = "NOT_IMPLEMENTED";

  private final String errorCode;
  private final int status;

  public MlflowException(String errorCode, int status, String message) {
    super(message);
    this.errorCode = errorCode;
    this.status = status;
  }

  public static MlflowException notFound(String message) {
    return new MlflowException(RESOURCE_DOES_NOT_EXIST, 404, message);
  }

  public static MlflowException invalid(String message) {
    return new MlflowException(INVALID_PARAMETER_VALUE, 400, message);
  }

  public static MlflowException exists(String message) {
    return new MlflowException(RESOURCE_ALREADY_EXISTS, 400, message);
  }

  public static MlflowException notImplemented(String message) {
    return new MlflowException(NOT_IMPLEMENTED, 501, message);
  }

  public String errorCode() {
    return errorCode;
  }

  public int status() {
    return status;
  }

  /** MLflow's code for an HTTP status Trainscope answers for its own reasons (401, 409, 507...). */
  public static String codeFor(int status) {
    return switch (status) {
      case 400, 413, 415 -> INVALID_PARAMETER_VALUE;
      case 401 -> "UNAUTHENTICATED";
      case 403 -> "PERMISSION_DENIED";
      case 404 -> "ENDPOINT_NOT_FOUND";
      case 405 -> "BAD_REQUEST";
      case 409 -> INVALID_PARAMETER_VALUE;
      case 429, 507 -> "RESOURCE_EXHAUSTED";
      case 501 -> NOT_IMPLEMENTED;
      case 503 -> "TEMPORARILY_UNAVAILABLE";
      default -> "INTERNAL_ERROR";
    };
  }
}
