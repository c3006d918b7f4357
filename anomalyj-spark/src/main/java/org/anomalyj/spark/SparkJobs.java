package org.anomalyj.spark;

import org.anomalyj.task.Progress;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;

import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The Spark session of one command, started on first use (so that {@code --help} and bad options
 * answer at once) and stopped at the end. For a local master it binds to 127.0.0.1 and has no web
 * UI unless configured otherwise: a command on one machine opens no ports to the network.
 */
final class SparkJobs implements AutoCloseable {

	private final Map<String, String> conf;
	private SparkSession session;

	SparkJobs(Map<String, String> conf) {
		this.conf = Map.copyOf(conf);
	}

	SparkSession session() {
		if (session == null) {
			SparkConf c = new SparkConf().setAppName("AnomalyJ");
			conf.forEach(c::set);
			if (!c.contains("spark.master"))
				throw new IllegalArgumentException("no Spark master: give --master local[*] (this machine) or spark://HOST:PORT, or run under spark-submit");
			if (c.get("spark.master").startsWith("local")) {
				c.setIfMissing("spark.driver.host", "127.0.0.1");
				c.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
				c.setIfMissing("spark.ui.enabled", "false");
			}
			c.setIfMissing("spark.ui.showConsoleProgress", "false"); // our own progress line says it in images
			session = SparkSession.builder().config(c).getOrCreate();
		}
		return session;
	}

	JavaSparkContext context() {
		return JavaSparkContext.fromSparkContext(session().sparkContext());
	}

	/** Task slots of the cluster now (at least 1): how many partitions keep every executor busy. */
	int slots() {
		return Math.max(1, session().sparkContext().defaultParallelism());
	}

	/**
	 * Runs {@code job} while a driver thread reports {@code done} (counted by the executors, merged
	 * as their tasks finish) against {@code total} every half second.
	 */
	<T> T withProgress(Progress progress, String stage, LongAccumulator done, long total, Callable<T> job) throws Exception {
		Thread reporter = new Thread(() -> {
			long last = -1;
			while (!Thread.currentThread().isInterrupted()) {
				long now = done.value();
				if (now != last) progress.update(stage, now, total);
				last = now;
				try {
					Thread.sleep(500);
				} catch (InterruptedException e) {
					return;
				}
			}
		}, "anomalyj-progress");
		reporter.setDaemon(true);
		reporter.start();
		try {
			T result = job.call();
			progress.update(stage, done.value(), total);
			return result;
		} finally {
			reporter.interrupt();
			reporter.join();
		}
	}

	@Override
	public void close() {
		if (session != null) session.stop();
	}
}
