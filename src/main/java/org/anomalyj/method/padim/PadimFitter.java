package org.anomalyj.method.padim;

import org.anomalyj.features.FeatureGrid;
import org.anomalyj.features.FeatureRows;
import org.anomalyj.method.Fitter;
import org.anomalyj.method.RandomSubset;
import org.anomalyj.task.Progress;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * PaDiM's training, fed batch by batch: per grid position, running float64 sums and outer
 * products of the kept channels (shifted by the first image), then one batched inversion. Batches
 * are regrouped into steps of a fixed number of images, so the sums are added in the same order
 * whatever the batch sizes: streaming gives bit-identical Gaussians to fitting on all features at
 * once. Memory: the sums (positions x d x d doubles, 82 MB at the defaults) and one step of images.
 */
final class PadimFitter implements Fitter {

	/** Images per accumulation step: bounds the float64 temporaries to a few tens of MB. */
	static final int STEP = 16;

	private final NDManager manager;
	private final FeatureGrid grid;
	private final Padim.Settings settings;
	private final long seed;
	private final Progress progress;
	private final int[] channels;
	/** Owns the sums until {@link #finish}; closed with the caller's manager if the fit is abandoned. */
	private final NDManager work;
	private final NDArray sum, outer;
	private NDArray shift;
	private final FeatureRows.Builder pending;
	private int images;
	private boolean finished;

	PadimFitter(NDManager manager, FeatureGrid grid, Padim.Settings settings, long seed, Progress progress) {
		this(manager, grid, settings, seed, RandomSubset.of(grid.channels(), Math.min(settings.dims(), grid.channels()), new SplittableRandom(seed)),
			progress);
	}

	private PadimFitter(NDManager manager, FeatureGrid grid, Padim.Settings settings, long seed, int[] channels, Progress progress) {
		this.manager = manager;
		this.grid = grid;
		this.settings = settings;
		this.seed = seed;
		this.progress = progress;
		this.channels = channels;
		int p = grid.positions(), d = channels.length;
		this.work = manager.newSubManager();
		this.sum = work.zeros(new Shape(p, d), DataType.FLOAT64);
		this.outer = work.zeros(new Shape(p, d, d), DataType.FLOAT64);
		this.pending = new FeatureRows.Builder(grid);
	}

	/**
	 * A fitter that continues from a trained PaDiM's moments, so that adding new images gives the
	 * Gaussians of the old and new images together: the running sums restart shifted by the old
	 * mean, where the old images' sum of deviations is 0 and their sum of outer products is
	 * {@code (n - 1)} times their covariance, recovered from the stored inverse (minus the
	 * regularisation). Exact up to the float32 storage of the model's mean and inverse.
	 */
	static PadimFitter continuing(NDManager manager, Padim trained, Progress progress) {
		PadimFitter f = new PadimFitter(manager, trained.grid(), trained.settings(), trained.seed(), trained.channels(), progress);
		int p = f.grid.positions(), d = f.channels.length;
		try (NDManager local = f.work.newSubManager()) {
			NDArray inverse = local.create(trained.inverseCovariance().toFloatArray(), new Shape(p, d, d)).toType(DataType.FLOAT64, false);
			NDArray cov = inverse.inverse().sub(local.eye(d, d, 0, DataType.FLOAT64).mul(trained.settings().regularisation()));
			f.outer.addi(cov.mul(Math.max(trained.images() - 1, 0)));
			f.shift = f.work.create(trained.meanArray().toFloatArray(), new Shape(p, 1, d)).toType(DataType.FLOAT64, false);
		}
		f.images = trained.images();
		return f;
	}

	@Override
	public void add(FeatureRows batch) {
		if (finished) throw new IllegalStateException("the fitter has finished");
		if (!batch.grid().equals(grid)) throw new IllegalArgumentException("features of " + batch.grid() + ", expected " + grid);
		int per = grid.valuesPerImage();
		for (int from = 0; from < batch.images();) {
			int take = Math.min(batch.images() - from, STEP - pending.images());
			pending.add(from == 0 && take == batch.images() ? batch.values() : Arrays.copyOfRange(batch.values(), from * per, (from + take) * per), take);
			from += take;
			if (pending.images() == STEP) accumulate();
		}
	}

	private void accumulate() {
		progress.checkCancelled();
		FeatureRows step = pending.build();
		pending.clear();
		int p = grid.positions(), d = channels.length, c = step.images();
		try (NDManager local = work.newSubManager()) {
			NDArray x = local.create(Padim.positionsFirst(step, channels), new Shape(p, c, d)).toType(DataType.FLOAT64, false);
			if (shift == null) {
				shift = x.get(":, 0:1, :").duplicate();
				shift.attach(work);
			}
			x = x.sub(shift);
			sum.addi(x.sum(new int[] {1}));
			outer.addi(x.transpose(0, 2, 1).matMul(x));
		}
		images += c;
		progress.update("padim", images, images);
	}

	@Override
	public Padim finish() {
		if (finished) throw new IllegalStateException("the fitter has finished");
		if (pending.images() > 0) accumulate();
		if (images == 0) throw new IllegalStateException("padim needs at least one training image");
		finished = true;
		int n = images, d = channels.length;
		try (work) {
			NDArray m = sum.div(n); // mean of the shifted features, (P, d)
			NDArray cov = outer.sub(m.expandDims(2).matMul(m.expandDims(1)).mul(n)).div(Math.max(n - 1, 1))
				.add(work.eye(d, d, 0, DataType.FLOAT64).mul(settings.regularisation()));
			float[] inverse = cov.inverse().toType(DataType.FLOAT32, false).toFloatArray();
			float[] mu = m.add(shift.squeeze(1)).toType(DataType.FLOAT32, false).toFloatArray();
			return new Padim(manager, new Padim.Settings(d, settings.regularisation()), grid, channels, seed, n, mu, inverse);
		}
	}
}
