package org.anomalyj.model;

import ai.djl.Device;
import ai.djl.engine.Engine;

import java.util.Locale;

/** Where tensors live: chosen once per loaded model, every array of that model stays there. */
public enum DeviceChoice {
	/** A GPU when DJL finds one, else the CPU. */
	AUTO,
	CPU,
	GPU;

	public static DeviceChoice parse(String s) {
		try {
			return valueOf(s.trim().toUpperCase(Locale.ROOT));
		} catch (IllegalArgumentException e) {
			throw new IllegalArgumentException("device must be auto, cpu or gpu, was '" + s + "'");
		}
	}

	public Device resolve() {
		Engine engine = NativeEngine.get();
		return switch (this) {
			case CPU -> Device.cpu();
			case AUTO -> engine.getGpuCount() > 0 ? Device.gpu() : Device.cpu();
			case GPU -> {
				if (engine.getGpuCount() == 0)
					throw new IllegalArgumentException("device gpu was asked for, but DJL finds no GPU (install the CUDA build of the PyTorch natives, or use auto/cpu)");
				yield Device.gpu();
			}
		};
	}
}
