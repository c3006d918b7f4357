package org.anomalyj.method.efficientad;

import java.util.ArrayList;
import java.util.List;

/**
 * The layer plan of EfficientAD's student and autoencoder for one input size and feature grid, so
 * that both networks' outputs fall on the teacher's grid cell for cell.
 * <p>
 * The student is a patch description network (PDN) of {@code log2(stride)} convolutions 4 × 4,
 * stride 2, padding 1 (each halves the side and keeps every output centred on its 2 × 2 input
 * block, so after them output (i, j) is centred on the teacher's cell (i, j)), one 3 × 3 convolution
 * and a 1 × 1 convolution to {@code 2 D} channels: the first {@code D} regress the teacher, the
 * other {@code D} the autoencoder. Its receptive field is 38 px at stride 8 (the paper's small PDN:
 * 33 px), so it sees local texture only.
 * <p>
 * The autoencoder sees the input averaged over 2 × 2 pixels (its job is the global layout, and the
 * full resolution made it the costlier network on a CPU); its encoder has four 4 × 4 stride-2
 * convolutions and one convolution as large as what remains, down to a 1 × 1 code of
 * {@code latent} channels (the paper's encoder: six convolutions from the full image); the decoder upsamples bilinearly
 * (DJL's PyTorch engine has no transposed convolution) to 1/8, 1/4, 1/2 and the whole grid with a
 * 3 × 3 convolution after each, and a last 3 × 3 convolution to {@code D} channels. Its output sees
 * the whole image through the code, so it learns the images' global layout.
 *
 * @param inputSize side of the square network input
 * @param grid side of the square feature grid ({@code inputSize / stride})
 * @param channels D, the teacher's feature channels
 * @param width channels of the student's first layer (then 2, then 4 times as many)
 * @param latent channels of the autoencoder's code
 */
record Architecture(int inputSize, int grid, int channels, int width, int latent) {

	/** One convolution: channels in and out, kernel side, stride, zero padding. */
	record Layer(int in, int out, int kernel, int stride, int padding) {}

	/** Halvings of the input before the encoder's last convolution: one pooling, four convolutions. */
	static final int ENCODER_HALVINGS = 5;

	Architecture {
		if (grid < 1 || inputSize % grid != 0) throw new IllegalArgumentException("efficientad needs an input size that is a multiple of the feature grid, was "
			+ inputSize + " px for a " + grid + " grid");
		int stride = inputSize / grid;
		if (Integer.bitCount(stride) != 1 || stride < 2 || stride > 32)
			throw new IllegalArgumentException("efficientad needs a feature stride of 2, 4, 8, 16 or 32 px, was " + stride);
		if (inputSize >> ENCODER_HALVINGS < 1) throw new IllegalArgumentException("efficientad needs inputs of at least " + (1 << ENCODER_HALVINGS) + " px");
		if (channels < 1 || width < 1 || latent < 1) throw new IllegalArgumentException("efficientad layer widths must be positive");
	}

	int stride() {
		return inputSize / grid;
	}

	List<Layer> student() {
		List<Layer> l = new ArrayList<>();
		int c = 3;
		for (int i = 0, halvings = Integer.numberOfTrailingZeros(stride()); i < halvings; i++) {
			int out = width << Math.min(i, 2);
			l.add(new Layer(c, out, 4, 2, 1));
			c = out;
		}
		l.add(new Layer(c, 4 * width, 3, 1, 1));
		l.add(new Layer(4 * width, 2 * channels, 1, 1, 0));
		return l;
	}

	/** Side of the encoder's last input, which its last kernel covers whole. */
	int encoderRemainder() {
		int n = inputSize;
		for (int i = 0; i < ENCODER_HALVINGS; i++) n /= 2;
		return n;
	}

	List<Layer> encoder() {
		int[] widths = {32, 64, 64, 64};
		List<Layer> l = new ArrayList<>();
		int c = 3;
		for (int w : widths) {
			l.add(new Layer(c, w, 4, 2, 1));
			c = w;
		}
		l.add(new Layer(c, latent, encoderRemainder(), 1, 0));
		return l;
	}

	/** The sides the decoder upsamples to before each of its 3 × 3 convolutions. */
	int[] decoderSizes() {
		return new int[] {Math.max(1, grid / 8), Math.max(1, grid / 4), Math.max(1, grid / 2), grid};
	}

	List<Layer> decoder() {
		List<Layer> l = new ArrayList<>();
		int c = latent;
		for (int i = 0; i < decoderSizes().length; i++) {
			l.add(new Layer(c, 64, 3, 1, 1));
			c = 64;
		}
		l.add(new Layer(c, channels, 3, 1, 1));
		return l;
	}
}
