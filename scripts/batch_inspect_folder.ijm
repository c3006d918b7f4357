// Batch-inspect a folder with AnomalyJ and write one CSV row per image.
//
// Works in Fiji and in plain ImageJ 1.54 with AnomalyJ installed (Plugins > Anomaly Detection).
// Run it from the macro editor (it asks for the files), or from the command line with an argument:
//   ImageJ -macro batch_inspect_folder.ijm "model=[/path/model.zip] input=[/path/images/] csv=[/path/results.csv]"
// Columns: image, slice, score, normalised_score (0.5 = threshold), verdict, defects,
// defect_area (calibrated units when the image is calibrated), area_unit, defect_area_px.
// (For maps, masks and overlay PNGs of a whole folder, see Plugins > Anomaly Detection > Batch Detect Anomalies.)

args = getArgument();
model = option(args, "model", "");
input = option(args, "input", "");
csv = option(args, "csv", "");
if (model == "") model = File.openDialog("AnomalyJ model file (.zip)");
if (input == "") input = getDirectory("Folder of images to inspect");
if (csv == "") csv = input + "anomalies.csv";
if (!endsWith(input, File.separator) && !endsWith(input, "/")) input = input + File.separator;

setBatchMode(true);
run("Clear Results");
files = getFileList(input);
inspected = 0;
for (i = 0; i < files.length; i++) {
	if (!isImage(files[i])) continue;
	open(input + files[i]);
	// One Results row per image (per slice for a stack); nothing drawn, nothing added to the ROI Manager.
	run("Detect Anomalies...", "model=[" + model + "] overlay=false opacity=0.5 roi_manager=false results=true map=false mask=false min_area=0 device=auto");
	close();
	inspected++;
}
saveAs("Results", csv);
setBatchMode(false);
print("AnomalyJ: inspected " + inspected + " images of " + input + "; results in " + csv);

function isImage(name) {
	return matches(toLowerCase(name), ".*\\.(png|jpe?g|tiff?|bmp)$");
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
