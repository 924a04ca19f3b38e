package io.hindsight.sqlengines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The audit queries exactly as {@code docs/sql-audit.md} prints them, so the doc and the tests
 * cannot drift: every fenced {@code sql} block whose first line is {@code -- NAME (ENGINE)} is a
 * query. Tests run the text as it is, at most replacing the example literals the doc names.
 */
public final class AuditQueries {
  private static final Pattern BLOCK = Pattern.compile("```sql\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern HEADER = Pattern.compile("^-- ([a-z0-9-]+) \\(([a-z]+)\\)\\n");

  private final Map<String, String> queries;

  private AuditQueries(Map<String, String> queries) {
    this.queries = Map.copyOf(queries);
  }

  /** The doc of the checkout {@code projectRoot}. */
  public static AuditQueries fromDoc(Path projectRoot) {
    Path doc = projectRoot.resolve("docs/sql-audit.md");
    try {
      return parse(Files.readString(doc));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + doc, e);
    }
  }

  /** The doc of the checkout named by the system property {@code hindsight.project.root}. */
  public static AuditQueries fromDoc() {
    return fromDoc(HistoryFixture.projectRoot());
  }

  static AuditQueries parse(String markdown) {
    Map<String, String> queries = new LinkedHashMap<>();
    Matcher block = BLOCK.matcher(markdown);
    while (block.find()) {
      Matcher header = HEADER.matcher(block.group(1));
      if (header.find()) {
        String key = header.group(1) + " (" + header.group(2) + ")";
        if (queries.put(key, block.group(1).strip()) != null) {
          throw new IllegalStateException("docs/sql-audit.md has two queries " + key);
        }
      }
    }
    return new AuditQueries(queries);
  }

  /**
   * The query {@code name} for {@code engine}, without a trailing semicolon.
   *
   * @throws IllegalStateException when the doc has no such query
   */
  public String query(String name, String engine) {
    String key = name + " (" + engine + ")";
    String query = queries.get(key);
    if (query == null) {
      throw new IllegalStateException(
          "docs/sql-audit.md has no query '-- " + key + "'; it has " + queries.keySet());
    }
    return query.endsWith(";") ? query.substring(0, query.length() - 1) : query;
  }

  /** Every query name of {@code engine}. */
  public java.util.Set<String> names(String engine) {
    java.util.Set<String> out = new java.util.TreeSet<>();
    for (String key : queries.keySet()) {
      if (key.endsWith(" (" + engine + ")")) {
        out.add(key.substring(0, key.indexOf(' ')));
      }
    }
    return out;
  }

  private static final DateTimeFormatter TIMESTAMP_LITERAL =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  /**
   * The doc's {@code state-at} query (its example: namespace {@code boutique} at {@code 2026-03-02
   * 10:10:00}) for {@code namespace} at {@code at}, as an engine's UTC timestamp literal.
   */
  public static String stateAt(String query, String namespace, Instant at) {
    String literal = LocalDateTime.ofInstant(at, ZoneOffset.UTC).format(TIMESTAMP_LITERAL);
    return with(
        with(query, "2026-03-02 10:10:00", literal, 2),
        "namespace = 'boutique'",
        "namespace = '" + namespace + "'",
        3);
  }

  /**
   * {@code query} with every occurrence of the example literal {@code example} replaced by {@code
   * value}; the literal must occur exactly {@code times} times, so a doc edit that moves it fails
   * loudly instead of running a different query.
   */
  public static String with(String query, String example, String value, int times) {
    int found = 0;
    for (int i = query.indexOf(example); i >= 0; i = query.indexOf(example, i + 1)) {
      found++;
    }
    if (found != times) {
      throw new IllegalStateException(
          "expected the example literal "
              + example
              + " "
              + times
              + " times, found "
              + found
              + " in:\n"
              + query);
    }
    return query.replace(example, value);
  }
}
