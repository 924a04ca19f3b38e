package io.hindsight.bench;

/**
 * Figure 7: what the history of figure 6 takes on disk, per raw JSON byte of its changes and
 * against keeping the same history the schedule-based way (a full snapshot of every live object
 * every hour), and how fine-grained the restore points are in each.
 */
record StorageFigures(
    long changes,
    long rawJsonBytes,
    long changesFileBytes,
    long checkpointFileBytes,
    long hindsightBytes,
    double perRawJsonByte,
    long hourlySnapshots,
    long hourlyRawBytes,
    int gzipSampledSnapshots,
    double gzipRatio,
    long hourlyGzipBytes,
    double versusHourlyRaw,
    double versusHourlyGzip,
    String layout) {

  /** Figures of the first layout built (the current one by default). */
  static StorageFigures of(HistoryBuilder.Result history) {
    HistoryBuilder.Written first = history.layouts().get(0);
    long changesBytes = first.dataBytes();
    long hindsight = changesBytes + history.checkpointBytes();
    HourlySnapshots.Result hourly = history.hourly();
    return new StorageFigures(
        history.changes(),
        history.rawJsonBytes(),
        changesBytes,
        history.checkpointBytes(),
        hindsight,
        (double) hindsight / history.rawJsonBytes(),
        hourly.snapshots(),
        hourly.rawBytes(),
        hourly.sampled(),
        hourly.gzipRatio(),
        hourly.estimatedGzipBytes(),
        (double) hindsight / hourly.rawBytes(),
        (double) hindsight / hourly.estimatedGzipBytes(),
        first.layout());
  }
}
