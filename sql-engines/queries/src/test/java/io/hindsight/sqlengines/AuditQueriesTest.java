package io.hindsight.sqlengines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AuditQueriesTest {
  private static final String DOC =
      "# t\n\n```sql\n-- a (spark)\nSELECT 1;\n```\n\ntext\n\n```sql\n-- a (trino)\nSELECT 2\n```\n\n"
          + "```sql\nSELECT 'not a query: no header'\n```\n\n```\nspark-sql --conf x\n```\n";

  @Test
  void blocksWithAHeaderAreQueriesByNameAndEngine() {
    AuditQueries queries = AuditQueries.parse(DOC);
    assertThat(queries.query("a", "spark")).isEqualTo("-- a (spark)\nSELECT 1");
    assertThat(queries.query("a", "trino")).isEqualTo("-- a (trino)\nSELECT 2");
    assertThat(queries.names("spark")).containsExactly("a");
    assertThatThrownBy(() -> queries.query("b", "spark"))
        .hasMessageContaining("no query '-- b (spark)'");
  }

  @Test
  void theDocOfThisCheckoutHasTheSameQueriesForEveryEngine() {
    AuditQueries queries = AuditQueries.fromDoc();
    assertThat(queries.names("spark"))
        .containsExactlyInAnyOrder(
            "who-changed",
            "image-history",
            "deleted-in-window",
            "state-at",
            "changes-per-kind-per-hour")
        .isEqualTo(queries.names("trino"));
  }

  @Test
  void exampleLiteralsAreReplacedOnlyWhenFoundAsOftenAsExpected() {
    assertThat(AuditQueries.with("x = 'a' OR y = 'a'", "'a'", "'b'", 2))
        .isEqualTo("x = 'b' OR y = 'b'");
    assertThatThrownBy(() -> AuditQueries.with("x = 'a'", "'a'", "'b'", 2))
        .hasMessageContaining("2 times, found 1");
  }
}
