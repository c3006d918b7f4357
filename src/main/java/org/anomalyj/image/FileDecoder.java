package org.anomalyj.image;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;

import java.io.IOException;
import java.util.List;

/** Decodes one file format. Every failure is an {@link ImageFileException} naming the file. */
interface FileDecoder {

	/** Reads only the header: size, number of images, pixel type, calibration. */
	ImageInfo readInfo() throws IOException;

	/** Decodes all planes; {@code header} is what {@link #readInfo()} returned. */
	List<RandomAccessibleInterval<? extends RealType<?>>> readPlanes(ImageInfo header) throws IOException;
}
