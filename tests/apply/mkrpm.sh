#!/usr/bin/env bash
# Build the rpm test packages: pltest-app 1.0-1 and 2.0-1 (noarch, a %post
# that writes /var/lib/pltest/marker in the root), and pltest-sh 1.0-1, which
# provides /bin/sh (the root's busybox) so that rpm's dependency check of the
# %post interpreter passes without --nodeps. Usage: mkrpm.sh OUTDIR
# Debian's rpmbuild builds them; there is no dnf on Debian, so the tests
# install them with rpm itself.
set -euo pipefail
out=$1
mkdir -p "$out"
out=$(cd "$out" && pwd)
top=$out/rpmbuild
mkdir -p "$top"/{SPECS,BUILD,RPMS,SRPMS,SOURCES,BUILDROOT}
for v in 1.0 2.0; do
    cat >"$top/SPECS/pltest-$v.spec" <<SPEC
Name: pltest-app
Version: $v
Release: 1
Summary: Patchline apply test package
License: MIT
BuildArch: noarch
%description
Built by tests/apply/mkrpm.sh.
%install
mkdir -p %{buildroot}/usr/share/pltest-app
echo "pltest-app $v" >%{buildroot}/usr/share/pltest-app/VERSION
%post
mkdir -p /var/lib/pltest
echo "configured $v-1" >/var/lib/pltest/marker
%files
/usr/share/pltest-app/VERSION
SPEC
    rpmbuild --quiet --define "_topdir $top" --define "_dbpath $top/db" -bb "$top/SPECS/pltest-$v.spec" >/dev/null 2>&1
done
cat >"$top/SPECS/pltest-sh.spec" <<SPEC
Name: pltest-sh
Version: 1.0
Release: 1
Summary: Patchline test root shell (busybox, put there by mkroot.sh)
License: MIT
BuildArch: noarch
Provides: /bin/sh
%description
Declares the busybox shell of a test root to rpm.
%files
SPEC
rpmbuild --quiet --define "_topdir $top" -bb "$top/SPECS/pltest-sh.spec" >/dev/null 2>&1
mv "$top"/RPMS/noarch/*.rpm "$out/"
rm -rf "$top"
