package org.anomalyj.spark;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real standalone cluster on 127.0.0.1, started from the Spark jars beside anomalyj-spark.jar: one
 * master, two workers of one core each; the job goes in through spark-submit's own entry point
 * ({@code org.apache.spark.deploy.SparkSubmit}), the executors get the jar from the driver and
 * load the model from the broadcast. Every score must equal the command line's.
 */
@Tag("cluster")
class StandaloneClusterIT {

	@TempDir
	Path dir;

	@Test
	void scoresOnAStandaloneClusterAsTheCommandLineDoes() throws Exception {
		Path in = Runs.inputs(dir);
		Path lib = Runs.SPARK_JAR.resolveSibling("lib");
		// Workers build executors' class paths from SPARK_HOME/jars.
		Path home = Files.createDirectories(dir.resolve("spark-home"));
		Files.createSymbolicLink(home.resolve("jars"), lib);
		Map<String, String> env = Map.of("SPARK_HOME", home.toString(), "SPARK_SCALA_VERSION", "2.13", "SPARK_LOCAL_IP", "127.0.0.1",
			"SPARK_LOG_DIR", dir.resolve("logs").toString());
		int port = freePort();
		String master = "spark://127.0.0.1:" + port;
		List<Process> cluster = new ArrayList<>();
		try {
			cluster.add(start(env, "master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", Integer.toString(port),
				"--webui-port", Integer.toString(freePort())));
			for (int w = 1; w <= 2; w++)
				cluster.add(start(env, "worker" + w, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", "1", "--memory", "2g",
					"--webui-port", Integer.toString(freePort()), "--work-dir", dir.resolve("work" + w).toString(), master));
			awaitWorkers(dir.resolve("master.log"), 2);

			Path cliOut = dir.resolve("cli"), sparkOut = dir.resolve("spark");
			Runs.run(dir, Map.of(), 10, Runs.java("-Dai.djl.pytorch.num_threads=1", "-jar", Runs.CLI_JAR.toString(), "score", "--model",
				Runs.MODEL.toString(), "--input", in.toString(), "--out", cliOut.toString())).ok();
			List<String> submit = new ArrayList<>(Runs.OPENS);
			submit.addAll(List.of("-cp", lib + "/*", "org.apache.spark.deploy.SparkSubmit", "--master", master, "--deploy-mode", "client",
				"--executor-memory", "1500m", "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
				"--conf", "spark.ui.enabled=false", "--conf", "spark.executorEnv.DJL_CACHE_DIR=" + Runs.DJL_CACHE,
				"--class", "org.anomalyj.spark.SparkMain", Runs.SPARK_JAR.toString(),
				"score", "--model", Runs.MODEL.toString(), "--input", in.toString(), "--out", sparkOut.toString(), "--csv", "--maps"));
			Runs.Result r = Runs.run(dir, env, 15, Runs.java(submit.toArray(String[]::new))).ok();
			assertTrue(r.out().contains("14 scored"), r.out());
			Runs.assertSameScores(Runs.csv(cliOut.resolve("scores.csv")), Runs.csv(sparkOut.resolve("scores.csv")));
			// Both workers ran executors.
			for (int w = 1; w <= 2; w++)
				try (var apps = Files.list(dir.resolve("work" + w))) {
					assertTrue(apps.findAny().isPresent(), "worker " + w + " ran no executor");
				}
		} finally {
			for (Process p : cluster) {
				p.descendants().forEach(ProcessHandle::destroy);
				p.destroy();
			}
			for (Process p : cluster) p.waitFor();
		}
	}

	private Process start(Map<String, String> env, String name, String main, String... args) throws IOException {
		List<String> c = Runs.java(Runs.OPENS.toArray(String[]::new));
		c.addAll(List.of("-cp", Runs.SPARK_JAR.resolveSibling("lib") + "/*", main));
		c.addAll(List.of(args));
		ProcessBuilder pb = new ProcessBuilder(c).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
		pb.environment().putAll(env);
		return pb.start();
	}

	private static void awaitWorkers(Path log, int n) throws Exception {
		for (int i = 0; i < 240; i++) {
			String text = Files.exists(log) ? Files.readString(log) : "";
			if (text.split("Registering worker", -1).length - 1 >= n) return;
			Thread.sleep(500);
		}
		throw new AssertionError("the workers did not register in 2 minutes:\n" + Files.readString(log));
	}

	private static int freePort() throws IOException {
		try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return s.getLocalPort();
		}
	}
}
