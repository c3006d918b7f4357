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

	@Test
	void aFolderOfCategoriesGivesEachCategory() throws IOException {
		Path root = Files.createDirectories(tmp.resolve("parts"));
		for (String c : List.of("screw", "nut")) for (int i = 0; i < 2; i++) png(Files.createDirectories(root.resolve(c + "/train/good")).resolve(i + ".png"), 2, 2);
		Files.createDirectories(root.resolve("notes"));
		Files.writeString(root.resolve("license.txt"), "x");
		List<TrainingImages> found = TrainingImages.findAll(List.of(root));
		assertEquals(List.of("nut", "screw"), found.stream().map(TrainingImages::name).toList());
		assertEquals(List.of(2, 2), found.stream().map(t -> t.images().size()).toList());

		// One category, or a plain folder, stays one set.
		assertEquals(List.of(root.resolve("nut")), TrainingImages.findAll(List.of(root.resolve("nut"))).stream().map(TrainingImages::dir).toList());
		assertEquals(2, TrainingImages.findAll(List.of(root.resolve("nut/train/good"))).get(0).images().size());
		// Several folders: each a category, in the order given.
		assertEquals(List.of("screw", "nut"),
			TrainingImages.findAll(List.of(root.resolve("screw"), root.resolve("nut"))).stream().map(TrainingImages::name).toList());
	}

	@Test
	void severalFoldersMustEachBeADistinctCategory() throws IOException {
		Path a = Files.createDirectories(tmp.resolve("a/bottle/train/good")).getParent().getParent();
		png(a.resolve("train/good/0.png"), 2, 2);
		Path b = Files.createDirectories(tmp.resolve("b/bottle/train/good")).getParent().getParent();
		png(b.resolve("train/good/0.png"), 2, 2);
		Path plain = Files.createDirectories(tmp.resolve("plain"));
		png(plain.resolve("0.png"), 2, 2);
		assertMessage(assertThrows(IOException.class, () -> TrainingImages.findAll(List.of(a, plain))), plain.toString(), "not an MVTec AD category",
			"train/good is missing");
		assertMessage(assertThrows(IOException.class, () -> TrainingImages.findAll(List.of(a, tmp.resolve("none")))), "does not exist");
		assertMessage(assertThrows(IOException.class, () -> TrainingImages.findAll(List.of(a, b))), b.toString(), "second category named bottle");
	}
}
