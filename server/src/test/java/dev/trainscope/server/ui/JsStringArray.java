package dev.trainscope.server.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a JavaScript constant that is an array of string literals, {@code const NAME = ['a', "b",
 * ];}, out of a module's source, so Java tests can check the dashboard's lists against the Java
 * ones. Comments, line breaks and a trailing comma are allowed; anything else inside the brackets
 * (a variable, a spread, a template with {@code ${}}) fails with what was found, because the list
 * can then no longer be checked.
 */
final class JsStringArray {
  private JsStringArray() {}

  /**
   * The strings of {@code const name = [...]} in {@code source}; {@code file} names it in errors.
   */
  static List<String> read(String source, String name, String file) {
    Matcher m =
        Pattern.compile("(?<![\\w$])const\\s+" + Pattern.quote(name) + "\\s*=\\s*\\[")
            .matcher(source);
    if (!m.find()) {
      throw new AssertionError(
          "no `const " + name + " = [` in " + file + ": renamed or no longer an array literal?");
    }
    return new Reader(source, m.end(), name, file).elements();
  }

  private static final class Reader {
    private final String s;
    private final String name;
    private final String file;
    private int i;

    Reader(String source, int start, String name, String file) {
      this.s = source;
      this.i = start;
      this.name = name;
      this.file = file;
    }

    List<String> elements() {
      List<String> out = new ArrayList<>();
      while (true) {
        skipBlanksAndComments();
        if (i >= s.length()) throw error("the array is not closed");
        char c = s.charAt(i);
        if (c == ']') return out;
        if (c != '\'' && c != '"' && c != '`') throw error("a string literal expected");
        out.add(string(c));
        skipBlanksAndComments();
        if (i >= s.length()) throw error("the array is not closed");
        if (s.charAt(i) == ',') i++;
        else if (s.charAt(i) != ']') throw error("',' or ']' expected");
      }
    }

    private String string(char quote) {
      StringBuilder b = new StringBuilder();
      for (i++; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == quote) {
          i++;
          return b.toString();
        }
        if (c == '\\' && i + 1 < s.length()) c = s.charAt(++i);
        else if (quote == '`' && c == '$' && i + 1 < s.length() && s.charAt(i + 1) == '{') {
          throw error("a template with ${...} is not a constant");
        } else if (quote != '`' && c == '\n') throw error("the string is not closed");
        b.append(c);
      }
      throw error("the string is not closed");
    }

    private void skipBlanksAndComments() {
      while (i < s.length()) {
        if (Character.isWhitespace(s.charAt(i))) i++;
        else if (s.startsWith("//", i)) i = endOf("\n", i + 2, 0);
        else if (s.startsWith("/*", i)) i = endOf("*/", i + 2, 2);
        else return;
      }
    }

    private int endOf(String end, int from, int skip) {
      int at = s.indexOf(end, from);
      return at < 0 ? s.length() : at + skip;
    }

    private AssertionError error(String what) {
      int line =
          1 + (int) s.substring(0, Math.min(i, s.length())).chars().filter(c -> c == '\n').count();
      String near = s.substring(Math.min(i, s.length()), Math.min(i + 30, s.length()));
      return new AssertionError(
          name + " in " + file + ", line " + line + ": " + what + " but found '" + near + "'");
    }
  }
}
