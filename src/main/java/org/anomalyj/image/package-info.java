/**
 * Reading images and turning them into network input.
 *
 * <h2>Plane convention</h2>
 * The core works on <em>planes</em>: ImgLib2 {@code RandomAccessibleInterval<? extends RealType<?>>}
 * with the dimensions
 * <ul>
 * <li>{@code (x, y)} for a grey image,</li>
 * <li>{@code (x, y, c)} with {@code c = 3} (red, green, blue) for a colour image. Alpha is dropped.</li>
 * </ul>
 * Element types: {@code UnsignedByteType} for 8-bit grey and RGB, {@code UnsignedShortType} for 16-bit
 * (and 12-bit, 48-bit RGB), {@code FloatType} for 32-bit and other wider types (see {@link org.anomalyj.image.PixelType}).
 * Values are the stored sample values, as ImageJ holds them: no display range, no LUT (a LUT only
 * affects display; this includes the colour map of an 8-bit TIFF). Signed 16-bit TIFFs are offset by
 * 32768, as ImageJ does. One deliberate difference from ImageJ: PNG, GIF and BMP palette images are
 * expanded through their palette (to grey if the palette is grey, else RGB), where ImageJ keeps the
 * palette indices, whose order carries no intensity meaning.
 * <p>
 * A stack (multi-page TIFF, ImageJ stack or hyperstack, animated GIF) is a list of planes, one per
 * stack image; the scorer handles one plane at a time. Multi-channel composites that are not RGB are
 * not merged: each channel is a grey plane of its own.
 *
 * <h2>Pipeline</h2>
 * {@link org.anomalyj.image.ImageFileReader} (file to {@link org.anomalyj.image.LoadedImage}) or
 * {@link org.anomalyj.image.ImagePlusConverter} (ImageJ to planes) &rarr;
 * {@link org.anomalyj.image.Preprocessor} (one plane to a 3&times;S&times;S float tensor: intensity scaling with
 * {@link org.anomalyj.image.IntensityRange}, resize with {@link org.anomalyj.image.FloatResizer},
 * {@link org.anomalyj.image.InputNormalization}) &rarr; network. Anomaly maps come back through
 * {@link org.anomalyj.image.FloatResizer} and {@link org.anomalyj.image.ImagePlusConverter#toFloatImagePlus}.
 * <p>
 * This package is core: it uses ij.jar only as a codec and data-structure library and never opens
 * windows or dialogs.
 */
package org.anomalyj.image;
