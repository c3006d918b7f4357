package org.anomalyj.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.anomalyj.data.CategoryFolderTest.assertMessage;
import static org.anomalyj.data.CategoryFolderTest.names;
import static org.anomalyj.data.CategoryFolderTest.png;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TrainingImagesTest {

	@TempDir
	Path tmp;

	@Test
	void imageFolderIsNotRecursive() throws IOException {
		Path dir = Files.createDirectories(tmp.resolve("ok"));
		for (String n : List.of("b.jpg", "a.tif", ".c.png")) png(dir.resolve(n), 2, 2);
		png(Files.createDirectories(dir.resolve("rejects")).resolve("x.png"), 2, 2);
		Files.writeString(dir.resolve("list.csv"), "a");
		assertEquals(List.of("a.tif", "b.jpg"), names(ImageFolder.open(dir).images()));
	}

	@Test
	void folderWithoutImagesSaysWhatItFound() throws IOException {
		Path empty = Files.createDirectories(tmp.resolve("empty"));
		assertMessage(assertThrows(IOException.class, () -> ImageFolder.open(empty)), empty.toString(), "contains no images", "it is empty");
		Path nested = Files.createDirectories(tmp.resolve("nested"));
		png(Files.createDirectories(nested.resolve("day1")).resolve("a.png"), 2, 2);
		assertMessage(assertThrows(IOException.class, () -> ImageFolder.open(nested)), "1 sub-folder(s), which are not searched");
		assertMessage(assertThrows(IOException.class, () -> ImageFolder.open(tmp.resolve("none"))), "does not exist");
	}

	@Test
	void acceptsCategoryOrFolder() throws IOException {
		TrainingImages sample = TrainingImages.find(CategoryFolderTest.SAMPLE);
		assertEquals("MVTec AD category", sample.layout());
		assertEquals(40, sample.images().size());
		assertEquals(CategoryFolder.open(CategoryFolderTest.SAMPLE).trainImages(), sample.images());

		Path dir = Files.createDirectories(tmp.resolve("plain"));
		png(dir.resolve("1.png"), 2, 2);
		TrainingImages plain = TrainingImages.find(dir);
		assertEquals("image folder", plain.layout());
		assertEquals(List.of(dir.resolve("1.png")), plain.images());

		// A category with an incomplete test set can still be trained on.
		png(Files.createDirectories(tmp.resolve("cat/train/good")).resolve("0.png"), 2, 2);
		png(Files.createDirectories(tmp.resolve("cat/test/crack")).resolve("0.png"), 2, 2);
		assertThrows(IOException.class, () -> CategoryFolder.open(tmp.resolve("cat")));
		assertEquals(1, TrainingImages.find(tmp.resolve("cat")).images().size());
	}
}
