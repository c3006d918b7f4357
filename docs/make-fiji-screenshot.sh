#!/usr/bin/env bash
# Remakes docs/images/imagej-detect-anomalies.png: plain ImageJ 1.54 under Xvfb with AnomalyJ installed as
# the README describes (AnomalyJ_.jar in plugins/, its libraries in plugins/jars/), a sample-data
# pitting image after Plugins > Anomaly Detection > Detect Anomalies...
# Needs: mvn package (target/lib), xvfb-run. Run from the repository root.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/plugins/jars" "$work/home/.imagej"
for j in target/lib/*.jar; do
  case "$(basename "$j")" in ij-*|scijava-common-*|parsington-*) ;; *) cp "$j" "$work/plugins/jars/" ;; esac
done
for j in target/anomalyj-*.jar; do
  case "$j" in *-cli.jar|*-sources.jar|*-tests.jar|*/anomalyj-cli.jar) ;; *) cp "$j" "$work/plugins/AnomalyJ_.jar" ;; esac
done
printf 'ij.x=0\nij.y=0\n' > "$work/home/.imagej/IJ_Prefs.txt"
export DJL_CACHE_DIR="$PWD/target/djl-cache" ENGINE_CACHE_DIR="$PWD/target/djl-cache"
java -jar target/anomalyj-cli.jar train --data sample-data/ball_screw --out "$work/model.zip" --device cpu
image="$PWD/sample-data/ball_screw/test/pitting/01_200907130634_560000_000_crop_2.jpg"
out="$PWD/docs/images/imagej-detect-anomalies.png"
cat > "$work/shot.ijm" <<MACRO
open("$image");
setLocation(0, 80);
run("Detect Anomalies...", "model=[$work/model.zip] overlay=true opacity=0.5 roi_manager=false results=true map=false mask=false min_area=0 device=cpu");
Table.setLocationAndSize(585, 80, 815, 255, "Results");
selectWindow("Log");
run("Close");
selectImage(1);
wait(1500);
run("Capture Screen");
makeRectangle(0, 0, 1400, 335);
run("Crop");
saveAs("PNG", "$out");
File.saveString("done", "$work/done");
run("Quit");
MACRO
xvfb-run -a -s "-screen 0 1400x800x24" timeout 180 java -Xmx2g -Duser.home="$work/home" -Dplugins.dir="$work" -Doffline=true \
  -cp target/lib/ij-*.jar ij.ImageJ -macro "$work/shot.ijm" || true
test -f "$work/done" && echo "wrote $out"
# Keep the repository small: 256 colours are plenty for a screenshot (Debian's python3-pil).
if /usr/bin/python3 -c "import PIL" 2>/dev/null; then
  /usr/bin/python3 -c "from PIL import Image; im = Image.open('$out').convert('RGB'); im.quantize(256, dither=Image.Dither.NONE).save('$out', optimize=True)"
fi
