package io.hindsight.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Constructor;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code hindsight generate-completion} prints a bash/zsh script completing every command. */
class CompletionTest {
  @Test
  void theCompletionScriptKnowsEveryCommandAndTheirOptions() throws Exception {
    Constructor<HindsightMain> constructor = HindsightMain.class.getDeclaredConstructor();
    constructor.setAccessible(true);
    CommandLine hindsight = new CommandLine(constructor.newInstance());
    StringWriter out = new StringWriter();
    hindsight.setOut(new PrintWriter(out));
    int exit = hindsight.execute("generate-completion");

    assertThat(exit).isZero();
    assertThat(out.toString())
        .contains("complete -F _complete_hindsight")
        .contains("demo", "standalone", "watch", "materialize", "restore", "history", "diff")
        .contains("--to-namespace", "--dry-run", "--prune");
  }
}
