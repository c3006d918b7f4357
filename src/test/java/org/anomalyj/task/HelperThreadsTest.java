package org.anomalyj.task;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link HelperThreads#join} runs work no helper has taken on the caller's thread, waits for work a
 * helper runs, and never runs work twice; {@link HelperThreads#each} gives every item's result in
 * order, leaves no item queued while the caller waits, and passes on the first failure as thrown.
 */
class HelperThreadsTest {

	@Test
	void theCallerRunsWorkNoHelperHasTaken() throws ExecutionException {
		List<Runnable> queued = new ArrayList<>();
		AtomicInteger runs = new AtomicInteger();
		FutureTask<String> task = HelperThreads.start(queued::add, () -> {
			runs.incrementAndGet();
			return Thread.currentThread().getName();
		});
		assertEquals(Thread.currentThread().getName(), HelperThreads.join(task));
		queued.forEach(Runnable::run); // a helper that comes late finds it done
		assertEquals(1, runs.get());
	}

	@Test
	void theCallerWaitsForWorkAHelperIsRunning() throws Exception {
		CountDownLatch started = new CountDownLatch(1), release = new CountDownLatch(1);
		AtomicInteger runs = new AtomicInteger();
		FutureTask<String> task = HelperThreads.start(r -> new Thread(r, "helper").start(), () -> {
			started.countDown();
			assertTrue(release.await(30, TimeUnit.SECONDS));
			runs.incrementAndGet();
			return Thread.currentThread().getName();
		});
		assertTrue(started.await(30, TimeUnit.SECONDS));
		Thread releaser = new Thread(() -> {
			try {
				Thread.sleep(50);
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
			release.countDown();
		});
		releaser.start();
		assertEquals("helper", HelperThreads.join(task));
		assertEquals(1, runs.get(), "not run a second time by the caller");
	}

	@Test
	void whatTheWorkThrowsComesOut() {
		FutureTask<Void> task = HelperThreads.start(r -> {}, () -> {
			throw new java.io.IOException("disk full");
		});
		ExecutionException e = assertThrows(ExecutionException.class, () -> HelperThreads.join(task));
		assertEquals("disk full", e.getCause().getMessage());
	}

	@Test
	void eachGivesEveryItemsResultInOrderRunningEachOnce() throws Exception {
		int n = 50;
		AtomicInteger[] runs = new AtomicInteger[n];
		for (int i = 0; i < n; i++) runs[i] = new AtomicInteger();
		List<Integer> squares = HelperThreads.each(HelperThreads.pool("test", 3), n, i -> {
			runs[i].incrementAndGet();
			return i * i;
		});
		for (int i = 0; i < n; i++) {
			assertEquals(i * i, squares.get(i));
			assertEquals(1, runs[i].get(), "item " + i);
		}
	}

	@Test
	void eachLeavesNoItemQueuedWhileTheCallerWaits() {
		// A pool whose threads never come: the caller does every item itself instead of waiting for ever.
		List<Runnable> neverRun = new ArrayList<>();
		List<String> threads = HelperThreads.each(neverRun::add, 4, i -> Thread.currentThread().getName());
		assertEquals(List.of(Thread.currentThread().getName()), threads.stream().distinct().toList());
		assertEquals(3, neverRun.size(), "items 1 to 3 were offered to the pool");
	}

	@Test
	void eachThrowsTheFirstFailureAsThrownOnceTheOthersAreDone() {
		AtomicInteger done = new AtomicInteger();
		java.io.IOException e = assertThrows(java.io.IOException.class, () -> HelperThreads.each(HelperThreads.pool("test", 2), 6, i -> {
			if (i == 2 || i == 4) throw new java.io.IOException("item " + i + " unreadable");
			done.incrementAndGet();
			return i;
		}));
		assertEquals("item 2 unreadable", e.getMessage());
		assertEquals(4, done.get(), "the other items were finished");
	}
}
