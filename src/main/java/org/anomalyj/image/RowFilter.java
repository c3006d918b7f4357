package org.anomalyj.image;

/**
 * Undoes the PNG row filters (None, Sub, Up, Average, Paeth; PNG specification section 9). The first
 * {@code bpp} bytes of a row, which have no left neighbour, are handled before each loop so the loops
 * themselves have no per-byte edge test.
 */
final class RowFilter {

	private RowFilter() {}

	/**
	 * Reconstructs one row: {@code cur[i] = raw[from + i] + predictor}, from the previous reconstructed
	 * row {@code prev} (zeros for the first row). False for an unknown filter type.
	 */
	static boolean undo(byte type, byte[] raw, int from, byte[] prev, byte[] cur, int bpp) {
		int n = cur.length;
		switch (type) {
			case 0:
				System.arraycopy(raw, from, cur, 0, n);
				return true;
			case 1:
				System.arraycopy(raw, from, cur, 0, Math.min(bpp, n));
				for (int i = bpp; i < n; i++) cur[i] = (byte) (raw[from + i] + cur[i - bpp]);
				return true;
			case 2:
				for (int i = 0; i < n; i++) cur[i] = (byte) (raw[from + i] + prev[i]);
				return true;
			case 3:
				for (int i = 0; i < Math.min(bpp, n); i++) cur[i] = (byte) (raw[from + i] + ((prev[i] & 0xFF) >> 1));
				for (int i = bpp; i < n; i++)
					cur[i] = (byte) (raw[from + i] + (((cur[i - bpp] & 0xFF) + (prev[i] & 0xFF)) >> 1));
				return true;
			case 4:
				// With no left neighbour (a = c = 0) Paeth picks b, the byte above.
				for (int i = 0; i < Math.min(bpp, n); i++) cur[i] = (byte) (raw[from + i] + prev[i]);
				for (int i = bpp; i < n; i++) cur[i] = (byte) (raw[from + i] + paeth(cur[i - bpp] & 0xFF, prev[i] & 0xFF, prev[i - bpp] & 0xFF));
				return true;
			default:
				return false;
		}
	}

	/**
	 * The Paeth predictor: of left a, above b and upper-left c, the one closest to a + b - c, ties
	 * going to a, then b. Selected with sign masks instead of branches: the choice is data-dependent
	 * and close to random on real images, where branches would mostly be mispredicted.
	 */
	static int paeth(int a, int b, int c) {
		int pa = Math.abs(b - c), pb = Math.abs(a - c), pc = Math.abs(a + b - 2 * c);
		int takeC = (pc - pb) >> 31;             // -1 when pc < pb
		int bOrC = b ^ ((b ^ c) & takeC);
		int notA = ((pb - pa) | (pc - pa)) >> 31; // -1 when pa > pb or pa > pc
		return a ^ ((a ^ bOrC) & notA);
	}
}
