package io.hindsight.testhistories;

import static org.assertj.core.api.Assertions.assertThat;

import io.hindsight.history.HistoryReader;
import io.hindsight.history.State;
import io.hindsight.history.StateQuery;
import io.hindsight.history.StoredObject;
import io.hindsight.history.tables.Catalogs;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.iceberg.catalog.Catalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The written history reads back, through the real reader, as the script says — at every instant
 * the script changes something and a second after — and its checkpoints are used.
 */
class ScriptedHistoryTest {
  @TempDir Path dir;

  @Test
  void theReaderSeesWhatTheScriptDidAtEveryStep() throws Exception {
    ScriptedHistory history = ScriptedHistory.build();
    Expected expected = new Expected(history.steps());
    assertThat(history.steps()).hasSizeGreaterThan(80);
    Catalog catalog = Catalogs.open(ScriptedHistoryMain.catalogConfig(dir));
    history.writeTo(catalog);
    // every instant the script changes a namespace, in that namespace (ties count as before)
    Map<String, Set<Instant>> instants = new TreeMap<>();
    for (Step s : history.steps()) {
      instants.computeIfAbsent(s.namespace(), k -> new TreeSet<>()).add(s.at());
    }
    int checkpointsUsed = 0;
    long started = System.nanoTime();
    int queries = 0;
    try (HistoryReader reader = new HistoryReader(catalog)) {
      for (Map.Entry<String, Set<Instant>> entry : instants.entrySet()) {
        String namespace = entry.getKey();
        for (Instant at : entry.getValue()) {
          State state = reader.stateAt(StateQuery.namespace(namespace, at));
          queries++;
          Map<String, String> actual = new TreeMap<>();
          for (StoredObject o : state.objects()) {
            actual.put(
                o.id().apiGroup() + "/" + o.id().kind() + "/" + o.id().name(),
                o.uid() + "@" + o.resourceVersion());
          }
          Map<String, String> model = new TreeMap<>();
          expected
              .stateAt(namespace, at)
              .forEach((k, s) -> model.put(k, s.uid() + "@" + s.resourceVersion()));
          assertThat(actual).as("%s at %s", namespace, at).isEqualTo(model);
          checkpointsUsed += state.checkpointsUsed();
        }
      }
    }
    System.out.printf(
        "%d state queries in %d ms%n", queries, (System.nanoTime() - started) / 1_000_000);
    assertThat(checkpointsUsed)
        .as("instants after the first checkpoints use them")
        .isGreaterThan(20);
    ((AutoCloseable) catalog).close();
  }
}
