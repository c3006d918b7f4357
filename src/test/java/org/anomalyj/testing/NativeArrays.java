package org.anomalyj.testing;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;

/**
 * Counts the engine's live NDArrays. Every base manager is a child of DJL's system manager, and
 * {@code getManagedArrays} walks the whole tree, so this sees arrays leaked anywhere: in a model's
 * manager, in a forgotten sub-manager, or attached to the system manager itself.
 */
public final class NativeArrays {

	private NativeArrays() {}

	public static int live() {
		try (NDManager probe = NDManager.newBaseManager(Device.cpu())) {
			return probe.getParentManager().getManagedArrays().size();
		}
	}
}
