package org.anomalyj.image;

import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.FloatType;

/** Element type of the planes this package produces. */
public enum PixelType {
	UINT8(8), UINT16(16), FLOAT32(32);

	/** Bits per sample. */
	public final int bits;

	PixelType(int bits) {
		this.bits = bits;
	}

	/** The pixel type of an ImgLib2 element type; other types than the three above are refused. */
	public static PixelType of(RealType<?> type) {
		if (type instanceof UnsignedByteType) return UINT8;
		if (type instanceof UnsignedShortType) return UINT16;
		if (type instanceof FloatType) return FLOAT32;
		throw new IllegalArgumentException("unsupported pixel type " + type.getClass().getSimpleName()
			+ "; expected UnsignedByteType, UnsignedShortType or FloatType");
	}
}
