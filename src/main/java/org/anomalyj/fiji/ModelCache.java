package org.anomalyj.fiji;

import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.DeviceChoice;


import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * The model last used, kept loaded between commands so that engine start and model load are paid
 * once, not per image. A model is known by its file's absolute path, modification time and size
 * and by the device: a rewritten file is loaded afresh. One model is kept (they can be large); a
 * replaced model is closed once no command still uses it.
 */
public final class ModelCache {

	private static final ModelCache SHARED = new ModelCache();

	/** The cache the commands share within one ImageJ session. */
	public static ModelCache shared() {
		return SHARED;
	}

	private record Key(Path file, FileTime modified, long size, DeviceChoice device) {}

	private static final class Entry {
		final Key key;
		final AnomalyModel model;
		int users;
		boolean retired;

		Entry(Key key, AnomalyModel model) {
			this.key = key;
			this.model = model;
		}
	}

	private Entry current;
	private int loads;

	/**
	 * The model in {@code file} on {@code device}, loaded unless it is the cached one. Close the lease
	 * when done with the model.
	 */
	public synchronized Lease acquire(Path file, DeviceChoice device) throws IOException {
		Key key = keyOf(file, device);
		if (current == null || !current.key.equals(key)) {
			AnomalyModel model = AnomalyModel.load(file, device);
			loads++;
			replace(new Entry(key, model));
		}
		current.users++;
		return new Lease(current);
	}

	/** Keeps a model just written to {@code file} (e.g. by training), taking ownership of it. */
	public synchronized void offer(Path file, DeviceChoice device, AnomalyModel model) throws IOException {
		replace(new Entry(keyOf(file, device), model));
	}

	/** How many times a model was loaded from a file (offered models do not count). */
	public synchronized int loads() {
		return loads;
	}

	/** Forgets the cached model, closing it when no command uses it. */
	public synchronized void clear() {
		replace(null);
	}

	private void replace(Entry next) {
		Entry old = current;
		current = next;
		if (old != null) {
			old.retired = true;
			if (old.users == 0) old.model.close();
		}
	}

	private synchronized void release(Entry e) {
		e.users--;
		if (e.retired && e.users == 0) e.model.close();
	}

	private static Key keyOf(Path file, DeviceChoice device) throws IOException {
		Path abs = file.toAbsolutePath().normalize();
		BasicFileAttributes a;
		try {
			a = Files.readAttributes(abs, BasicFileAttributes.class);
		} catch (NoSuchFileException e) {
			throw new IOException(file + ": no such model file");
		}
		if (!a.isRegularFile()) throw new IOException(file + ": is not a model file (.zip)");
		return new Key(abs, a.lastModifiedTime(), a.size(), device);
	}

	/** A model in use by one command. */
	public final class Lease implements AutoCloseable {
		private final Entry entry;
		private boolean closed;

		private Lease(Entry entry) {
			this.entry = entry;
		}

		public AnomalyModel model() {
			return entry.model;
		}

		@Override
		public void close() {
			if (closed) return;
			closed = true;
			release(entry);
		}
	}
}
