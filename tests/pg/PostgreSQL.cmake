# PostgreSQL in the test suite (docs/store.md, "Testing on PostgreSQL"): a
# throwaway cluster started by the fixture test pg_cluster_start and removed
# by pg_cluster_stop (tests/pg/cluster.sh). Its socket folder is fixed per
# build folder, short enough for a unix socket path, so that the URL is
# known when the tests are defined; tests that need the cluster name the
# fixture "pg" and read the URL from PATCHLINE_TEST_PG. Without PostgreSQL
# the start is skipped (exit 77) and so are the tests that need it.
string(MD5 pl_pg_hash "${PROJECT_BINARY_DIR}")
string(SUBSTRING "${pl_pg_hash}" 0 12 pl_pg_hash)
set(PL_PG_DIR "/tmp/patchline-pg-${pl_pg_hash}")
set(PL_PG_URL "postgresql:///postgres?host=${PL_PG_DIR}&user=postgres")

add_test(NAME pg_cluster_start COMMAND ${CMAKE_CURRENT_LIST_DIR}/cluster.sh start ${PL_PG_DIR})
# (PL_REQUIRE_PG=1 in the environment of ctest, as scripts/test sets it, makes a
# missing PostgreSQL a failure instead)
set_tests_properties(pg_cluster_start PROPERTIES FIXTURES_SETUP pg LABELS "pg" SKIP_RETURN_CODE 77)
add_test(NAME pg_cluster_stop COMMAND ${CMAKE_CURRENT_LIST_DIR}/cluster.sh stop ${PL_PG_DIR})
set_tests_properties(pg_cluster_stop PROPERTIES FIXTURES_CLEANUP pg LABELS "pg")

# pl_pg_test(TEST): TEST needs the cluster.
function(pl_pg_test test)
  set_property(TEST ${test} APPEND PROPERTY ENVIRONMENT "PATCHLINE_TEST_PG=${PL_PG_URL}")
  set_property(TEST ${test} APPEND PROPERTY FIXTURES_REQUIRED pg)
  set_property(TEST ${test} APPEND PROPERTY LABELS pg)
endfunction()

# Many clients at once on a server whose request threads each hold a connection.
add_test(NAME server_concurrency_pg COMMAND ${CMAKE_CURRENT_LIST_DIR}/../server/concurrency.sh
  $<TARGET_FILE:patchline> pg)
set_tests_properties(server_concurrency_pg PROPERTIES LABELS server SKIP_RETURN_CODE 77 TIMEOUT 600)
pl_pg_test(server_concurrency_pg)

# The migrations as PostgreSQL runs them give the schema of a SQLite store.
pl_pg_test(test_store_dialect)
# The backend layer itself on PostgreSQL (its SQLite twin, test_db_sqlite, always runs).
pl_pg_test(test_db_pg)
# --db / PATCHLINE_DB naming a database: passwords refused, no folder made, init on PostgreSQL.
pl_pg_test(cli_pg_target)

# The store end to end on PostgreSQL: init, feed import, inventory collect, scan, findings.
pl_pg_test(cli_pg_store)
# `store copy` of a demo store into PostgreSQL and back (its own $PG database).
pl_pg_test(cli_store_copy)
set_tests_properties(cli_store_copy PROPERTIES TIMEOUT 1800)
# Four writers at once on one database: nothing lost, the audit chain whole.
pl_pg_test(cli_pg_concurrency)
# The database roles of docs/store.md, as written: owner, application, reporting.
add_test(NAME pg_roles COMMAND ${CMAKE_CURRENT_LIST_DIR}/roles.sh $<TARGET_FILE:patchline>)
set_tests_properties(pg_roles PROPERTIES SKIP_RETURN_CODE 77)
pl_pg_test(pg_roles)

# The PostgreSQL pass (label pg-pass): the store, match, policy, plan and report
# tests again, with their stores in databases of the cluster (PL_TEST_BACKEND=postgresql:
# tests/cli/run.sh's $DB, tests/unit/test_store_target.h). scripts/test registers it in
# its Release build (-DPL_PG_PASS=ON, no sanitizers, to save time) and runs it after the
# ASan suite. Tests left out are listed with the reason in docs/store.md, "What runs
# on PostgreSQL", not here.
option(PL_PG_PASS "register the PostgreSQL pass of the store tests (label pg-pass)" OFF)
set(PL_PG_PASS_UNIT test_plan_store test_distro test_intel test_report test_match test_session
  test_agent_claim test_agent_delta test_inventory test_import_infra test_report_render)
# Every CLI case file whose store passes on PostgreSQL; those left out are
# listed with the reason in docs/store.md ("What runs on PostgreSQL").
set(PL_PG_PASS_CLI
  appliance_shared apply apply_root auth aws_query clock controls core cvss debian_shared decided
  delta_shared dss_shared due_escalation eol_clock eol_shared exception feed feed_dir feed_trust feeds_shared gate gate-shared
  handoff handoff_rollout import_infra import_scan inventory nofix notify os_eol plan plan_reject policy
  report report_periods report_rollouts scan scanner_facts soak stream synth synth_index third_party
  third_party_shared trust_escape trust_files truth ubuntu ubuntu_shared updateinfo updateinfo_shared vercmp
  vex_feed window windows windows_products_shared windows_reports windows_shared
  debian_kernel_shared debian_states_shared eol_import_shared handoff_intune handoff_results
  handoff_thirdparty kev_as_of livepatch_shared release_age_shared repo_offers store_lean
  scan_by_name ubuntu_kernel_shared vendor_shared witness)
if(PL_PG_PASS)
  foreach(name IN LISTS PL_PG_PASS_UNIT)
    add_test(NAME ${name}_pg
      COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/unit/skip-status.sh $<TARGET_FILE:${name}>)
    set_tests_properties(${name}_pg PROPERTIES LABELS "unit;pg-pass" SKIP_RETURN_CODE 77
      ENVIRONMENT "PL_TEST_BACKEND=postgresql;PL_SOURCE_DIR=${PROJECT_SOURCE_DIR};PL_SHARED_DATA=${PROJECT_SOURCE_DIR}/../shared/data;PL_BINARY=$<TARGET_FILE:patchline>")
    pl_pg_test(${name}_pg)
  endforeach()
  foreach(name IN LISTS PL_PG_PASS_CLI)
    add_test(NAME cli_${name}_pg
      COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/cli/run.sh $<TARGET_FILE:patchline>
              ${CMAKE_CURRENT_SOURCE_DIR}/cli/${name}.t)
    set_tests_properties(cli_${name}_pg PROPERTIES LABELS "cli;pg-pass" SKIP_RETURN_CODE 77
      ENVIRONMENT "PL_TEST_BACKEND=postgresql;PL_SOURCE_DIR=${PROJECT_SOURCE_DIR};PL_SHARED_DATA=${PROJECT_SOURCE_DIR}/../shared/data")
    pl_pg_test(cli_${name}_pg)
  endforeach()
endif()
