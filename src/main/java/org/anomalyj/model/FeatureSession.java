package org.anomalyj.model;

import ai.djl.ndarray.NDManager;
import org.anomalyj.backbone.Backbone;
import org.anomalyj.backbone.BackboneCatalog;
import org.anomalyj.image.Preprocessor;
import org.anomalyj.method.AnomalyMethod;
import org.anomalyj.method.FeatureGrid;
import org.anomalyj.method.FeatureRows;
import org.anomalyj.method.PatchFeatures;
import org.anomalyj.postprocess.AnomalyMapper;
import org.anomalyj.task.Progress;

import com.google.gson.JsonObject;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * A loaded backbone with its feature aggregation and map post-processing for one
 * {@link ModelSpec}: extracts features of image files and scores stored features with any
 * method. Training turns it into the model ({@link #toModel}); studies that fit many methods on
 * the same features (few-shot, false-alarm checks) use it directly.
 */
final class FeatureSession implements AutoCloseable {

	private final ModelSpec spec;
	private final Preprocessor pre;
	private final NDManager manager;
	private final Backbone backbone;
	private final PatchFeatures features;
	private final AnomalyMapper mapper;
	private boolean handedOver;

	FeatureSession(ModelSpec spec, DeviceChoice device) throws IOException {
		this.spec = spec;
		this.pre = new Preprocessor(spec.inputSize(), spec.intensity(), spec.normalization());
		this.manager = NDManager.newBaseManager(device.resolve());
		Backbone b = null;
		try {
			b = BackboneCatalog.load(spec.backbone(), manager);
			this.features = new PatchFeatures(manager, b, spec.taps(), spec.poolSize(), spec.inputSize(), spec.inputSize());
		} catch (IOException | RuntimeException e) {
			if (b != null) b.close();
			manager.close();
			throw e;
		}
		this.backbone = b;
		this.mapper = new AnomalyMapper(manager, features.gridHeight(), features.gridWidth(), spec.inputSize(), spec.inputSize(), spec.sigma());
	}

	ModelSpec spec() {
		return spec;
	}

	NDManager manager() {
		return manager;
	}

	FeatureGrid grid() {
		return FeatureGrid.of(features);
	}

	/**
	 * Hands the features of {@code files} to {@code sink} batch by batch.
	 *
	 * @param skipped receives one reason per unreadable file
	 * @return the number of images (planes) extracted
	 */
	int stream(List<Path> files, int batchSize, List<String> skipped, Progress progress, String stage, Consumer<FeatureRows> sink) {
		return FeatureExtraction.stream(files, pre, features, manager, batchSize, skipped, progress, stage, sink);
	}

	/**
	 * @param skipped receives one reason per unreadable file
	 */
	FeatureRows extract(List<Path> files, int batchSize, List<String> skipped, Progress progress, String stage) {
		return FeatureExtraction.extract(files, pre, features, manager, batchSize, skipped, progress, stage);
	}

	/** Image scores and map maxima of stored features. */
	HeldOutScores scores(AnomalyMethod method, FeatureRows rows, int batchSize, Progress progress) {
		return HeldOutScores.of(method, mapper, rows, manager, batchSize, progress);
	}

	AnomalyMapper mapper() {
		return mapper;
	}

	/** The model made of this session's parts and a fitted method; the session then no longer owns them. */
	AnomalyModel toModel(AnomalyMethod method, Thresholds thresholds, JsonObject training) {
		handedOver = true;
		mapper.close();
		return AnomalyModel.assemble(manager, backbone, spec, features, method, thresholds, training);
	}

	@Override
	public void close() {
		if (handedOver) return;
		mapper.close();
		features.close();
		backbone.close();
		manager.close();
	}
}
