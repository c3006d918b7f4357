package org.anomalyj.model;

import ai.djl.pytorch.jni.LibUtils;

import com.sun.jna.Function;
import com.sun.jna.Library;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * PyTorch's "use NNPACK" flag ({@code at::globalContext().setUserEnabledNNPACK}, what Python's
 * {@code torch.backends.nnpack.set_flags} sets), reached through JNA because DJL's JNI does not
 * expose it.
 * <p>
 * Why it is switched off: PyTorch 2.7's {@code init_nnpack} remembers NNPACK's initialisation
 * status but logs "Could not initialize NNPACK! Reason: Unsupported hardware." on every call when
 * that failed, and convolution asks on every call that oneDNN declines (small batches, 1x1 kernels,
 * one thread). The flag is tested before that question, so with it off nothing is asked and
 * nothing printed, while the native logger stays as it was for every other message. NNPACK never
 * runs in these builds anyway: it needs batches of 16 or more, which oneDNN takes first.
 * <p>
 * The functions are C++ ones, found by their Itanium-ABI names (Linux, macOS). Where they are
 * absent (Windows builds, which have no NNPACK, or another libtorch) nothing is done.
 */
final class NnpackSwitch {

	private static final String GLOBAL_CONTEXT = "_ZN2at13globalContextEv";
	private static final String SET_ENABLED = "_ZN2at7Context20setUserEnabledNNPACKEb";
	private static final String IS_ENABLED = "_ZNK2at7Context17userEnabledNNPACKEv";

	/**
	 * dlopen flags RTLD_LAZY | RTLD_LOCAL: JNA's default adds RTLD_GLOBAL, which would let libraries
	 * loaded later (other Fiji plug-ins' natives) bind to libtorch's symbols.
	 */
	private static final int LAZY_LOCAL = Platform.isMac() ? 0x1 | 0x4 : 0x1;

	private final Function set, get;
	private final Pointer context;

	private NnpackSwitch(NativeLibrary torch) {
		context = (Pointer) torch.getFunction(GLOBAL_CONTEXT).invoke(Pointer.class, new Object[0]);
		set = torch.getFunction(SET_ENABLED);
		get = torch.getFunction(IS_ENABLED);
	}

	/** The switch in the libtorch DJL has loaded, if that library has one; call after the engine is loaded. */
	static Optional<NnpackSwitch> find() {
		try {
			Path lib = Path.of(LibUtils.getLibtorchPath(), System.mapLibraryName("torch_cpu"));
			return Optional.of(new NnpackSwitch(NativeLibrary.getInstance(lib.toString(), Map.of(Library.OPTION_OPEN_FLAGS, LAZY_LOCAL))));
		} catch (LinkageError | RuntimeException e) {
			// No such library or symbol: a build this class does not know, left as it is.
			return Optional.empty();
		}
	}

	boolean enabled() {
		return ((Byte) get.invoke(Byte.class, new Object[] {context})) != 0;
	}

	void setEnabled(boolean on) {
		set.invoke(Void.class, new Object[] {context, (byte) (on ? 1 : 0)});
	}
}
