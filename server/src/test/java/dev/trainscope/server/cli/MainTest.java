package dev.trainscope.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {
  /** The project version, as the build's pom says it. */
  private static String projectVersion() throws IOException {
    Matcher m =
        Pattern.compile("<parent>.*?<version>([^<]+)</version>", Pattern.DOTALL)
            .matcher(Files.readString(Path.of("pom.xml")));
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  @Test
  void versionIsTheProjectVersionOnTheCommandAndEverySubcommand() throws IOException {
    String expected = "trainscope " + projectVersion();
    for (String[] args :
        new String[][] {
          {"--version"}, {"-V"}, {"train", "-V"}, {"serve", "--version"}, {"tail", "-V"}
        }) {
      StringWriter out = new StringWriter();
      CommandLine cl = Main.commandLine();
      cl.setOut(new PrintWriter(out, true));
      assertThat(cl.execute(args)).as(String.join(" ", args)).isZero();
      assertThat(out.toString().strip()).as(String.join(" ", args)).isEqualTo(expected);
    }
  }
}
