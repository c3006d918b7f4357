package org.anomalyj.inspect;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An {@link Explanation} as one picture: the query patch's region first, then each neighbour's, side
 * by side, each scaled into the same panel (as wide as {@link #PANEL}, as high as the query region's
 * aspect asks, up to square) with its grid cell outlined, and labelled with its image, grid position
 * and distance (the query with its score). A neighbour that cannot be shown is
 * a grey panel saying why. The CLI writes it as PNG; Fiji shows it as an image.
 */
public final class ExplanationMontage {

	/** Panel width in pixels. */
	public static final int PANEL = 160;
	private static final int GAP = 4, LINE = 14, LINES = 4;
	private static final Color QUERY = new Color(0xff5050), CELL = new Color(0xffe000), TEXT = Color.WHITE, BACKGROUND = new Color(0x202020),
		MISSING = new Color(0x606060);

	private ExplanationMontage() {}

	public static BufferedImage render(Explanation e) {
		int panels = 1 + e.neighbours().size(), captionHeight = LINES * LINE + 4;
		Explanation.Region q0 = e.query().region();
		int height = Math.max(PANEL / 4, Math.min(PANEL, (int) Math.round((double) PANEL * q0.height() / q0.width())));
		BufferedImage out = new BufferedImage(panels * PANEL + (panels + 1) * GAP, height + captionHeight + 2 * GAP, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = out.createGraphics();
		try {
			g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
			g.setColor(BACKGROUND);
			g.fillRect(0, 0, out.getWidth(), out.getHeight());
			g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
			Explanation.Patch q = e.query();
			int x = GAP;
			panel(g, x, height, q.crop(), q.region(), q.cell(), QUERY, null);
			caption(g, x, height, "query: " + e.image(), position(q.row(), q.column()), "score " + number(q.score()));
			for (Explanation.Neighbour n : e.neighbours()) {
				x += PANEL + GAP;
				panel(g, x, height, n.crop(), n.region(), n.cell(), null, n.problem());
				caption(g, x, height, "#" + n.rank() + ": " + (n.image() == null ? "?" : n.image()), n.row() < 0 ? "position unknown" : position(n.row(),
					n.column()), "distance " + number(n.distance()));
			}
		} finally {
			g.dispose();
		}
		return out;
	}

	/** Writes the montage as a PNG file, atomically. */
	public static void writePng(Explanation e, java.nio.file.Path file) throws java.io.IOException {
		InspectionFiles.writePng(render(e), file);
	}

	static String position(int row, int column) {
		return "grid row " + row + ", col " + column;
	}

	static String number(float v) {
		return String.format(Locale.ROOT, "%.4g", v);
	}

	private static void panel(Graphics2D g, int x, int height, Explanation.Crop crop, Explanation.Region region, Explanation.Region cell, Color frame,
		String problem) {
		int y = GAP;
		if (crop == null) {
			g.setColor(MISSING);
			g.fillRect(x, y, PANEL, height);
			g.setColor(TEXT);
			List<String> lines = wrap(g.getFontMetrics(), problem == null ? "not shown" : problem, PANEL - 8);
			for (int i = 0; i < lines.size() && i < height / LINE - 1; i++) g.drawString(lines.get(i), x + 4, y + LINE * (i + 1));
			return;
		}
		BufferedImage img = new BufferedImage(crop.width(), crop.height(), BufferedImage.TYPE_INT_RGB);
		img.setRGB(0, 0, crop.width(), crop.height(), crop.rgb(), 0, crop.width());
		// Scaled to fit, keeping the region's aspect; upscaling pixel-exact (nearest) so the user sees the real pixels.
		double scale = Math.min((double) PANEL / crop.width(), (double) height / crop.height());
		int dw = Math.max(1, (int) Math.round(crop.width() * scale)), dh = Math.max(1, (int) Math.round(crop.height() * scale));
		int ox = x + (PANEL - dw) / 2, oy = y + (height - dh) / 2;
		g.setRenderingHint(RenderingHints.KEY_INTERPOLATION,
			scale >= 1 ? RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR : RenderingHints.VALUE_INTERPOLATION_BILINEAR);
		g.drawImage(img, ox, oy, dw, dh, null);
		if (cell != null && region != null) {
			g.setColor(CELL);
			g.setStroke(new BasicStroke(1));
			g.drawRect(ox + (int) Math.round((cell.x() - region.x()) * scale), oy + (int) Math.round((cell.y() - region.y()) * scale),
				Math.max(1, (int) Math.round(cell.width() * scale) - 1), Math.max(1, (int) Math.round(cell.height() * scale) - 1));
		}
		if (frame != null) {
			g.setColor(frame);
			g.setStroke(new BasicStroke(2));
			g.drawRect(x, y, PANEL - 1, height - 1);
		}
	}

	/** The name on up to two lines, then the position and the distance. */
	private static void caption(Graphics2D g, int x, int height, String name, String position, String distance) {
		g.setColor(TEXT);
		FontMetrics m = g.getFontMetrics();
		List<String> lines = new ArrayList<>();
		int cut = name.length();
		while (cut > 1 && m.stringWidth(name.substring(0, cut)) > PANEL) cut--;
		lines.add(name.substring(0, cut));
		lines.add(cut < name.length() ? fit(m, "  " + name.substring(cut), PANEL) : "");
		lines.add(position);
		lines.add(distance);
		int y = GAP + height + LINE;
		for (String line : lines) {
			g.drawString(fit(m, line, PANEL), x, y);
			y += LINE;
		}
	}

	/** The text cut to a width, with an ellipsis in the middle: a file's start and end say most about it. */
	private static String fit(FontMetrics m, String s, int width) {
		if (m.stringWidth(s) <= width) return s;
		for (int keep = s.length() - 1; keep > 2; keep--) {
			String t = s.substring(0, keep / 2) + "…" + s.substring(s.length() - (keep - keep / 2));
			if (m.stringWidth(t) <= width) return t;
		}
		return "…";
	}

	private static List<String> wrap(FontMetrics m, String text, int width) {
		List<String> lines = new ArrayList<>();
		StringBuilder line = new StringBuilder();
		for (String word : text.split(" ")) {
			String next = line.isEmpty() ? word : line + " " + word;
			if (m.stringWidth(next) > width && !line.isEmpty()) {
				lines.add(line.toString());
				line = new StringBuilder(word);
			} else line = new StringBuilder(next);
		}
		if (!line.isEmpty()) lines.add(line.toString());
		List<String> out = new ArrayList<>();
		for (String l : lines) out.add(fit(m, l, width));
		return out;
	}
}
