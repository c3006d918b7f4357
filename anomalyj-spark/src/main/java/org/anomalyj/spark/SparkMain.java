package org.anomalyj.spark;

import org.anomalyj.cli.Main;
import org.anomalyj.cli.TrainVerb;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code anomalyj-spark.jar VERB [--master URL] [--conf key=value ...] [options]}: the command line's
 * {@code score} and {@code train} with the work spread over a Spark cluster's executors. Under
 * {@code spark-submit} the master and configuration come from spark-submit; run directly
 * ({@code java -jar}), {@code --master local[*]} uses this machine's cores. Errors and exit codes are
 * the command line's ({@link Main#run(String[], PrintStream, PrintStream, Map, String)}).
 */
public final class SparkMain {

	private SparkMain() {}

	public static void main(String[] args) {
		System.exit(run(args, System.out, System.err));
	}

	/** Runs a command line and returns its exit code. */
	public static int run(String[] args, PrintStream out, PrintStream err) {
		quietSparkLogging();
		Map<String, String> conf = new LinkedHashMap<>();
		String[] rest = sparkOptions(args, conf);
		try (SparkJobs jobs = new SparkJobs(conf)) {
			Map<String, Main.Verb> verbs = new TreeMap<>();
			verbs.put("score", new SparkScoreVerb(jobs));
			verbs.put("train", new SparkTrainVerb(new TrainVerb(new SparkExtraction(jobs))));
			return Main.run(rest, out, err, verbs, "anomalyj-spark.jar");
		}
	}

	/** Takes {@code --master URL} and {@code --conf key=value} out of the arguments into {@code conf}. */
	static String[] sparkOptions(String[] args, Map<String, String> conf) {
		List<String> rest = new ArrayList<>();
		for (int i = 0; i < args.length; i++) {
			String a = args[i];
			if ((a.equals("--master") || a.equals("--conf")) && i + 1 < args.length) {
				String v = args[++i];
				if (a.equals("--master")) conf.put("spark.master", v);
				else {
					int eq = v.indexOf('=');
					if (eq <= 0) rest.add("--conf=" + v); // reported as a usage error by the verb
					else conf.put(v.substring(0, eq), v.substring(eq + 1));
				}
			} else if (a.startsWith("--master=")) conf.put("spark.master", a.substring("--master=".length()));
			else rest.add(a);
		}
		return rest.toArray(String[]::new);
	}

	/**
	 * Spark logs at INFO to the console unless configured; the user wants the progress line and
	 * problems. A cluster's own log4j2 configuration (spark-submit, log4j2.configurationFile) wins.
	 */
	private static void quietSparkLogging() {
		if (System.getProperty("log4j2.configurationFile") == null && SparkMain.class.getResource("/anomalyj-spark-log4j2.properties") != null)
			System.setProperty("log4j2.configurationFile", "anomalyj-spark-log4j2.properties");
	}

	/** The command line's train verb, with the Spark options in its help. */
	private record SparkTrainVerb(TrainVerb train) implements Main.Verb {
		@Override
		public String summary() {
			return train.summary() + " [--master URL] [--conf key=value]; features on the executors";
		}

		@Override
		public void run(String[] args, PrintStream out, PrintStream err) throws java.io.IOException {
			train.run(args, out, err);
		}
	}
}
