package org.anomalyj.backbone.resnet50v2;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A NumPy {@code .npy} file of little-endian float32 in C order (format versions 1 to 3), the
 * only kind the ResNet50-v2 weights and fixtures use. Anything else is refused with the reason.
 */
record NpyFile(long[] shape, float[] values) {

	private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
	private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
	private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

	static NpyFile read(Path file) throws IOException {
		ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
		byte[] magic = new byte[6];
		b.get(magic);
		if (!Arrays.equals(magic, new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'})) throw new IOException(file + ": not a .npy file");
		int major = b.get() & 0xff;
		b.get();
		int headerLength = major == 1 ? b.getShort() & 0xffff : b.getInt();
		byte[] h = new byte[headerLength];
		b.get(h);
		String header = new String(h, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
		String descr = find(DESCR, header, file), fortran = find(FORTRAN, header, file), dims = find(SHAPE, header, file);
		if (!descr.equals("<f4")) throw new IOException(file + ": dtype " + descr + ", expected <f4");
		if (fortran.equals("True")) throw new IOException(file + ": Fortran order is not supported");
		long[] shape = Arrays.stream(dims.split(",")).map(String::trim).filter(s -> !s.isEmpty()).mapToLong(Long::parseLong).toArray();
		long n = 1;
		for (long d : shape) n *= d;
		if (b.remaining() != 4 * n) throw new IOException(file + ": " + b.remaining() + " data bytes for shape " + Arrays.toString(shape));
		float[] values = new float[(int) n];
		b.asFloatBuffer().get(values);
		return new NpyFile(shape, values);
	}

	private static String find(Pattern p, String header, Path file) throws IOException {
		Matcher m = p.matcher(header);
		if (!m.find()) throw new IOException(file + ": header lacks " + p.pattern());
		return m.group(1);
	}
}
