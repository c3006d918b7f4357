package org.anomalyj.evaluation;

import org.anomalyj.data.CategoryFolder;
import org.anomalyj.data.TestSample;
import org.anomalyj.method.padim.Padim;

import org.anomalyj.model.DeviceChoice;
import org.anomalyj.task.Progress;
import org.anomalyj.training.Calibration;
import org.anomalyj.training.ModelTrainer;
import org.anomalyj.testing.SmallModel;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The false-alarm guarantee on real images: sample-data has 46 good images (train/good and
 * test/good), too few for alpha = 1 % (99 calibration images needed) but enough for 5-20 %. Each of
 * 24 random splits trains on part of them and counts false alarms on 12 others; the total must lie
 * in its band under the conformal law. A model calibrated on its own training images would flag
 * far more (its scores of training images are too low) and fail. The synthetic test
 * (ConformalScoresTest) covers 1 % with thousands of draws; docs/BENCHMARKS.md has the
 * figures for bottle and ball_screw.
 */
class FalseAlarmStudyTest {

	private static final double[] ALPHAS = {0.2, 0.1, 0.05};

	private static List<Path> pool() throws IOException {
		CategoryFolder c = CategoryFolder.open(SmallModel.SAMPLE);
		List<Path> pool = new ArrayList<>(c.trainImages());
		c.testSamples("good").stream().map(TestSample::image).forEach(pool::add);
		return pool;
	}

	private static ModelTrainer.Settings padim(Calibration c) {
		return ModelTrainer.Settings.DEFAULT.withInputSize(64).withDevice(DeviceChoice.CPU).withMethod(Padim.NAME, Map.of("dims", "50")).withCalibration(c)
			.withSeed(100);
	}

	@Test
	void holdOutThresholdsFlagGoodImagesAtTheConformalRate() throws IOException {
		FalseAlarmStudy.Result r = FalseAlarmStudy.run(pool(), padim(Calibration.holdout(0.6)), ALPHAS, 24, 0.25, 0.99, Progress.NONE);
		assertEquals(46, r.pool());
		assertEquals(12, r.testImages());
		assertEquals(20, r.calibrationImages());
		for (FalseAlarmStudy.Outcome o : r.outcomes()) {
			assertTrue(o.expectedRate() <= o.alpha() + 1e-12, "20 calibration images reach " + o.alpha());
			assertTrue(o.withinBand(), r.table());
		}
	}

	@Test
	void crossFittedThresholdsDoNotFlagMoreThanAllowed() throws IOException {
		// Cross-fitting trains the fold models on fewer images than the final one, so their scores,
		// and the threshold, run high: false alarms at or below the conformal rate, never above.
		FalseAlarmStudy.Result r = FalseAlarmStudy.run(pool(), padim(Calibration.crossfit(5)), ALPHAS, 12, 0.25, 0.99, Progress.NONE);
		assertEquals(34, r.calibrationImages());
		for (FalseAlarmStudy.Outcome o : r.outcomes()) assertTrue(o.flagged() <= o.band()[1], r.table());
	}
}
