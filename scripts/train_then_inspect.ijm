// Train an AnomalyJ model on good images, then inspect a folder of images with it: a heat-map
// overlay with defect outlines saved as PNG per image, the defect outlines in the ROI Manager,
// and the Results table saved as CSV.
//
// Works in Fiji and in plain ImageJ 1.54 with AnomalyJ installed (Plugins > Anomaly Detection).
// Run it from the macro editor (it asks for the folders), or from the command line:
//   ImageJ -macro train_then_inspect.ijm "good=[/path/train/good/] images=[/path/test/] output=[/path/out/] input_size=256"
// "good" may also be an MVTec AD category folder (its train/good is used).

args = getArgument();
good = option(args, "good", "");
images = option(args, "images", "");
output = option(args, "output", "");
inputSize = option(args, "input_size", "256");
if (good == "") good = getDirectory("Good images to train on");
if (images == "") images = getDirectory("Images to inspect");
if (output == "") output = getDirectory("Folder for the model and the results");
images = withSeparator(images);
output = withSeparator(output);
model = output + "model.zip";

// Train (progress in the status bar, Esc cancels); the summary goes to the Log.
run("Train Anomaly Model...", "data=[" + good + "] method=patchcore input_size=" + inputSize + " coreset=0.1 seed=0 device=auto model=[" + model + "]");

// Inspect; the model trained above stays loaded, so each image costs only its own scoring.
setBatchMode(true);
run("Clear Results");
roiManager("reset");
files = getFileList(images);
for (i = 0; i < files.length; i++) {
	if (!matches(toLowerCase(files[i]), ".*\\.(png|jpe?g|tiff?|bmp)$")) continue;
	open(images + files[i]);
	title = getTitle();
	name = File.nameWithoutExtension;
	run("Detect Anomalies...", "model=[" + model + "] overlay=true opacity=0.5 roi_manager=true results=true map=false mask=false min_area=0 device=auto");
	run("Flatten");
	saveAs("PNG", output + name + ".overlay.png");
	close();
	close(title);
}
saveAs("Results", output + "results.csv");
rois = roiManager("count");
File.saveString("images=" + nResults + "\nrois=" + rois + "\n", output + "summary.txt");
setBatchMode(false);
print("AnomalyJ: " + nResults + " images inspected, " + rois + " defect outlines in the ROI Manager; results in " + output);

function withSeparator(dir) {
	if (endsWith(dir, File.separator) || endsWith(dir, "/")) return dir;
	return dir + File.separator;
}

// The value of key=value or key=[value with spaces] in a macro argument, or the fallback.
function option(args, key, fallback) {
	at = indexOf(" " + args, " " + key + "=");
	if (at < 0) return fallback;
	rest = substring(args, at + lengthOf(key) + 1);
	if (startsWith(rest, "[")) return substring(rest, 1, indexOf(rest, "]"));
	end = indexOf(rest, " ");
	if (end < 0) return rest;
	return substring(rest, 0, end);
}
