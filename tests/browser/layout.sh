#!/usr/bin/env bash
# Lay out a report in headless Chromium at a given width and list every
# element wider than the page or reaching past its right edge, and every
# section heading with nothing under it or a count of none ("(0)"). The report forbids scripts (its CSP),
# so a wrapper page measures it in a same-origin frame.
# Usage: layout.sh CHROME REPORT.html WIDTH OUT.txt  (exit 0 and OUT says "ok", or lists)
set -uo pipefail
CHROME=$1 REPORT=$2 WIDTH=$3 OUT=$4
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT
cp "$REPORT" "$D/report.html"
cat >"$D/measure.html" <<HTML
<!DOCTYPE html><html><body style="margin:0">
<iframe id="f" src="report.html" style="width:${WIDTH}px;height:3000px;border:0"></iframe>
<pre id="out">pending</pre>
<script>
document.getElementById('f').addEventListener('load', function () {
  var doc = this.contentDocument, w = doc.documentElement.clientWidth, bad = [];
  if (!doc || !doc.body) { document.getElementById('out').textContent = 'no document'; return; }
  doc.querySelectorAll('body *').forEach(function (e) {
    var r = e.getBoundingClientRect();
    if (r.width > 0 && (r.right > w + 1 || r.left < -1))
      bad.push('overflow ' + e.tagName + (e.id ? '#' + e.id : '') + ' right=' + Math.round(r.right) + ' width=' + w);
  });
  doc.querySelectorAll('svg text').forEach(function (t) {
    var s = t.ownerSVGElement.getBoundingClientRect(), r = t.getBoundingClientRect();
    if (r.left < s.left - 1 || r.right > s.right + 1)
      bad.push('clipped label "' + t.textContent + '"');
  });
  doc.querySelectorAll('h2').forEach(function (h) {
    var n = h.nextElementSibling;
    if (!n || /^H[12]$/.test(n.tagName) || /^\s*None\.?\s*$/.test(n.textContent) ||
        /\(0\)\s*$/.test(h.textContent))
      bad.push('empty section "' + h.textContent + '"');
  });
  document.getElementById('out').textContent = bad.length ? bad.join('\n') : 'ok';
});
</script></body></html>
HTML
timeout 120 "$CHROME" --headless --no-sandbox --disable-gpu --no-first-run \
    --allow-file-access-from-files --user-data-dir="$D/profile" --window-size=$((WIDTH + 40)),3000 \
    --virtual-time-budget=10000 --dump-dom "file://$D/measure.html" 2>/dev/null >"$D/dom.html"
awk '/<pre id="out">/ { f = 1 } f { print } /<\/pre>/ { if (f) exit }' "$D/dom.html" |
    sed 's:.*<pre id="out">::; s:</pre>.*::' | sed '/^$/d' >"$OUT"
[ -s "$OUT" ] || echo "no result from the measuring page" >"$OUT"
