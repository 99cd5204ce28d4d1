# bench/match.sh: matching at estate scale, side by side with debsecan. It drives the
# `patchline` binary itself (inventory synthesize, scan) and the Python tools in
# bench/debsecan/, so there is no C target to build here.
