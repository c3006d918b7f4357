package org.anomalyj.image;

import java.util.List;
import java.util.Locale;

/** The file formats {@link ImageFileReader} reads, recognised by their first bytes, not their name. */
public enum ImageFormat {
	PNG("png"), JPEG("jpg", "jpeg"), TIFF("tif", "tiff"), BMP("bmp"), GIF("gif");

	/** Lower-case file name extensions, without the dot. */
	public final List<String> extensions;

	ImageFormat(String... extensions) {
		this.extensions = List.of(extensions);
	}

	/** How many leading bytes {@link #detect} needs. */
	public static final int SIGNATURE_BYTES = 12;

	/** The format whose signature starts {@code head}, or null. */
	public static ImageFormat detect(byte[] head, int length) {
		if (startsWith(head, length, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) return PNG;
		if (startsWith(head, length, 0xFF, 0xD8, 0xFF)) return JPEG;
		if (startsWith(head, length, 'I', 'I', 42, 0) || startsWith(head, length, 'M', 'M', 0, 42)) return TIFF;
		if (startsWith(head, length, 'B', 'M')) return BMP;
		if (startsWith(head, length, 'G', 'I', 'F', '8')) return GIF;
		return null;
	}

	/** For a file with no supported signature: names a few formats people try, else shows the first bytes. */
	static String describeUnsupported(byte[] head, int length) {
		if (startsWith(head, length, 'I', 'I', 43, 0) || startsWith(head, length, 'M', 'M', 0, 43))
			return "is a BigTIFF, which is not supported; save it as a standard TIFF (e.g. from Fiji)";
		String name = null;
		if (startsWith(head, length, 'R', 'I', 'F', 'F') && length >= 12 && head[8] == 'W' && head[9] == 'E' && head[10] == 'B' && head[11] == 'P')
			name = "WebP";
		else if (startsWith(head, length, 0, 0, 0, 0x0C, 'j', 'P') || startsWith(head, length, 0xFF, 0x4F, 0xFF, 0x51)) name = "JPEG 2000";
		else if (startsWith(head, length, '%', 'P', 'D', 'F')) name = "PDF";
		else if (startsWith(head, length, 'P', 'K', 3, 4)) name = "ZIP archive";
		else if (startsWith(head, length, 0x1F, 0x8B)) name = "gzip archive";
		else if (length >= 12 && head[4] == 'f' && head[5] == 't' && head[6] == 'y' && head[7] == 'p') name = "HEIF/AVIF or MP4";
		String supported = "supported: PNG, JPEG, TIFF, BMP, GIF";
		if (name != null) return "is a " + name + " file, not a supported image (" + supported + ")";
		StringBuilder hex = new StringBuilder();
		for (int i = 0; i < Math.min(length, 4); i++) hex.append(String.format(Locale.ROOT, "%s%02X", i == 0 ? "" : " ", head[i] & 0xFF));
		boolean text = length > 0;
		for (int i = 0; i < length; i++) {
			int b = head[i] & 0xFF;
			if (b < 9 || (b > 13 && b < 32) || b == 127) text = false;
		}
		return "is not an image in a known format (" + supported + "); "
			+ (text ? "it looks like a text file" : "it starts with bytes " + hex);
	}

	/** The format a file name's extension suggests, or null. */
	public static ImageFormat fromFileName(String fileName) {
		int dot = fileName.lastIndexOf('.');
		if (dot < 0) return null;
		String ext = fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
		for (ImageFormat f : values())
			if (f.extensions.contains(ext)) return f;
		return null;
	}

	private static boolean startsWith(byte[] head, int length, int... signature) {
		if (length < signature.length) return false;
		for (int i = 0; i < signature.length; i++)
			if ((head[i] & 0xFF) != signature[i]) return false;
		return true;
	}
}
