# bench/api.sh drives `patchline serve` with wrk: it needs only the patchline binary.
