import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.anomalyj.image.ImageFileReader;
import org.anomalyj.image.Preprocessor;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.DeviceChoice;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Benchmark helper, not part of the product: writes AnomalyJ's network input and patch features
 * of a few images so that patchcore_reference.py compare-features can check its own against them.
 * Run with Java's single-file launcher on the built classes (see README.md beside this file):
 * {@code java -cp target/classes:$(cat target/cp.txt) bench/python-reference/DumpFeatures.java MODEL.zip PREFIX IMAGE...}
 * writes PREFIX.json, PREFIX.input.f32 and PREFIX.features.f32 (little-endian float32, NCHW).
 */
public class DumpFeatures {

	public static void main(String[] args) throws IOException {
		if (args.length < 3) throw new IllegalArgumentException("usage: DumpFeatures MODEL.zip PREFIX IMAGE...");
		String[] files = Arrays.copyOfRange(args, 2, args.length);
		try (AnomalyModel model = AnomalyModel.load(Path.of(args[0]), DeviceChoice.CPU)) {
			int s = model.spec().inputSize();
			Preprocessor pre = new Preprocessor(s, model.spec().intensity(), model.spec().normalization());
			float[] batch = new float[files.length * 3 * s * s];
			for (int i = 0; i < files.length; i++) pre.toInput(ImageFileReader.read(Path.of(files[i])).plane(0), batch, i * 3 * s * s);
			try (NDManager tmp = model.manager().newSubManager()) {
				NDArray f = model.features().embed(tmp.create(batch, new Shape(files.length, 3, s, s)));
				write(Path.of(args[1] + ".input.f32"), batch);
				write(Path.of(args[1] + ".features.f32"), f.toFloatArray());
				StringBuilder json = new StringBuilder("{\"files\": [");
				for (int i = 0; i < files.length; i++)
					json.append(i > 0 ? ", " : "").append('"').append(Path.of(files[i]).toAbsolutePath().toString().replace("\\", "\\\\")).append('"');
				json.append("], \"feature_shape\": ").append(Arrays.toString(f.getShape().getShape())).append("}\n");
				Files.writeString(Path.of(args[1] + ".json"), json);
			}
		}
	}

	private static void write(Path file, float[] values) throws IOException {
		ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
		b.asFloatBuffer().put(values);
		Files.write(file, b.array());
	}
}
