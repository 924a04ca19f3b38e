package io.hindsight.cli.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hindsight.history.HistoryException;
import io.hindsight.history.HistoryReader;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What the commands that read the history share: where it lives, the output format, the clock
 * relative times count from, and the mapping of refusals to one line and an exit code.
 */
abstract class AuditCommand implements Callable<Integer> {
  @Mixin HistoryOptions location = new HistoryOptions();

  @Option(
      names = {"-o", "--output"},
      paramLabel = "text|json|yaml",
      description = "Output format (default: ${DEFAULT-VALUE}).",
      defaultValue = "text")
  OutputFormat output;

  @Spec CommandSpec spec;

  final Clock clock;

  AuditCommand(Clock clock) {
    this.clock = clock;
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  Instant time(String option, String value) {
    if (value == null) {
      return null;
    }
    try {
      return Times.parse(value, clock);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
    }
  }

  @Override
  public final Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    String name = "hindsight " + spec.name();
    try (HistoryReader reader = location.open()) {
      ObjectNode result = run(reader);
      if (output == OutputFormat.text) {
        out().print(text(result));
      } else {
        out().print(Json.render(result, output));
      }
      out().flush();
      return 0;
    } catch (HistoryException e) {
      err.println(name + ": " + oneLine(e.getMessage()));
      err.flush();
      return Refusals.exitCode(e.reason());
    } catch (IllegalArgumentException | ConfigException e) {
      err.println(name + ": " + oneLine(e.getMessage()));
      err.flush();
      return 2;
    }
  }

  private static String oneLine(String message) {
    return message == null ? "failed" : message.replace('\n', ' ');
  }

  /** The answer, as a tree for json and yaml. */
  abstract ObjectNode run(HistoryReader reader);

  /** The answer as text. */
  abstract String text(ObjectNode result);
}
