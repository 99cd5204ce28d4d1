# Trust boundaries for files (issue 11, docs/security.md): the modes of new
# stores and of the folders made for them whatever the umask, and outputs
# (report, hand-off) never written through a link planted at their path. The
# attacks that need root (a planted -wal, planted or changed kept files, a
# rollback run from another user's folder) are in tests/unit/test_trust.c and
# tests/unit/test_apply_real.c.

### trust-1.1: under umask 000, init makes the store 0600 and the default location's folders 0700
! mkdir -p "$T/u/a" && chmod 700 "$T/u" "$T/u/a"
! (umask 000 && "$PL" --db "$T/u/a/store.db" --now 2026-11-29T00:00:00Z init >/dev/null)
! (umask 000 && env -u PATCHLINE_DB XDG_DATA_HOME="$T/xdg" "$PL" init >/dev/null)
$ --db $T/u/a/store.db --now 2026-11-29T00:00:00Z init
>* ready

### trust-1.2: ... as the modes show (the XDG folders too)
! test "$(stat -c %a "$T/u/a/store.db")" = 600
! test "$(stat -c %a "$T/xdg/patchline/patchline.db")" = 600 && test "$(stat -c %a "$T/xdg")" = 700 && test "$(stat -c %a "$T/xdg/patchline")" = 700
$ --db $T/u/a/store.db --now 2026-11-29T12:00:00Z snapshot
> snapshot 2026-11-29: 0 open findings

### trust-2.1: report -o through a symbolic link planted at the path is refused
! printf 'secret\n' >"$T/victim" && ln -s "$T/victim" "$T/r.html"
$ --db $T/u/a/store.db --now 2026-11-29T12:00:00Z report -o $T/r.html
? 1
2> patchline: report: cannot write '$T/r.html': it is a symbolic link (refusing to follow it)

### trust-2.2: ... and through a hard link to another file
! test "$(cat "$T/victim")" = secret && ln "$T/victim" "$T/h.html"
$ --db $T/u/a/store.db --now 2026-11-29T12:00:00Z report -o $T/h.html
? 1
2> patchline: report: cannot write '$T/h.html': it has 2 hard links (refusing to write through them)

### trust-2.3: the target is untouched; an ordinary path is written (and replaced)
! test "$(cat "$T/victim")" = secret && printf 'a much longer old content than the report\n%.0s' 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 >"$T/r.md"
$ --db $T/u/a/store.db --now 2026-11-29T12:00:00Z report --format md -o $T/r.md

### trust-2.4: ... with the report only (the old longer content truncated)
! head -1 "$T/r.md" | grep -q '^# Patchline monthly report' && ! grep -q 'old content' "$T/r.md"
$ --db $T/u/a/store.db --now 2026-11-29T12:00:00Z report --format md
>* # Patchline monthly report

### trust-3.1: handoff -o with a folder below it planted as a link is refused
! mkdir -p "$T/ho" "$T/elsewhere" && ln -s "$T/elsewhere" "$T/ho/ssm"
$ handoff ssm --plan-json $FIX/handoff/plan.json -o $T/ho
? 1
2> cannot write under '$T/ho/ssm': it is a symbolic link or no folder (refusing to follow it)

### trust-3.2: ... nothing was written through it, and a clean folder works
! test -z "$(ls -A "$T/elsewhere")"
$ handoff ssm --plan-json $FIX/handoff/plan.json -o $T/ho2
>* $T/ho2/ssm/apply.sh
