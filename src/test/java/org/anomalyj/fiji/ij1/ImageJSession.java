package org.anomalyj.fiji.ij1;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * A plain ImageJ 1.54 installation made for a test: {@code ij.jar} alone on the class path,
 * AnomalyJ's jar (the compiled classes and plugins.config) in {@code plugins/AnomalyJ_.jar}, its libraries in
 * {@code plugins/jars/} — of SciJava only scijava-common, whose plug-in index lists the methods — started with a macro on
 * a display, Xvfb when there is none.
 */
final class ImageJSession {

	/** Class path entries that are not AnomalyJ's runtime libraries. */
	private static final List<String> NOT_RUNTIME = List.of("junit-", "opentest4j", "apiguardian", "surefire", "parsington");

	final Path root, plugins;
	private final Path ijJar, home;
	private final List<String> display;

	private ImageJSession(Path root, Path ijJar, List<String> display) {
		this.root = root;
		this.plugins = root.resolve("plugins");
		this.home = root.resolve("home");
		this.ijJar = ijJar;
		this.display = display;
	}

	/** How to reach a display: the current one, or a new Xvfb; null when neither exists. */
	static List<String> display() {
		String d = System.getenv("DISPLAY");
		if (d != null && !d.isBlank()) return List.of();
		for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
			if (Files.isExecutable(Path.of(dir, "xvfb-run"))) return List.of(Path.of(dir, "xvfb-run").toString(), "-a", "-s", "-screen 0 1280x900x24");
		return null;
	}

	/** Installs ImageJ and the plug-in under {@code root} from this JVM's class path. */
	static ImageJSession install(Path root, List<String> display) throws IOException {
		Path classes = Path.of("target", "classes").toAbsolutePath();
		Path ij = null;
		Path plugins = Files.createDirectories(root.resolve("plugins"));
		Path jars = Files.createDirectories(plugins.resolve("jars"));
		for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
			Path p = Path.of(entry);
			String name = p.getFileName().toString();
			if (!name.endsWith(".jar")) continue;
			if (name.matches("ij-1\\..*\\.jar")) ij = p;
			else if (NOT_RUNTIME.stream().noneMatch(name::startsWith)) Files.copy(p, jars.resolve(name), StandardCopyOption.REPLACE_EXISTING);
		}
		if (ij == null) throw new IOException("ij.jar is not on the class path");
		// ImageJ 1.x reads plugins.config only from jars whose name has an underscore.
		jar(classes, plugins.resolve("AnomalyJ_.jar"));
		Files.createDirectories(root.resolve("home"));
		return new ImageJSession(root, ij, display);
	}

	private static void jar(Path classes, Path target) throws IOException {
		if (!Files.isRegularFile(classes.resolve("plugins.config"))) throw new IOException(classes + " has no plugins.config");
		try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(target)); Stream<Path> files = Files.walk(classes)) {
			for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
				out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
				Files.copy(f, out);
				out.closeEntry();
			}
		}
	}

	/** What a run left behind. */
	record Run(int exitCode, String log, String output) {

		/** The log and then what ImageJ printed, for failure messages. */
		String describe() {
			return log + "\n--- ImageJ printed:\n" + output;
		}

		/**
		 * The {@code key=value} lines a driver wrote to the done file, values of a repeated key joined
		 * by new lines.
		 */
		Map<String, String> seen() {
			Map<String, String> seen = new java.util.HashMap<>();
			for (String line : log.lines().toList()) {
				String[] kv = line.split("=", 2);
				if (kv.length == 2) seen.merge(kv[0], kv[1], (a, b) -> a + "\n" + b);
			}
			return seen;
		}
	}

	/**
	 * Runs {@code macro} in a fresh ImageJ; the macro must write {@code done} (e.g. the Log) when it
	 * has finished, after which ImageJ is stopped.
	 */
	Run run(Path macro, String argument, Path done, Duration timeout) throws IOException, InterruptedException {
		return start(ijJar.toString(), List.of("ij.ImageJ", "-macro", macro.toString(), argument), done, timeout);
	}

	/**
	 * Runs a test class's {@code main} in a JVM set up like ImageJ's (it starts ImageJ itself), with
	 * the test classes added to the class path.
	 */
	Run runMain(Class<?> main, List<String> arguments, Path done, Duration timeout) throws IOException, InterruptedException {
		String testClasses = Path.of("target", "test-classes").toAbsolutePath().toString();
		List<String> args = new ArrayList<>(List.of(main.getName()));
		args.addAll(arguments);
		return start(ijJar + File.pathSeparator + testClasses, args, done, timeout);
	}

	private Run start(String classPath, List<String> mainAndArguments, Path done, Duration timeout) throws IOException, InterruptedException {
		List<String> cmd = new ArrayList<>(display);
		cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g", "-Duser.home=" + home,
			"-Dplugins.dir=" + plugins, "-Doffline=true", "-cp", classPath));
		cmd.addAll(mainAndArguments);
		ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(root.resolve("imagej.out").toFile());
		Map<String, String> env = pb.environment();
		String cache = System.getProperty("DJL_CACHE_DIR", Path.of("target", "djl-cache").toAbsolutePath().toString());
		env.put("DJL_CACHE_DIR", cache);
		env.put("ENGINE_CACHE_DIR", cache);
		Process p = pb.start();
		long end = System.nanoTime() + timeout.toNanos();
		try {
			while (p.isAlive() && !Files.exists(done) && System.nanoTime() < end) Thread.sleep(200);
			// The macro has finished; give ImageJ a moment to quit by itself.
			p.waitFor(Math.max(0, Math.min(5_000_000_000L, end - System.nanoTime())), java.util.concurrent.TimeUnit.NANOSECONDS);
		} finally {
			if (p.isAlive()) {
				p.descendants().forEach(ProcessHandle::destroyForcibly);
				p.destroyForcibly();
				p.waitFor();
			}
		}
		String output = Files.readString(root.resolve("imagej.out"));
		String log = Files.exists(done) ? Files.readString(done) : null;
		return new Run(p.exitValue(), log, output);
	}

	/** A macro that runs other macro files with arguments, then saves the Log to {@code done} and quits. */
	static String driver(List<String[]> scriptsAndArguments, Path done) {
		StringBuilder b = new StringBuilder();
		for (String[] s : scriptsAndArguments)
			b.append("runMacro(\"").append(escape(s[0])).append("\", \"").append(escape(s[1])).append("\");\n");
		b.append("File.saveString(getInfo(\"log\"), \"").append(escape(done.toString())).append("\");\n");
		b.append("run(\"Quit\");\n");
		return b.toString();
	}

	private static String escape(String s) {
		return s.replace("\\", "\\\\").replace("\"", "\\\"");
	}

	static void write(Path file, String text) throws IOException {
		try (OutputStream out = Files.newOutputStream(file)) {
			out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
		}
	}
}
