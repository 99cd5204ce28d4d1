# patchline vercmp (issue 2 item 6): two arguments, or a<TAB>b lines on stdin.
skip-without-shared

### vercmp-1.1: dpkg order, tilde before release
$ vercmp --scheme dpkg 1.0~rc1-1 1.0-1
> -1

### vercmp-1.2: equal under normalisation, and greater
$ vercmp --scheme pep440 1.0.0 v1.0
> 0

### vercmp-1.3: rpm EVR with epoch
$ vercmp --scheme rpm 1:1.0-1 2.0-1
> 1

### vercmp-1.4: an invalid first version names the argument and the reason
$ vercmp --scheme dpkg 1: 2
? 1
2> patchline: vercmp: first version: invalid dpkg version '1:': nothing after colon in version number

### vercmp-1.5: an invalid second version
$ vercmp --scheme semver 1.0.0 1.0
? 1
2> patchline: vercmp: second version: invalid semver version '1.0': expected MAJOR.MINOR.PATCH

### vercmp-1.6: unknown scheme is a usage error
$ vercmp --scheme deb 1 2
? 2
2> unknown scheme 'deb'

### vercmp-1.7: one version only is a usage error
$ vercmp --scheme dpkg 1
? 2
2> want two versions, got 1

### vercmp-1.8: --scheme is required
$ vercmp 1 2
? 2
2> --scheme is required

### vercmp-1.9: never creates a store, even with --db
$ --db $T/never/store.db vercmp --scheme apk3 1.2-r1 1.2-r2
> -1

### vercmp-1.10: the store file did not appear
! test ! -e "$T/never/store.db" && test ! -e "$T/never"
$ --db $T/none.db vercmp --scheme maven 1.0-SNAPSHOT 1.0
> -1

### vercmp-1.11: the store file did not appear either
! test ! -e "$T/none.db"
$ vercmp --scheme maven 1-sp 1
> 1

### vercmp-2.1: stdin mode, one result per line, invalid lines reported
< 1.0	2.0
< 2:1	1:9
< no tab here
< 1:	1
< 1.0	
< 1.0~	1.0
$ vercmp --scheme dpkg
> -1
> 1
> invalid: line has no tab between the two versions
> invalid: first version: invalid dpkg version '1:': nothing after colon in version number
> invalid: second version: invalid dpkg version '': version string is empty
> -1

### vercmp-2.2: stdin mode over every dpkg case agrees with the expected column
! tail -n +2 "$SHARED/version_compare/dpkg_version_cases.tsv" | cut -f1,2 >"$T/in" && tail -n +2 "$SHARED/version_compare/dpkg_version_cases.tsv" | cut -f3 >"$T/want"
! tail -n +2 "$SHARED/version_compare/dpkg_oracle_real_debian_versions.tsv" | cut -f1,2 >>"$T/in" && tail -n +2 "$SHARED/version_compare/dpkg_oracle_real_debian_versions.tsv" | cut -f3 >>"$T/want"
$ vercmp --scheme dpkg <"$T/in" | diff - "$T/want" && echo same-1823
> same-1823

### vercmp-2.3: stdin mode over every rpmvercmp case
! tail -n +2 "$SHARED/version_compare/rpm_rpmvercmp_cases.tsv" | cut -f1,2 >"$T/rin" && tail -n +2 "$SHARED/version_compare/rpm_rpmvercmp_cases.tsv" | cut -f3 >"$T/rwant"
$ vercmp --scheme rpmvercmp <"$T/rin" | diff - "$T/rwant" && wc -l <"$T/rwant"
> 91

### vercmp-2.4: stdin mode over the apk3 order rows (<, >, =): valid pairs match, invalid ones say so
! awk -F'\t' 'NR>1 && ($2=="<"||$2==">"||$2=="=") {print $1"\t"$3}' "$SHARED/version_compare/apk_version_cases.tsv" >"$T/ain"
! awk -F'\t' 'NR>1 && ($2=="<"||$2==">"||$2=="=") {print ($2=="<")?"-1":($2==">")?"1":"0"}' "$SHARED/version_compare/apk_version_cases.tsv" >"$T/awant"
$ vercmp --scheme apk3 <"$T/ain" | paste - "$T/awant" | awk -F'\t' '$1 ~ /^invalid/ {inv++; next} $1 != $2 {bad++} END {print NR " rows, " inv+0 " invalid, " bad+0 " disagree"}'
> 738 rows, 2 invalid, 0 disagree

### vercmp-2.5: stdin mode, apk3 valid and invalid rows
! awk -F'\t' 'NR>1 && ($2=="valid"||$2=="invalid") {print $1"\t1"}' "$SHARED/version_compare/apk_version_cases.tsv" >"$T/vin"
$ vercmp --scheme apk3 <"$T/vin" | awk '{ if ($1 == "invalid:") i++; else v++ } END { print v " valid, " i " invalid" }'
> 6 valid, 25 invalid
