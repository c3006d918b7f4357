package org.anomalyj.inspect;

import org.anomalyj.image.Planes;
import org.anomalyj.model.Thresholds;
import org.anomalyj.postprocess.DefectRegions;
import org.anomalyj.postprocess.HeatmapOverlay;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The overlay file holds the whole rendering: the image (8-bit planes read where they are, rows
 * without defects blended without the mask), the heat map and the defects' outlines, as
 * {@link HeatmapOverlay#render} makes them from the image's pixels.
 */
class OverlayFileTest {

	@TempDir
	Path dir;

	@Test
	void theOverlayPngIsTheRenderedOverlay() throws IOException {
		int w = 45, h = 31;
		Random r = new Random(9);
		byte[] pixels = new byte[3 * w * h];
		r.nextBytes(pixels);
		float[] map = new float[w * h];
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++) {
				// Two defects above 1: a disc inside, and a corner on the image's right and bottom edges.
				double disc = 1.6 - ((x - 12) * (x - 12) + (y - 9) * (y - 9)) / 40.0, corner = 1.4 - ((x - 44) * (x - 44) + (y - 30) * (y - 30)) / 60.0;
				map[y * w + x] = (float) Math.max(0.3 * r.nextDouble(), Math.max(disc, corner));
			}
		DefectRegions defects = DefectRegions.find(map, w, h, 1f, 0);
		assertEquals(2, defects.regions().size());
		Inspection inspection = new Inspection(2f, 0.6f, 0.01, true, map, w, h, defects, new float[] {0}, 1, Thresholds.uncalibrated(0.05), "", "");
		for (var plane : List.of(Planes.rgb8(pixels, w, h), Planes.grey8(java.util.Arrays.copyOf(pixels, w * h), w, h))) {
			Path file = dir.resolve("o.png");
			InspectionFiles.writeOverlay(inspection, plane, null, 1f, 0.5, file);
			int[] expected = HeatmapOverlay.aroundThreshold(1f, 0.5).render(InspectionFiles.DisplayRgb.of(plane, null), map, defects.mask(), w, h);
			BufferedImage png = ImageIO.read(file.toFile());
			int[] got = png.getRGB(0, 0, w, h, null, 0, w);
			for (int i = 0; i < got.length; i++) assertEquals(expected[i], got[i] & 0xffffff, "pixel " + i % w + "," + i / w);
		}
	}
}
