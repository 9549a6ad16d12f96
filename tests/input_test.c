/* Tests of src/input.c on small NetCDF files written here from CDL with
 * ncgen into a mktemp directory: axis discovery by attributes and by name,
 * dimension order, the data variable matched ignoring case, extra
 * dimensions, fill values and packing, bounds, chunking, models/ overrides,
 * slab reads, and every refusal word for word. */
#include "input.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "t2i.h"

/* Room for the temporary directory's name and for a path in it, in bytes. */
#define DIR_LEN 64
#define PATH_LEN 128

/* A t2i_input holds NC_MAX_VAR_DIMS dimension names (about 290 KB): each
 * test keeps its own in static storage, since a sanitizer build that
 * inlines the helpers would stack one per call and overflow 8 MiB. */

/* Length of the over-long units attribute: more than input.h's 255. */
#define LONG_UNITS_LEN 300

typedef struct {
    char dir[DIR_LEN];
} scratch;

/* Writes `cdl` to dir/name.cdl and turns it into dir/name.nc with
 * `ncgen -k kind`; returns the .nc path in `path` ("" when ncgen failed). */
static const char *make_nc(scratch *s, const char *name, const char *kind, const char *cdl,
                           char *path)
{
    char cdl_path[PATH_LEN], cmd[3 * PATH_LEN];
    snprintf(cdl_path, sizeof cdl_path, "%s/%s.cdl", s->dir, name);
    snprintf(path, PATH_LEN, "%s/%s.nc", s->dir, name);
    FILE *f = fopen(cdl_path, "w");
    if (!f)
        return strcpy(path, "");
    fputs(cdl, f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "ncgen -k %s -o '%s' '%s'", kind, path, cdl_path);
    if (system(cmd) != 0) {
        printf("     ncgen failed on %s\n", cdl_path);
        return strcpy(path, "");
    }
    return path;
}

/* The classic time (noleap), lat, lon coordinates of most fixtures:
 * two months, rows -45 and 45, columns 0, 120, 240. */
#define DIMS_TYX "dimensions:\n time = UNLIMITED ; lat = 2 ; lon = 3 ;\n"
#define COORD_VARS                                                                     \
    "variables:\n"                                                                     \
    " double time(time) ; time:units = \"days since 1850-01-01\" ;\n"                  \
    "   time:calendar = \"noleap\" ;\n"                                                \
    " float lat(lat) ; lat:units = \"degrees_north\" ;\n"                              \
    " float lon(lon) ; lon:units = \"degrees_east\" ;\n"
#define COORD_DATA                                                                     \
    "data:\n time = 15.5, 45 ;\n lat = -45, 45 ;\n lon = 0, 120, 240 ;\n"

static const char BASIC[] = "netcdf f {\n" DIMS_TYX COORD_VARS
                            " float gpp(time, lat, lon) ; gpp:_FillValue = -99999.f ;\n"
                            "   gpp:units = \"kgC m-2 s-1\" ;\n" COORD_DATA
                            " gpp = 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, _, 12 ;\n}\n";

static t2i_input_request request(const char *path, const char *var)
{
    t2i_input_request r;
    memset(&r, 0, sizeof r);
    r.path = path;
    r.var = var;
    return r;
}

/* Opens with `req`; returns the status and leaves in/notes/err filled. */
static int open_req(const t2i_input_request *req, t2i_input *in, t2i_notes *notes, char *err)
{
    memset(notes, 0, sizeof *notes);
    err[0] = '\0';
    return input_open(req, in, notes, err, T2I_ERRLEN);
}

/* The error of opening `var` in `path`, or "(accepted)". */
static const char *open_error(const char *path, const char *var, char *err)
{
    t2i_input_request req = request(path, var);
    static t2i_input in;
    t2i_notes notes;
    if (open_req(&req, &in, &notes, err) == T2I_OK) {
        input_close(&in);
        strcpy(err, "(accepted)");
    } else if (in.ncid != -1 || in.time || in.lat || in.lon) {
        strcpy(err, "(file or arrays left open after an error)");
    }
    return err;
}

/* `phrase` when it is one whole item of the "; "-joined list, else the
 * whole list (so a failing CHECK_STR shows what was recorded). */
static const char *note_item(const char *list, const char *phrase)
{
    size_t n = strlen(phrase);
    for (const char *p = list; (p = strstr(p, phrase)) != NULL; p++)
        if ((p == list || (p >= list + 2 && memcmp(p - 2, "; ", 2) == 0)) &&
            (p[n] == '\0' || memcmp(p + n, "; ", 2) == 0))
            return phrase;
    return list;
}

/* Checks that `phrase` is recorded in the list, as one or more whole items. */
#define CHECK_NOTE(t, list, phrase, desc) CHECK_STR(t, note_item(list, phrase), phrase, desc)

static int has_sentinel(const t2i_missing *m, double v)
{
    for (int i = 0; i < m->nsentinel; i++)
        if (m->sentinel[i] == v)
            return 1;
    return 0;
}

static void test_basic(t2i_tally *t, scratch *s)
{
    char path[PATH_LEN], err[T2I_ERRLEN];
    make_nc(s, "basic", "classic", BASIC, path);
    t2i_input_request req = request(path, "gpp");
    static t2i_input in;
    t2i_notes notes;
    int st = open_req(&req, &in, &notes, err);
    CHECK(t, st == T2I_OK, "a plain (time, lat, lon) file opens");
    if (st != T2I_OK) {
        printf("     %s\n", err);
        return;
    }
    CHECK(t, in.time_pos == 0 && in.lat_pos == 1 && in.lon_pos == 2,
          "time, lat and lon are found at positions 0, 1 and 2");
    CHECK(t, in.ntime == 2 && in.nlat == 2 && in.nlon == 3, "the axis lengths are 2, 2 and 3");
    CHECK(t, in.time[0] == 15.5 && in.time[1] == 45, "the raw time values are read");
    CHECK_STR(t, in.time_units, "days since 1850-01-01", "the time units are read");
    CHECK_STR(t, in.calendar, "noleap", "the calendar is read");
    CHECK(t, in.lat[0] == -45 && in.lat[1] == 45 && in.lon[2] == 240,
          "the latitude and longitude values are read");
    CHECK(t, in.lat_bnds == NULL && in.lon_bnds == NULL && in.time_bnds == NULL,
          "a file without bounds gives no bounds");
    CHECK_STR(t, in.units, "kgC m-2 s-1", "the variable's units are read");
    CHECK(t, in.xtype == NC_FLOAT && in.format == NC_FORMAT_CLASSIC,
          "the variable's type and the file's format are recorded");
    CHECK(t, in.scale_factor == 1.0 && in.add_offset == 0.0,
          "an unpacked variable has scale 1, offset 0");
    CHECK(t, in.missing.nsentinel == 2 && has_sentinel(&in.missing, -99999.0) &&
                 has_sentinel(&in.missing, (double)NC_FILL_FLOAT),
          "the sentinels are the declared _FillValue and netCDF's default float fill");
    CHECK(t, in.missing.valid_min == -INFINITY && in.missing.valid_max == INFINITY,
          "without valid_* attributes every finite value is valid");
    CHECK(t, in.chunk_time == 1, "a classic (contiguous) file is read one step per chunk");
    CHECK_STR(t, notes.quirks, "", "a plain file raises no quirk");
    CHECK(t, input_step_values(&in) == 6, "one time step is 2 x 3 values");
    double buf[6];
    size_t nvalues = 0;
    st = input_read_slab(&in, 1, 1, buf, &nvalues, err, sizeof err);
    CHECK(t, st == T2I_OK && nvalues == 6 && buf[0] == 7 && buf[3] == 10 && buf[4] == -99999.0 &&
                 buf[5] == 12,
          "reading step 1 gives its six raw values, the fill value unchanged");
    input_close(&in);
    input_close(&in);
    CHECK(t, in.ncid == -1 && in.time == NULL && in.lat == NULL,
          "closing twice is safe and leaves nothing open");
}

/* Dimensions found by name alone, coordinates carrying no attribute. */
static void check_names(t2i_tally *t, scratch *s, const char *name, const char *tn,
                        const char *yn, const char *xn, const char *desc)
{
    char cdl[2048], path[PATH_LEN], err[T2I_ERRLEN];
    snprintf(cdl, sizeof cdl,
             "netcdf f {\ndimensions:\n %s = 2 ; %s = 2 ; %s = 3 ;\nvariables:\n"
             " double %s(%s) ; %s:units = \"days since 1850-01-01\" ;\n"
             " float %s(%s) ; float %s(%s) ;\n float gpp(%s, %s, %s) ;\n"
             "data:\n %s = 15.5, 45 ;\n %s = -45, 45 ;\n %s = 0, 120, 240 ;\n}\n",
             tn, yn, xn, tn, tn, tn, yn, yn, xn, xn, tn, yn, xn, tn, yn, xn);
    make_nc(s, name, "classic", cdl, path);
    t2i_input_request req = request(path, "gpp");
    static t2i_input in;
    t2i_notes notes;
    int st = open_req(&req, &in, &notes, err);
    CHECK(t, st == T2I_OK && in.time_pos == 0 && in.lat_pos == 1 && in.lon_pos == 2, desc);
    if (st == T2I_OK)
        input_close(&in);
    else
        printf("     %s\n", err);
}

static void test_names(t2i_tally *t, scratch *s)
{
    check_names(t, s, "n_latitude", "time", "latitude", "longitude",
                "axes named time, latitude, longitude are found by name");
    check_names(t, s, "n_yx", "t", "y", "x", "axes named t, y, x are found by name");
    check_names(t, s, "n_upper", "TIME", "LAT", "LON",
                "axis names are matched ignoring case (TIME, LAT, LON)");
}

/* Dimensions whose names say nothing, found by their coordinates'
 * attributes: standard_name, axis and units. */
static void test_attributes(t2i_tally *t, scratch *s)
{
    static const char cdl[] =
        "netcdf f {\ndimensions:\n step = 2 ; rows = 2 ; cols = 3 ;\nvariables:\n"
        " double step(step) ; step:units = \"hours since 1850-01-01 00:00:00\" ;\n"
        " float rows(rows) ; rows:standard_name = \"latitude\" ;\n"
        " float cols(cols) ; cols:axis = \"X\" ;\n"
        " float gpp(step, rows, cols) ;\n"
        "data:\n step = 372, 1080 ;\n rows = -45, 45 ;\n cols = 0, 120, 240 ;\n}\n";
    static const char units_cdl[] =
        "netcdf f {\ndimensions:\n a = 2 ; b = 2 ; c = 3 ;\nvariables:\n"
        " double a(a) ; a:axis = \"T\" ;\n"
        " float b(b) ; b:units = \"degree_N\" ;\n"
        " float c(c) ; c:units = \"degrees_east\" ;\n"
        " float gpp(a, c, b) ;\n"
        "data:\n a = 0, 31 ;\n b = -45, 45 ;\n c = 0, 120, 240 ;\n}\n";
    char path[PATH_LEN], err[T2I_ERRLEN];
    make_nc(s, "attrs", "classic", cdl, path);
    t2i_input_request req = request(path, "gpp");
    static t2i_input in;
    t2i_notes notes;
    int st = open_req(&req, &in, &notes, err);
    CHECK(t, st == T2I_OK && in.time_pos == 0 && in.lat_pos == 1 && in.lon_pos == 2,
          "time by 'since' units, latitude by standard_name and longitude by axis are found");
    if (st == T2I_OK)
        input_close(&in);
    make_nc(s, "attrs_units", "classic", units_cdl, path);
    req = request(path, "gpp");
    st = open_req(&req, &in, &notes, err);
    CHECK(t, st == T2I_OK && in.time_pos == 0 && in.lat_pos == 2 && in.lon_pos == 1,
          "time by axis T, latitude by degree_N and longitude by degrees_east are found");
    if (st == T2I_OK)
        input_close(&in);
}

static void test_transposed(t2i_tally *t, scratch *s)
{
    static const char cdl[] = "netcdf f {\n" DIMS_TYX COORD_VARS
                              " float gpp(time, lon, lat) ;\n" COORD_DATA "}\n";
    char path[PATH_LEN], err[T2I_ERRLEN];
    make_nc(s, "transposed", "classic", cdl, path);
    t2i_input_request req = request(path, "gpp");
    static t2i_input in;
    t2i_notes notes;
    int st = open_req(&req, &in, &notes, err);
    CHECK(t, st == T2I_OK && in.lon_pos == 1 && in.lat_pos == 2 && in.nlat == 2 && in.nlon == 3,
          "a (time, lon, lat) variable has longitude at 1 and latitude at 2");
    CHECK_NOTE(t, notes.quirks, "dimension order has longitude before latitude",
              "longitude before latitude is recorded as a quirk");
    if (st == T2I_OK)
        input_close(&in);
}

static void test_var_case(t2i_tally *t, scratch *s)
{
    static const char cdl[] = "netcdf f {\n" DIMS_TYX COORD_VARS
                              " float GPP(time, lat, lon) ;\n" COORD_DATA "}\n";
    char path[PATH_LEN], err[T2I_ERRLEN];
    make_nc(s, "upper", "classic", cdl, path);
    t2i_input_request req = request(path, "gpp");
    static t2i_input in;
    t2i_notes notes;
    int st = open_req(&req, &in, &notes, err);
    CHECK(t, st == T2I_OK && strcmp(in.var, "GPP") == 0,
          "'gpp' finds the variable 'GPP' when no exact match exists");
    CHECK_NOTE(t, notes.quirks, "variable 'GPP' matched 'gpp' ignoring case",
              "a match ignoring case is recorded as a quirk");
    if (st == T2I_OK)
        input_close(&in);
    make_nc(s, "basic2", "classic", BASIC, path);
    CHECK_STR(t, open_error(path, "npp", err),
              "variable 'npp' not found (file has 'time'; 'lat'; 'lon'; 'gpp')",
              "a missing variable is refused, listing the file's variables");
    static const char two[] = "netcdf f {\n" DIMS_TYX COORD_VARS
                              " float GPP(time, lat, lon) ; float Gpp(time, lat, lon) ;\n"
                              COORD_DATA "}\n";
    make_nc(s, "two_case", "classic", two, path);
    CHECK_STR(t, open_error(path, "gpp", err),
              "variable 'gpp' not found, and more than one variable matches it ('GPP'; 'Gpp'): "
              "set var in models/ (file has 'time'; 'lat'; 'lon'; 'GPP'; 'Gpp')",
              "two variables matching ignoring case are not guessed between");
}

/* (time, pft, lat, lon) with 3 PFTs: pft p of step 0 holds 10 p + cell. */
static const char PFT[] =
    "netcdf f {\ndimensions:\n time = 1 ; pft = 3 ; lat = 2 ; lon = 3 ;\n" COORD_VARS
    " float gpp(time, pft, lat, lon) ;\n"
    "data:\n time = 15.5 ;\n lat = -45, 45 ;\n lon = 0, 120, 240 ;\n"
    " gpp = 0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15, 20, 21, 22, 23, 24, 25 ;\n}\n";

static void test_extra_dims(t2i_tally *t, scratch *s)
{
    char path[PATH_LEN], err[T2I_ERRLEN];
    make_nc(s, "pft", "classic", PFT, path);
    CHECK_STR(t, open_error(path, "gpp", err),
              "'gpp' has an extra dimension 'pft' of size 3: set reduce in models/ "
              "(sum, mean or an index)",
              "an extra dimension without a reduction is refused, naming it");
    t2i_reduce sum = {.dim = "pft", .op = T2I_REDUCE_SUM};
    t2i_input_request req = request(path, "gpp");
    req.reduce = &sum;
    req.nreduce = 1;
    static t2i_input in;
    t2i_notes notes;
    int st = open_req(&req, &in, &notes, err);
    CHECK(t, st == T2I_OK && in.op[1] == T2I_REDUCE_SUM && in.op[0] == T2I_REDUCE_NONE &&
                 input_step_values(&in) == 18,
          "a summed PFT dimension is read whole: 3 x 2 x 3 values per step");
    CHECK_NOTE(t, notes.quirks, "dimension 'pft' reduced by sum", "the reduction is recorded");
    if (st == T2I_OK)
        input_close(&in);
    t2i_reduce pick = {.dim = "pft", .op = T2I_REDUCE_INDEX, .index = 1};
    req.reduce = &pick;
    st = open_req(&req, &in, &notes, err);
    double buf[6];
    size_t nvalues = 0;
    if (st == T2I_OK)
        st = input_read_slab(&in, 0, 1, buf, &nvalues, err, sizeof err);
    CHECK(t, st == T2I_OK && nvalues == 6 && buf[0] == 10 && buf[5] == 15,
          "a PFT kept at index 1 reads only that PFT's 6 values");
    if (in.ncid >= 0)
        input_close(&in);
    pick.index = 3;
    st = open_req(&req, &in, &notes, err);
    CHECK_STR(t, st == T2I_EINPUT ? err : "(accepted)",
              "reduce index 3 is outside dimension 'pft' of size 3",
              "a kept index beyond the dimension is refused");
    static const char lev[] =
        "netcdf f {\ndimensions:\n time = 2 ; lev = 1 ; lat = 2 ; lon = 3 ;\n" COORD_VARS
        " float gpp(time, lev, lat, lon) ;\n" COORD_DATA "}\n";
    make_nc(s, "lev", "classic", lev, path);
    req = request(path, "gpp");
    st = open_req(&req, &in, &notes, err);
    CHECK(t, st == T2I_OK && in.op[1] == T2I_REDUCE_INDEX && in.keep_index[1] == 0,
          "a single-level extra dimension is dropped without a reduction");
    CHECK_NOTE(t, notes.quirks, "single-level dimension 'lev' dropped",
              "dropping a single level is recorded");
    if (st == T2I_OK)
        input_close(&in);
}

static void test_fill_values(t2i_tally *t, scratch *s)
{
    static const char dbl_fill[] = "netcdf f {\n" DIMS_TYX COORD_VARS
                                   " float gpp(time, lat, lon) ; gpp:missing_value = 1.e20 ;\n"
                                   COORD_DATA "}\n";
    static const char no_fill[] = "netcdf f {\n" DIMS_TYX COORD_VARS
                                  " float gpp(time, lat, lon) ;\n" COORD_DATA "}\n";
    char path[PATH_LEN], err[T2I_ERRLEN];
    make_nc(s, "dbl_fill", "classic", dbl_fill, path);
    t2i_input_request req = request(path, "gpp");
    static t2i_input in;
    t2i_notes notes;
    int st = open_req(&req, &in, &notes, err);
    /* 1e20 as a float is 100000002004087734272, not 1e20. */
    CHECK(t, st == T2I_OK && has_sentinel(&in.missing, (double)1.0e20f) &&
                 !has_sentinel(&in.missing, 1.0e20),
          "a double missing_value on a float variable is compared as the float it stores");
    if (st == T2I_OK)
        input_close(&in);
    make_nc(s, "no_fill", "classic", no_fill, path);
    req = request(path, "gpp");
    double extra = -9999.0;
    req.missing = &extra;
    req.nmissing = 1;
    st = open_req(&req, &in, &notes, err);
    CHECK(t, st == T2I_OK && in.missing.nsentinel == 2 &&
                 in.missing.sentinel[0] == (double)NC_FILL_FLOAT,
          "without a declared fill, netCDF's default float fill is the sentinel");
    CHECK(t, st == T2I_OK && has_sentinel(&in.missing, -9999.0),
          "a models/ missing value is added to the sentinels");
    CHECK_NOTE(t, notes.quirks, "no _FillValue or missing_value declared",
              "an undeclared fill is recorded as a quirk");
    if (st == T2I_OK)
        input_close(&in);
    /* The default fill and 31 distinct models/ values fill the 32-entry
     * table; one more is refused with a message, never dropped. */
    double many[T2I_MAX_SENTINELS];
    for (int i = 0; i < T2I_MAX_SENTINELS; i++)
        many[i] = -1000.0 - i;
    req.missing = many;
    req.nmissing = T2I_MAX_SENTINELS - 1;
    st = open_req(&req, &in, &notes, err);
    CHECK(t, st == T2I_OK && in.missing.nsentinel == T2I_MAX_SENTINELS,
          "a full sentinel table is accepted");
    if (st == T2I_OK)
        input_close(&in);
    req.nmissing = T2I_MAX_SENTINELS;
    st = open_req(&req, &in, &notes, err);
    CHECK(t, st == T2I_EINPUT && strstr(err, "more than 32 missing-value sentinels"),
          "one sentinel more than the table holds is refused");
}

/* int16 packed with double scale_factor/add_offset and a valid range. */
static void test_packing(t2i_tally *t, scratch *s)
{
    static const char cdl[] = "netcdf f {\n" DIMS_TYX COORD_VARS
                              " short gpp(time, lat, lon) ; gpp:_FillValue = -32767s ;\n"
                              "   gpp:scale_factor = 0.01 ; gpp:add_offset = 5. ;\n"
                              "   gpp:valid_range = -1000s, 1000s ;\n" COORD_DATA "}\n";
    char path[PATH_LEN], err[T2I_ERRLEN];
    make_nc(s, "packed", "classic", cdl, path);
    t2i_input_request req = request(path, "gpp");
    static t2i_input in;
    t2i_notes notes;
    int st = open_req(&req, &in, &notes, err);
    CHECK(t, st == T2I_OK && in.scale_factor == 0.01 && in.add_offset == 5.0,
          "scale_factor and add_offset are read");
    CHECK(t, st == T2I_OK && in.missing.nsentinel == 1 && in.missing.sentinel[0] == -32767.0,
          "a short variable's declared fill is its default fill too: one sentinel -32767");
    CHECK(t, st == T2I_OK && in.missing.valid_min == -1000 && in.missing.valid_max == 1000,
          "valid_range gives the valid minimum and maximum in packed units");
    CHECK_NOTE(t, notes.quirks, "packed values (scale_factor 0.01, add_offset 5)",
              "packing is recorded as a quirk");
    if (st == T2I_OK)
        input_close(&in);
    static const char bad[] = "netcdf f {\n" DIMS_TYX COORD_VARS
                              " short gpp(time, lat, lon) ; gpp:scale_factor = NaN ;\n"
                              COORD_DATA "}\n";
    make_nc(s, "nan_scale", "classic", bad, path);
    CHECK_STR(t, open_error(path, "gpp", err),
              "'gpp' has a non-finite scale_factor or add_offset",
              "a NaN scale_factor is refused");
    static const char vmin[] = "netcdf f {\n" DIMS_TYX COORD_VARS
                               " float gpp(time, lat, lon) ; gpp:valid_min = 0.f ;\n"
                               COORD_DATA "}\n";
    make_nc(s, "valid_min", "classic", vmin, path);
    req = request(path, "gpp");
    st = open_req(&req, &in, &notes, err);
    CHECK(t, st == T2I_OK && in.missing.valid_min == 0 && in.missing.valid_max == INFINITY,
          "valid_min alone bounds only the minimum");
    if (st == T2I_OK)
        input_close(&in);
    static const char textfill[] = "netcdf f {\n" DIMS_TYX COORD_VARS
                                   " float gpp(time, lat, lon) ; gpp:missing_value = \"none\" ;\n"
                                   COORD_DATA "}\n";
    make_nc(s, "text_fill", "classic", textfill, path);
    CHECK_STR(t, open_error(path, "gpp", err), "attribute 'missing_value' is not 1 number",
              "a text missing_value is refused");
    static const char mvlist[] = "netcdf f {\n" DIMS_TYX COORD_VARS
                                 " float gpp(time, lat, lon) ; gpp:missing_value = -9999.f, "
                                 "-8888.f, 1.e36f ;\n" COORD_DATA "}\n";
    make_nc(s, "mv_list", "classic", mvlist, path);
    req = request(path, "gpp");
    st = open_req(&req, &in, &notes, err);
    int listed = 0;
    for (int i = 0; st == T2I_OK && i < in.missing.nsentinel; i++)
        listed += in.missing.sentinel[i] == -9999.0 || in.missing.sentinel[i] == -8888.0 ||
                  in.missing.sentinel[i] == (double)1.e36f;
    CHECK(t, st == T2I_OK && listed == 3, "every element of a missing_value vector (CF) is missing");
    if (st == T2I_OK)
        input_close(&in);
}

/* Bounds by the `bounds` attribute, by a known name, and a dangling one. */
static void test_bounds(t2i_tally *t, scratch *s)
{
    static const char cdl[] =
        "netcdf f {\ndimensions:\n time = 2 ; lat = 2 ; lon = 3 ; nv = 2 ;\nvariables:\n"
        " double time(time) ; time:units = \"days since 1850-01-01\" ;\n"
        "   time:bounds = \"tb\" ;\n double tb(time, nv) ;\n"
        " float lat(lat) ; lat:units = \"degrees_north\" ; float bounds_lat(lat, nv) ;\n"
        " float lon(lon) ; lon:units = \"degrees_east\" ;\n"
        " float gpp(time, lat, lon) ;\n"
        "data:\n time = 15.5, 45 ;\n tb = 0, 31, 31, 59 ;\n"
        " lat = -45, 45 ;\n bounds_lat = -90, 0, 0, 90 ;\n lon = 0, 120, 240 ;\n}\n";
    char path[PATH_LEN], err[T2I_ERRLEN];
    make_nc(s, "bounds", "classic", cdl, path);
    t2i_input_request req = request(path, "gpp");
    static t2i_input in;
    t2i_notes notes;
    int st = open_req(&req, &in, &notes, err);
    CHECK(t, st == T2I_OK && in.time_bnds && in.time_bnds[1] == 31 && in.time_bnds[3] == 59,
          "time bounds are found through the 'bounds' attribute");
    CHECK(t, st == T2I_OK && in.lat_bnds && in.lat_bnds[0] == -90 && in.lat_bnds[3] == 90,
          "latitude bounds named 'bounds_lat' are found without an attribute");
    CHECK(t, st == T2I_OK && in.lon_bnds == NULL, "longitude without bounds has none");
    if (st == T2I_OK)
        input_close(&in);
    static const char dangling[] = "netcdf f {\n" DIMS_TYX COORD_VARS
                                   " float gpp(time, lat, lon) ; lat:bounds = \"lb\" ;\n"
                                   COORD_DATA "}\n";
    make_nc(s, "dangling", "classic", dangling, path);
    req = request(path, "gpp");
    st = open_req(&req, &in, &notes, err);
    CHECK(t, st == T2I_OK && in.lat_bnds == NULL,
          "a bounds attribute naming a missing variable is ignored (CLM5.0 'time_bounds')");
    CHECK_NOTE(t, notes.quirks, "'lat' names bounds 'lb', which the file does not have: ignored",
               "an ignored bounds attribute is recorded as a quirk");
    if (st == T2I_OK)
        input_close(&in);
    static const char shape[] = "netcdf f {\ndimensions:\n time = 2 ; lat = 2 ; lon = 3 ;"
                                " nv = 3 ;\n" COORD_VARS
                                " float lat_bnds(lat, nv) ; float gpp(time, lat, lon) ;\n"
                                COORD_DATA "}\n";
    make_nc(s, "bad_shape", "classic", shape, path);
    CHECK_STR(t, open_error(path, "gpp", err), "bounds 'lat_bnds' of 'lat' are not shaped (2, 2)",
              "bounds of the wrong shape are refused");
}

static void test_refusals(t2i_tally *t, scratch *s)
{
    char path[PATH_LEN], err[T2I_ERRLEN];
    static const char no_lat[] =
        "netcdf f {\ndimensions:\n time = 2 ; lev = 2 ; lon = 3 ;\nvariables:\n"
        " double time(time) ; time:units = \"days since 1850-01-01\" ;\n"
        " float lon(lon) ; float gpp(time, lev, lon) ;\n}\n";
    make_nc(s, "no_lat", "classic", no_lat, path);
    CHECK_STR(t, open_error(path, "gpp", err),
              "'gpp' has no latitude dimension (dimensions: 'time'; 'lev'; 'lon')",
              "a variable without a latitude is refused, listing its dimensions");
    static const char no_coord[] =
        "netcdf f {\ndimensions:\n time = 2 ; lat = 2 ; lon = 3 ;\nvariables:\n"
        " double time(time) ; time:units = \"days since 1850-01-01\" ;\n"
        " float lon(lon) ; float gpp(time, lat, lon) ;\n}\n";
    make_nc(s, "no_coord", "classic", no_coord, path);
    CHECK_STR(t, open_error(path, "gpp", err), "dimension 'lat' has no coordinate variable",
              "a latitude dimension without coordinates is refused");
    static const char two_d[] = "netcdf f {\n" DIMS_TYX COORD_VARS
                                " float gpp(lat, lon) ;\n" COORD_DATA "}\n";
    make_nc(s, "two_d", "classic", two_d, path);
    CHECK_STR(t, open_error(path, "gpp", err),
              "'gpp' has 2 dimensions; it needs at least time, latitude and longitude",
              "a variable of two dimensions is refused");
    static const char text[] = "netcdf f {\n" DIMS_TYX COORD_VARS
                               " char gpp(time, lat, lon) ;\n" COORD_DATA "}\n";
    make_nc(s, "text", "classic", text, path);
    CHECK_STR(t, open_error(path, "gpp", err), "'gpp' is not numeric",
              "a character variable is refused");
    static const char two_lat[] =
        "netcdf f {\ndimensions:\n time = 2 ; lat = 2 ; latitude = 2 ; lon = 3 ;\n" COORD_VARS
        " float latitude(latitude) ; float gpp(time, lat, latitude, lon) ;\n}\n";
    make_nc(s, "two_lat", "classic", two_lat, path);
    CHECK_STR(t, open_error(path, "gpp", err),
              "'gpp' has two latitude dimensions, 'lat' and 'latitude'",
              "two latitude dimensions are refused, naming both");
    static const char empty[] = "netcdf f {\ndimensions:\n time = UNLIMITED ; lat = 2 ; lon = 3 ;\n"
                                COORD_VARS " float gpp(time, lat, lon) ;\n}\n";
    make_nc(s, "empty", "classic", empty, path);
    CHECK_STR(t, open_error(path, "gpp", err), "dimension 'time' of 'gpp' is empty",
              "an empty time axis is refused");
    snprintf(path, sizeof path, "%s/does-not-exist.nc", s->dir);
    CHECK_STR(t, open_error(path, "gpp", err), "cannot open: No such file or directory",
              "a missing input file is refused with the system's reason");
    t2i_input_request req = request(path, "gpp");
    static t2i_input in;
    t2i_notes notes;
    CHECK(t, open_req(&req, &in, &notes, err) == T2I_EINPUT,
          "a missing input file is an input error");
}

/* A units attribute longer than the 256-byte buffer is refused, not cut. */
static void test_long_attribute(t2i_tally *t, scratch *s)
{
    char units[LONG_UNITS_LEN + 1], cdl[2048], path[PATH_LEN], err[T2I_ERRLEN];
    memset(units, 'k', LONG_UNITS_LEN);
    units[LONG_UNITS_LEN] = '\0';
    snprintf(cdl, sizeof cdl,
             "netcdf f {\n" DIMS_TYX COORD_VARS
             " float gpp(time, lat, lon) ; gpp:units = \"%s\" ;\n" COORD_DATA "}\n",
             units);
    make_nc(s, "long_units", "classic", cdl, path);
    CHECK_STR(t, open_error(path, "gpp", err), "attribute 'units' is 300 bytes long, more than 255",
              "a 300-byte units attribute is refused with its length");
    snprintf(cdl, sizeof cdl,
             "netcdf f {\n" DIMS_TYX COORD_VARS
             " float gpp(time, lat, lon) ; string gpp:units = \"%s\" ;\n" COORD_DATA "}\n",
             units);
    make_nc(s, "long_string", "nc4", cdl, path);
    CHECK_STR(t, open_error(path, "gpp", err), "attribute 'units' is 300 bytes long, more than 255",
              "a 300-byte units attribute of type string is refused too");
    static const char str_units[] = "netcdf f {\n" DIMS_TYX COORD_VARS
                                    " float gpp(time, lat, lon) ; string gpp:units = \"K\" ;\n"
                                    COORD_DATA "}\n";
    make_nc(s, "string_units", "nc4", str_units, path);
    t2i_input_request req = request(path, "gpp");
    static t2i_input in;
    t2i_notes notes;
    int st = open_req(&req, &in, &notes, err);
    CHECK(t, st == T2I_OK && strcmp(in.units, "K") == 0,
          "a units attribute of netCDF-4 type string is read");
    if (st == T2I_OK)
        input_close(&in);
}

static void test_chunking(t2i_tally *t, scratch *s)
{
    static const char cdl[] =
        "netcdf f {\ndimensions:\n time = UNLIMITED ; lat = 2 ; lon = 3 ;\n" COORD_VARS
        " float gpp(time, lat, lon) ; gpp:_ChunkSizes = 4, 2, 3 ;\n"
        "data:\n time = 15.5, 45, 74.5, 105, 135.5 ;\n lat = -45, 45 ;\n lon = 0, 120, 240 ;\n}\n";
    char path[PATH_LEN], err[T2I_ERRLEN];
    make_nc(s, "chunked", "nc4", cdl, path);
    t2i_input_request req = request(path, "gpp");
    static t2i_input in;
    t2i_notes notes;
    int st = open_req(&req, &in, &notes, err);
    CHECK(t, st == T2I_OK && in.chunk_time == 4 && in.format == NC_FORMAT_NETCDF4,
          "a netCDF-4 variable chunked 4 steps deep reports chunk_time 4");
    if (st == T2I_OK)
        input_close(&in);
}

/* CARDAMOM: `time` holds indices, the real axis is `Time`; models/ also
 * overrides units and calendar. */
static void test_overrides(t2i_tally *t, scratch *s)
{
    static const char cdl[] =
        "netcdf f {\ndimensions:\n time = 2 ; lat = 2 ; lon = 3 ;\nvariables:\n"
        " int time(time) ; time:units = \"\" ;\n"
        " double Time(time) ; Time:units = \"days since 2003-01-01\" ;\n"
        " float lat(lat) ; float lon(lon) ;\n"
        " float gpp(time, lat, lon) ; gpp:units = \"gC/m2/day\" ;\n"
        "data:\n time = 1, 2 ;\n Time = 15.5, 45 ;\n lat = -45, 45 ;\n lon = 0, 120, 240 ;\n}\n";
    char path[PATH_LEN], err[T2I_ERRLEN];
    make_nc(s, "cardamom", "classic", cdl, path);
    t2i_input_request req = request(path, "gpp");
    req.time_var = "Time";
    static t2i_input in;
    t2i_notes notes;
    int st = open_req(&req, &in, &notes, err);
    CHECK(t, st == T2I_OK && in.time[0] == 15.5 && in.time[1] == 45 &&
                 strcmp(in.time_units, "days since 2003-01-01") == 0,
          "time values and units come from the variable models/ names");
    CHECK_NOTE(t, notes.quirks, "time read from variable 'Time'",
              "reading time from another variable is recorded");
    if (st == T2I_OK)
        input_close(&in);
    req.time_var = NULL;
    req.time_units = "months since 2003-01-01";
    req.calendar = "360_day";
    req.units = "gC m-2 day-1";
    st = open_req(&req, &in, &notes, err);
    CHECK(t, st == T2I_OK && strcmp(in.time_units, "months since 2003-01-01") == 0 &&
                 strcmp(in.calendar, "360_day") == 0 && strcmp(in.units, "gC m-2 day-1") == 0,
          "models/ time units, calendar and units replace the file's");
    CHECK_NOTE(t, notes.quirks, "time units 'months since 2003-01-01' from models/ (file says ''); "
              "calendar '360_day' from models/ (file says ''); "
              "units 'gC m-2 day-1' from models/ (file says 'gC/m2/day')",
              "each override is recorded with what the file said");
    if (st == T2I_OK)
        input_close(&in);
    req = request(path, "gpp");
    st = open_req(&req, &in, &notes, err);
    CHECK(t, st == T2I_OK && in.time[1] == 45 &&
                 strcmp(in.time_units, "days since 2003-01-01") == 0,
          "empty time units with one dated variable along time: that variable is the axis");
    CHECK_NOTE(t, notes.quirks, "'time' has no usable time units; time read from 'Time'",
               "the file-sourced choice of time variable is recorded");
    if (st == T2I_OK)
        input_close(&in);
    req.time_var = "Tyme";
    CHECK(t, open_req(&req, &in, &notes, err) == T2I_EINPUT, "a missing time variable is refused");
    CHECK_STR(t, err, "time variable 'Tyme' not found", "the message names the time variable");
}

static void cleanup(const scratch *s)
{
    char cmd[2 * DIR_LEN];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", s->dir);
    if (system(cmd) != 0)
        printf("     could not remove %s\n", s->dir);
}

/* Section 9 encodings: 'Units' beside a decoy, a prefixed name, 1-D
 * coordinates that are not dimension coordinates. */
static void test_real_archive(t2i_tally *t, scratch *s)
{
    char path[PATH_LEN], err[T2I_ERRLEN];
    static t2i_input in;
    t2i_notes notes;
    static const char clm[] = "netcdf f {\n" DIMS_TYX COORD_VARS
                              " float nbpAnnual(time, lat, lon) ;\n"
                              "   nbpAnnual:CLM_orig_attr_units = \"gC/m^2/s\" ;\n"
                              "   nbpAnnual:Units = \"kgC m-2 s-1\" ;\n"
                              " float nbp_area(lat, lon) ;\n" COORD_DATA "}\n";
    make_nc(s, "clm_units", "classic", clm, path);
    t2i_input_request req = request(path, "nbp");
    int st = open_req(&req, &in, &notes, err);
    CHECK(t, st == T2I_OK && strcmp(in.var, "nbpAnnual") == 0,
          "'nbp' finds the one data variable starting with it, not the 2-D nbp_area");
    CHECK_STR(t, st == T2I_OK ? in.units : err, "kgC m-2 s-1",
              "'Units' is read, the decoy 'CLM_orig_attr_units' never");
    CHECK_NOTE(t, notes.quirks, "'nbpAnnual': units read from attribute 'Units'",
               "units found under another letter case are recorded as a quirk");
    if (st == T2I_OK)
        input_close(&in);
    static const char e3sm[] = "netcdf f {\ndimensions:\n time = 2 ; nj = 2 ; ni = 3 ;\n"
                               "variables:\n double time(time) ;"
                               " time:units = \"days since 1850-01-01\" ;\n"
                               " int nj(nj) ; int ni(ni) ;\n"
                               " float lat(nj) ; lat:units = \"degrees_north\" ;\n"
                               " float lon(ni) ; lon:units = \"degrees_east\" ;\n"
                               " float gpp(time, nj, ni) ;\n"
                               "data:\n time = 15.5, 45 ;\n nj = 1, 2 ;\n ni = 1, 2, 3 ;\n"
                               " lat = -45, 45 ;\n lon = 0, 120, 240 ;\n}\n";
    make_nc(s, "e3sm", "classic", e3sm, path);
    req = request(path, "gpp");
    st = open_req(&req, &in, &notes, err);
    CHECK(t, st == T2I_OK && in.lat_pos == 1 && in.lon_pos == 2 && in.lat[1] == 45 &&
                 in.lon[2] == 240,
          "lat(nj) and lon(ni) in degrees win over the index variables nj(nj), ni(ni)");
    if (st == T2I_OK)
        input_close(&in);
}

int main(void)
{
    t2i_tally t = {0, 0, 0};
    scratch s;
    snprintf(s.dir, sizeof s.dir, "/tmp/input_test.XXXXXX");
    if (!mkdtemp(s.dir)) {
        perror("mkdtemp");
        return 1;
    }
    test_basic(&t, &s);
    test_names(&t, &s);
    test_attributes(&t, &s);
    test_transposed(&t, &s);
    test_var_case(&t, &s);
    test_extra_dims(&t, &s);
    test_fill_values(&t, &s);
    test_packing(&t, &s);
    test_bounds(&t, &s);
    test_refusals(&t, &s);
    test_long_attribute(&t, &s);
    test_chunking(&t, &s);
    test_overrides(&t, &s);
    test_real_archive(&t, &s);
    cleanup(&s);
    return CHECK_SUMMARY(&t);
}
