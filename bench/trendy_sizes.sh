#!/usr/bin/env bash
# Prints a TRENDY-shaped archive as "bytes<TAB>MODEL/SIM/MODEL_SIM_var.nc"
# lines (832 files, about 1 TB): 16 models, S0-S3, 9 monthly and 4 annual
# variables each. A file's size is its grid x time steps x 4 bytes (float32)
# times the model's storage factor (netCDF-4 deflate, or 1 for classic
# files), with a small per-variable spread so sizes are not all equal.
# Grids and first years are typical of TRENDY submissions, not any one
# release. Used by tests/slurm_test.sh (sparse files via truncate) and by
# bench/cluster_sim.sh; the same lines every time.
#
#   bench/trendy_sizes.sh
set -euo pipefail
awk 'BEGIN {
    OFS = "\t"
    # model nlon nlat first_year storage_factor
    split("CLASSIC 128 64 1701 1.0;CLM5.0 720 360 1700 0.55;" \
          "DLEM 720 360 1700 0.6;IBIS 720 360 1700 1.0;" \
          "ISAM 720 360 1700 0.5;ISBA-CTRIP 360 180 1700 1.0;" \
          "JSBACH 192 96 1700 1.0;JULES 192 144 1700 1.0;" \
          "LPJ-GUESS 720 360 1700 0.45;LPJmL 720 360 1700 0.5;" \
          "LPX-Bern 360 180 1700 1.0;OCN 720 360 1700 0.5;" \
          "ORCHIDEE 720 360 1700 0.5;SDGVM 360 180 1700 1.0;" \
          "VISIT 720 360 1700 0.5;YIBs 360 180 1700 1.0", models, ";")
    nm = split("gpp npp nbp ra rh fFire lai mrro evapotrans", monthly, " ")
    na = split("cVeg cSoil cLitter cProduct", annual, " ")
    split("S0 S1 S2 S3", sims, " ")
    last_year = 2023
    for (m = 1; m <= 16; m++) {
        split(models[m], f, " ")
        years = last_year - f[4] + 1
        for (s = 1; s <= 4; s++) {
            for (v = 1; v <= nm + na; v++) {
                name = v <= nm ? monthly[v] : annual[v - nm]
                steps = v <= nm ? 12 * years : years
                spread = 1 + ((m * 7 + v * 13 + s * 3) % 11 - 5) / 100
                bytes = int(f[2] * f[3] * steps * 4 * f[5] * spread) + 20000
                printf "%.0f\t%s\n", bytes, f[1] "/" sims[s] "/" f[1] "_" sims[s] "_" name ".nc"
            }
        }
    }
}'
