package io.hindsight.cli.audit;

import io.hindsight.history.Change;
import io.hindsight.history.ObjectId;
import io.hindsight.history.StoredObject;
import io.hindsight.schemas.avro.ChangeEnvelope;
import io.hindsight.testhistories.ScriptedHistory;
import java.util.ArrayList;
import java.util.List;

/** The scripted history's changes as the reader returns them, without a catalog (pure tests). */
final class ScriptedChanges {
  private ScriptedChanges() {}

  static List<Change> of(ScriptedHistory history, String namespace) {
    List<Change> out = new ArrayList<>();
    long offset = 0;
    for (ChangeEnvelope e : history.envelopes()) {
      offset++;
      if (!e.getNamespace().equals(namespace)) {
        continue;
      }
      String apiVersion = e.getApiVersion();
      String group =
          apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
      StoredObject object =
          new StoredObject(
              new ObjectId(e.getCluster(), group, e.getKind(), e.getNamespace(), e.getName()),
              apiVersion,
              e.getUid(),
              e.getResourceVersion(),
              e.getGeneration(),
              e.getObservedAt(),
              e.getObject(),
              e.getObjectHash(),
              e.getLabels(),
              null,
              0,
              offset);
      out.add(new Change(object, e.getEventType().name(), "WATCH", false, "script"));
    }
    return out;
  }
}
