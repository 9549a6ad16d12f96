#!/usr/bin/env bash
# The run report as a scientist opens it (issue 13): the bundled sample plus
# a model whose gpp is a factor 1 000 off (its unit string says gC where the
# values are kgC), converted, checked and reported in a graph of its own.
# Then the page in headless Chromium: every picture it names exists, parses
# as SVG and loads (counted in the page's own DOM through a wrapper page),
# and a 1400-pixel-wide screenshot is taken ($T2I_SHOT, or a temporary
# file). Without chromium those checks are skipped, said so, not passed.
#
# Each check prints "ok   <what>" or "FAIL <what>"; the last line is the
# tally "N passed, M failed". Environment: T2I_ROOT.
. "$(dirname "$0")/lib.sh"
cd "$root" || exit 3
arch=$tmp/archive
cp -r sample "$arch"
mkdir -p "$arch/BADGPP/S3"
sed 's/kgC m-2 s-1/gC m-2 s-1/; s/CLM6.0_S3_gpp/BADGPP_S3_gpp/' \
    sample/CLM5.0/S3/CLM6.0_S3_gpp.cdl >"$arch/BADGPP/S3/BADGPP_S3_gpp.cdl"
./generate.py --input "$arch" --out "$tmp/out" -o "$tmp/build.ninja" --builddir "$tmp/b" \
    >/dev/null
check "the archive converts and every check passes" ninja -f "$tmp/build.ninja" -j2 check
check "ninja report builds" ninja -f "$tmp/build.ninja" report
rep=$tmp/out/report
check "outliers: BADGPP gpp, 1/1000 of the others, with dir, variable, value, median" \
    python3 - "$rep/report.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
out = d['outliers']
print(out)
bad = [o for o in out if o['dir'] == 'BADGPP' and o['variable'] == 'gpp']
ok = len(bad) == 1 and bad[0]['value'] < bad[0]['median'] / 300 and \
    not [o for o in out if o['dir'] != 'BADGPP']
sys.exit(0 if ok else 1)
PY
check "report.json says which land rule each directory used" python3 -c "
import json, sys
land = {x['dir']: x['rule'] for x in json.load(open('$rep/report.json'))['land']}
sys.exit(0 if land['IBIS'] == 'ocean_cover_frac' and land['CLM5.0_S2'] == 'ocean_cover_frac'
         and land['LPJ-GUESS'] == 'none' else 1)"
n=$(ls "$tmp"/out/check/*/*.json | wc -l)
check "the page names every picture once: a map and a series per output ($n), a plot per variable" \
    bash -c "test \$(grep -o 'src=\"img/[^\"]*_map.svg\"' '$rep/index.html' | sort -u | wc -l) -eq $n &&
        test \$(grep -o 'src=\"img/[^\"]*_series.svg\"' '$rep/index.html' | sort -u | wc -l) -eq $n &&
        grep -q 'src=\"img/totals_S3_gpp.svg\"' '$rep/index.html'"
check "every picture exists and parses as SVG (xml.etree), with no script or link out" \
    python3 - "$rep" <<'PY'
import os, re, sys, xml.etree.ElementTree as ET
rep = sys.argv[1]
names = set(re.findall(r'src="([^"]+)"', open(os.path.join(rep, 'index.html')).read()))
bad = 0
for n in sorted(names):
    path = os.path.join(rep, n)
    try:
        root = ET.parse(path).getroot()
        text = open(path).read()
        if root.tag != '{http://www.w3.org/2000/svg}svg' or '<script' in text or \
                re.search(r'href="(?!data:|#)', text):
            raise ValueError('not a self-contained SVG')
    except (OSError, ET.ParseError, ValueError) as e:
        print(n, e)
        bad += 1
print(len(names), 'pictures')
sys.exit(1 if bad or not names else 0)
PY
check "the page has no script" lacks "$rep/index.html" '<script'

chrome=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chrome" ]; then
    skip "Chromium loads every picture of the page (chromium is not installed)"
    skip "a 1400 x 3000 screenshot is written (chromium is not installed)"
    tally
    exit
fi
# The wrapper counts, inside Chromium, the pictures of the page that loaded.
cat >"$tmp/wrap.html" <<EOF2
<!DOCTYPE html><html><body><iframe id="f" src="file://$rep/index.html"
 width="1400" height="900"></iframe><pre id="r">pending</pre><script>
document.getElementById('f').onload = function () {
  var imgs = this.contentDocument.images, ok = 0, bad = [];
  for (var i = 0; i < imgs.length; i++)
    if (imgs[i].complete && imgs[i].naturalWidth > 0) ok++;
    else bad.push(imgs[i].getAttribute('src'));
  document.getElementById('r').textContent = 'IMAGES ' + imgs.length + ' LOADED ' + ok +
    ' BROKEN ' + bad.join(' ');
};
</script></body></html>
EOF2
flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --allow-file-access-from-files)
timeout 120 "$chrome" "${flags[@]}" --virtual-time-budget=20000 --dump-dom \
    "file://$tmp/wrap.html" >"$tmp/dom.html" 2>"$tmp/chrome.err"
check "Chromium loads every picture of the page ($(grep -o 'IMAGES [0-9]* LOADED [0-9]*' "$tmp/dom.html"))" \
    bash -c "grep -Eq 'IMAGES ([0-9]+) LOADED \1 BROKEN <' '$tmp/dom.html' &&
        ! grep -q 'IMAGES 0 ' '$tmp/dom.html'"
shot=${T2I_SHOT:-$tmp/shot.png}
timeout 120 "$chrome" "${flags[@]}" --screenshot="$shot" --window-size=1400,3000 \
    "file://$rep/index.html" >/dev/null 2>&1
check "a 1400 x 3000 screenshot is written ($shot)" python3 -c "
import struct, sys
b = open('$shot', 'rb').read(24)
sys.exit(0 if b[:8] == b'\x89PNG\r\n\x1a\n' and struct.unpack('>II', b[16:24]) == (1400, 3000) else 1)"
tally
