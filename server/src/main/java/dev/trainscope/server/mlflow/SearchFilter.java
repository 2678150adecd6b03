package dev.trainscope.server.mlflow;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of MLflow's search syntax Trainscope answers: clauses joined by {@code AND}, each {@code
 * <entity>.<key> <op> <value>} with entity {@code metrics}, {@code params}, {@code tags} or {@code
 * attributes} (or a bare attribute: {@code status}, {@code run_name}, and {@code name} for
 * experiments), key plain or quoted with backticks or double quotes, op {@code = != < <= > >=} or
 * {@code LIKE}/{@code ILIKE} ({@code %} any text, {@code _} one character), value a number (for
 * metrics) or a single-quoted string. Anything else is an INVALID_PARAMETER_VALUE naming it.
 */
public final class SearchFilter {
  record Clause(String entity, String key, String op, String text, Double number) {}

  private static final Pattern CLAUSE =
      Pattern.compile(
          "\\s*(?:(metrics?|params?|tags?|attributes?)\\.)?(`[^`]+`|\"[^\"]+\"|[A-Za-z0-9_.\\-]+)"
              + "\\s*(!=|<=|>=|=|<|>|(?i:ilike)|(?i:like))\\s*('(?:[^']|'')*'|\"[^\"]*\"|-?[0-9.eE+-]+)\\s*");

  private final List<Clause> clauses;

  private SearchFilter(List<Clause> clauses) {
    this.clauses = clauses;
  }

  public static SearchFilter parse(String filter) {
    List<Clause> out = new ArrayList<>();
    if (filter == null || filter.isBlank()) return new SearchFilter(out);
    for (String part : filter.split("(?i)\\s+and\\s+")) {
      Matcher m = CLAUSE.matcher(part);
      if (!m.matches()) {
        throw MlflowException.invalid(
            "Invalid filter '"
                + filter
                + "': Trainscope supports clauses like metrics.loss < 0.5, params.lr = '0.1',"
                + " tags.`mlflow.runName` LIKE 'b%', attributes.status = 'FINISHED' joined by AND;"
                + " could not read '"
                + part.strip()
                + "'");
      }
      String entity = m.group(1) == null ? "attributes" : plural(m.group(1));
      String key = unquote(m.group(2));
      String op = m.group(3).toUpperCase(Locale.ROOT);
      String value = m.group(4);
      boolean quoted = value.startsWith("'") || value.startsWith("\"");
      String text = quoted ? value.substring(1, value.length() - 1).replace("''", "'") : value;
      Double number = null;
      if (!quoted) {
        try {
          number = Double.parseDouble(value);
        } catch (NumberFormatException e) {
          throw MlflowException.invalid("Invalid filter '" + filter + "': bad number " + value);
        }
      }
      if (entity.equals("metrics") && number == null) {
        throw MlflowException.invalid(
            "Invalid filter '" + filter + "': metrics." + key + " compares with a number");
      }
      out.add(new Clause(entity, key, op, text, number));
    }
    return new SearchFilter(out);
  }

  /** Whether a run matches every clause. */
  public boolean matches(MlflowRun r) {
    for (Clause c : clauses) {
      boolean ok =
          switch (c.entity()) {
            case "metrics" -> {
              MlflowRun.Metric m = r.latest().get(c.key());
              yield m != null && compare(Double.compare(m.value(), c.number()), c.op());
            }
            case "params" -> text(r.info().params().get(c.key()), c);
            case "tags" -> text(r.info().tags().get(c.key()), c);
            default -> text(attribute(r, c.key()), c);
          };
      if (!ok) return false;
    }
    return true;
  }

  /** Whether an experiment matches: {@code name} and {@code tags.<key>} clauses. */
  public boolean matches(Experiments.Experiment e) {
    for (Clause c : clauses) {
      String v =
          switch (c.entity()) {
            case "tags" -> e.tags().get(c.key());
            case "attributes" -> c.key().equals("name") ? e.name() : null;
            default -> null;
          };
      if (v == null && c.entity().equals("attributes") && !c.key().equals("name")) {
        throw MlflowException.invalid("Invalid attribute key '" + c.key() + "' for experiments");
      }
      if (!text(v, c)) return false;
    }
    return true;
  }

  private static String attribute(MlflowRun r, String key) {
    return switch (key) {
      case "status" -> MlflowRuns.status(r);
      case "run_name", "runName" -> r.info().runName();
      case "run_id", "run_uuid" -> r.id();
      case "user_id" -> r.info().userId();
      default -> throw MlflowException.invalid("Invalid attribute key '" + key + "' specified.");
    };
  }

  private static boolean text(String v, Clause c) {
    if (v == null) return false;
    String want = c.text();
    return switch (c.op()) {
      case "LIKE" -> like(want, false).matcher(v).matches();
      case "ILIKE" -> like(want, true).matcher(v).matches();
      default -> compare(v.compareTo(want), c.op());
    };
  }

  private static boolean compare(int cmp, String op) {
    return switch (op) {
      case "=" -> cmp == 0;
      case "!=" -> cmp != 0;
      case "<" -> cmp < 0;
      case "<=" -> cmp <= 0;
      case ">" -> cmp > 0;
      case ">=" -> cmp >= 0;
      default -> throw MlflowException.invalid("Invalid comparator '" + op + "'");
    };
  }

  private static Pattern like(String pattern, boolean ignoreCase) {
    StringBuilder re = new StringBuilder();
    for (char ch : pattern.toCharArray()) {
      if (ch == '%') re.append(".*");
      else if (ch == '_') re.append('.');
      else re.append(Pattern.quote(String.valueOf(ch)));
    }
    return Pattern.compile(re.toString(), ignoreCase ? Pattern.CASE_INSENSITIVE : 0);
  }

  private static String plural(String entity) {
    return entity.endsWith("s") ? entity : entity + "s";
  }

  private static String unquote(String key) {
    if ((key.startsWith("`") && key.endsWith("`"))
        || (key.startsWith("\"") && key.endsWith("\""))) {
      return key.substring(1, key.length() - 1);
    }
    return key;
  }
}
