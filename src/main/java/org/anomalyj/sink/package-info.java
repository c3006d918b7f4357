/**
 * Where inspection results go. A batch run ({@code org.anomalyj.inspect.BatchInspection}) hands each
 * plane's result to {@link org.anomalyj.sink.ResultSink}s, opened by name from
 * {@link org.anomalyj.sink.ResultSinkPlugin}s that {@link org.anomalyj.sink.SinkCatalog} finds on the
 * class path. Built in: {@code csv} ({@link org.anomalyj.sink.ScoresCsv}, also the record runs resume
 * from), {@code maps}, {@code masks} and {@code overlays} (one file per plane,
 * {@link org.anomalyj.sink.PlaneFileSink}).
 */
package org.anomalyj.sink;
