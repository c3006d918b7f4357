package org.anomalyj.cli;

import org.anomalyj.task.Progress;


import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code java -jar anomalyj-cli.jar VERB [options]}: a thin shell over the core library. Errors
 * reach the user as one line and a non-zero exit code (2 for a wrong call, 1 for bad input or a
 * failure, 130 when cancelled); {@code --debug} adds the stack trace for bug reports.
 */
public final class Main {

	/** One verb of the command line; public for front ends that add verbs of their own (anomalyj-spark). */
	public interface Verb {
		String summary();

		void run(String[] args, PrintStream out, PrintStream err) throws IOException;
	}

	static Map<String, Verb> verbs() {
		Map<String, Verb> v = new TreeMap<>();
		v.put("train", new TrainVerb());
		v.put("score", new ScoreVerb());
		v.put("evaluate", new EvaluateVerb());
		v.put("demo", new DemoVerb());
		v.put("bench", new BenchVerb());
		v.put("calibrate", new CalibrateVerb());
		v.put("explain", new ExplainVerb());
		v.put("update", new UpdateVerb());
		return v;
	}

	public static void main(String[] args) {
		System.exit(run(args, System.out, System.err));
	}

	/** Runs a command line and returns its exit code (for tests). */
	public static int run(String[] args, PrintStream out, PrintStream err) {
		return run(args, out, err, verbs(), "anomalyj-cli.jar");
	}

	/**
	 * Runs a command line over the given verbs, with this command line's errors and exit codes.
	 *
	 * @param jar the jar's name, for the usage line
	 */
	public static int run(String[] args, PrintStream out, PrintStream err, Map<String, Verb> verbs, String jar) {
		boolean debug = Arrays.asList(args).contains("--debug");
		String[] rest = Arrays.stream(args).filter(a -> !a.equals("--debug")).toArray(String[]::new);
		if (rest.length == 0 || rest[0].equals("--help") || rest[0].equals("help") || rest[0].equals("-h")) {
			usage(out, verbs, jar);
			return rest.length == 0 ? 2 : 0;
		}
		Verb verb = verbs.get(rest[0]);
		if (verb == null) {
			err.println("anomalyj: unknown verb '" + rest[0] + "' (verbs: " + String.join(", ", verbs.keySet()) + ")");
			return 2;
		}
		quietLogging();
		try {
			verb.run(rest, out, err);
			return 0;
		} catch (Arguments.UsageException e) {
			err.println("anomalyj " + e.getMessage());
			return 2;
		} catch (Progress.Cancelled e) {
			err.println("anomalyj: cancelled; nothing was written at the target paths");
			return 130;
		} catch (IOException | IllegalArgumentException | IllegalStateException e) {
			err.println("anomalyj " + rest[0] + ": " + e.getMessage());
			if (debug) e.printStackTrace(err);
			return 1;
		} catch (OutOfMemoryError e) {
			err.println("anomalyj " + rest[0] + ": out of memory; raise the heap (java -Xmx8g -jar ...) or use fewer or smaller images");
			return 1;
		} catch (RuntimeException e) {
			err.println("anomalyj " + rest[0] + ": internal error: " + e + " (run again with --debug and report the trace)");
			if (debug) e.printStackTrace(err);
			return 1;
		}
	}

	private static void usage(PrintStream out, Map<String, Verb> verbs, String jar) {
		out.println("AnomalyJ — industrial image anomaly detection");
		out.println("usage: java -jar " + jar + " VERB [options]   (VERB --help for its options)");
		verbs.forEach((k, v) -> out.printf("  %-9s %s%n", k, v.summary()));
	}

	/**
	 * DJL and SLF4J would otherwise print warnings that look like errors to users (SLF4J's own
	 * "no providers were found" on every run, as the CLI ships no logging backend).
	 */
	private static void quietLogging() {
		System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
		if (System.getProperty("slf4j.internal.verbosity") == null) System.setProperty("slf4j.internal.verbosity", "ERROR");
	}

	/** The command line's progress line on {@code err}. */
	public static Progress progress(PrintStream err) {
		return new ConsoleProgress(err);
	}
}
