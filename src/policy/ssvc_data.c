/*
 * ssvc_data.c - the SSVC decision tables Patchline uses, embedded as data.
 *
 * Tables from CERTCC/SSVC data/ (commit e3b00a25615845960cec9caa1388064739f17728),
 * Copyright 2026 Carnegie Mellon University, MIT (SEI)-style licence:
 *   csv/cisa/cisa_coordinator_2_0_3.csv               (CISA Coordinator 2.0.3)
 *   csv/ssvc/deployer_patch_application_priority_1_0_0.csv (Deployer 1.0.0)
 * Rows are kept in the tables' own order; tests/unit/test_ssvc.c compares
 * every row with the CSV files.
 */
#include "patchline/policy.h"

#include "ssvc_tables.h"

/* row: exploitation, automatable, technical impact, mission and well-being impact */
const struct pl__cisa_row pl__cisa_table[PL__CISA_ROWS] = {
    {0, 0, 0, 0, PL_CISA_TRACK},      {0, 0, 0, 1, PL_CISA_TRACK},
    {0, 0, 0, 2, PL_CISA_TRACK},      {0, 0, 1, 0, PL_CISA_TRACK},
    {0, 0, 1, 1, PL_CISA_TRACK},      {0, 0, 1, 2, PL_CISA_TRACK_STAR},
    {0, 1, 0, 0, PL_CISA_TRACK},      {0, 1, 0, 1, PL_CISA_TRACK},
    {0, 1, 0, 2, PL_CISA_ATTEND},     {0, 1, 1, 0, PL_CISA_TRACK},
    {0, 1, 1, 1, PL_CISA_TRACK},      {0, 1, 1, 2, PL_CISA_ATTEND},
    {1, 0, 0, 0, PL_CISA_TRACK},      {1, 0, 0, 1, PL_CISA_TRACK},
    {1, 0, 0, 2, PL_CISA_TRACK_STAR}, {1, 0, 1, 0, PL_CISA_TRACK},
    {1, 0, 1, 1, PL_CISA_TRACK_STAR}, {1, 0, 1, 2, PL_CISA_ATTEND},
    {1, 1, 0, 0, PL_CISA_TRACK},      {1, 1, 0, 1, PL_CISA_TRACK},
    {1, 1, 0, 2, PL_CISA_ATTEND},     {1, 1, 1, 0, PL_CISA_TRACK},
    {1, 1, 1, 1, PL_CISA_TRACK_STAR}, {1, 1, 1, 2, PL_CISA_ATTEND},
    {2, 0, 0, 0, PL_CISA_TRACK},      {2, 0, 0, 1, PL_CISA_TRACK},
    {2, 0, 0, 2, PL_CISA_ATTEND},     {2, 0, 1, 0, PL_CISA_TRACK},
    {2, 0, 1, 1, PL_CISA_ATTEND},     {2, 0, 1, 2, PL_CISA_ACT},
    {2, 1, 0, 0, PL_CISA_ATTEND},     {2, 1, 0, 1, PL_CISA_ATTEND},
    {2, 1, 0, 2, PL_CISA_ACT},        {2, 1, 1, 0, PL_CISA_ATTEND},
    {2, 1, 1, 1, PL_CISA_ACT},        {2, 1, 1, 2, PL_CISA_ACT},
};

/* row: exploitation, system exposure, automatable, human impact */
const struct pl__deployer_row pl__deployer_table[PL__DEPLOYER_ROWS] = {
    {0, 0, 0, 0, PL_DSOI_DEFER},        {0, 0, 0, 1, PL_DSOI_DEFER},
    {0, 0, 0, 2, PL_DSOI_SCHEDULED},    {0, 0, 0, 3, PL_DSOI_SCHEDULED},
    {0, 0, 1, 0, PL_DSOI_DEFER},        {0, 0, 1, 1, PL_DSOI_SCHEDULED},
    {0, 0, 1, 2, PL_DSOI_SCHEDULED},    {0, 0, 1, 3, PL_DSOI_SCHEDULED},
    {0, 1, 0, 0, PL_DSOI_DEFER},        {0, 1, 0, 1, PL_DSOI_SCHEDULED},
    {0, 1, 0, 2, PL_DSOI_SCHEDULED},    {0, 1, 0, 3, PL_DSOI_SCHEDULED},
    {0, 1, 1, 0, PL_DSOI_SCHEDULED},    {0, 1, 1, 1, PL_DSOI_SCHEDULED},
    {0, 1, 1, 2, PL_DSOI_SCHEDULED},    {0, 1, 1, 3, PL_DSOI_SCHEDULED},
    {0, 2, 0, 0, PL_DSOI_DEFER},        {0, 2, 0, 1, PL_DSOI_SCHEDULED},
    {0, 2, 0, 2, PL_DSOI_SCHEDULED},    {0, 2, 0, 3, PL_DSOI_SCHEDULED},
    {0, 2, 1, 0, PL_DSOI_SCHEDULED},    {0, 2, 1, 1, PL_DSOI_SCHEDULED},
    {0, 2, 1, 2, PL_DSOI_SCHEDULED},    {0, 2, 1, 3, PL_DSOI_OUT_OF_CYCLE},
    {1, 0, 0, 0, PL_DSOI_DEFER},        {1, 0, 0, 1, PL_DSOI_SCHEDULED},
    {1, 0, 0, 2, PL_DSOI_SCHEDULED},    {1, 0, 0, 3, PL_DSOI_SCHEDULED},
    {1, 0, 1, 0, PL_DSOI_SCHEDULED},    {1, 0, 1, 1, PL_DSOI_SCHEDULED},
    {1, 0, 1, 2, PL_DSOI_SCHEDULED},    {1, 0, 1, 3, PL_DSOI_SCHEDULED},
    {1, 1, 0, 0, PL_DSOI_DEFER},        {1, 1, 0, 1, PL_DSOI_SCHEDULED},
    {1, 1, 0, 2, PL_DSOI_SCHEDULED},    {1, 1, 0, 3, PL_DSOI_SCHEDULED},
    {1, 1, 1, 0, PL_DSOI_SCHEDULED},    {1, 1, 1, 1, PL_DSOI_SCHEDULED},
    {1, 1, 1, 2, PL_DSOI_SCHEDULED},    {1, 1, 1, 3, PL_DSOI_OUT_OF_CYCLE},
    {1, 2, 0, 0, PL_DSOI_SCHEDULED},    {1, 2, 0, 1, PL_DSOI_SCHEDULED},
    {1, 2, 0, 2, PL_DSOI_SCHEDULED},    {1, 2, 0, 3, PL_DSOI_OUT_OF_CYCLE},
    {1, 2, 1, 0, PL_DSOI_SCHEDULED},    {1, 2, 1, 1, PL_DSOI_SCHEDULED},
    {1, 2, 1, 2, PL_DSOI_OUT_OF_CYCLE}, {1, 2, 1, 3, PL_DSOI_OUT_OF_CYCLE},
    {2, 0, 0, 0, PL_DSOI_SCHEDULED},    {2, 0, 0, 1, PL_DSOI_SCHEDULED},
    {2, 0, 0, 2, PL_DSOI_OUT_OF_CYCLE}, {2, 0, 0, 3, PL_DSOI_OUT_OF_CYCLE},
    {2, 0, 1, 0, PL_DSOI_SCHEDULED},    {2, 0, 1, 1, PL_DSOI_OUT_OF_CYCLE},
    {2, 0, 1, 2, PL_DSOI_OUT_OF_CYCLE}, {2, 0, 1, 3, PL_DSOI_OUT_OF_CYCLE},
    {2, 1, 0, 0, PL_DSOI_SCHEDULED},    {2, 1, 0, 1, PL_DSOI_SCHEDULED},
    {2, 1, 0, 2, PL_DSOI_OUT_OF_CYCLE}, {2, 1, 0, 3, PL_DSOI_OUT_OF_CYCLE},
    {2, 1, 1, 0, PL_DSOI_OUT_OF_CYCLE}, {2, 1, 1, 1, PL_DSOI_OUT_OF_CYCLE},
    {2, 1, 1, 2, PL_DSOI_OUT_OF_CYCLE}, {2, 1, 1, 3, PL_DSOI_OUT_OF_CYCLE},
    {2, 2, 0, 0, PL_DSOI_SCHEDULED},    {2, 2, 0, 1, PL_DSOI_OUT_OF_CYCLE},
    {2, 2, 0, 2, PL_DSOI_OUT_OF_CYCLE}, {2, 2, 0, 3, PL_DSOI_IMMEDIATE},
    {2, 2, 1, 0, PL_DSOI_OUT_OF_CYCLE}, {2, 2, 1, 1, PL_DSOI_OUT_OF_CYCLE},
    {2, 2, 1, 2, PL_DSOI_IMMEDIATE},    {2, 2, 1, 3, PL_DSOI_IMMEDIATE},
};
