/* t2i-area's command line: areacella (and sftlf) for one output model
 * directory (see area.h).
 *
 *   t2i-area [--rule RULE --var NAME --model NAME] SOURCE AREACELLA [SFTLF]
 *
 * Exit status: 0 written; 1 bad or unsupported input; 2 usage; 3 I/O or
 * system error. On failure one line on stderr and no output file. */
#include <stdio.h>
#include <string.h>

#include "area.h"
#include "t2i.h"
#include "message.h"

static const char usage_text[] =
    "usage: t2i-area [options] SOURCE AREACELLA [SFTLF]\n"
    "Write AREACELLA (areacella, m2: exact spherical cell areas, R = 6371000 m) on\n"
    "the output grid of SOURCE (latitude ascending, longitude -180..180), and with\n"
    "a land rule SFTLF (sftlf, %) from the land-area variable in SOURCE.\n"
    "\n"
    "  --rule RULE   none (default: SOURCE is any file on the grid), ocean_cover_frac\n"
    "                (land = 1 - f), land_fraction (f), sftlf (f in %), land_area\n"
    "                (land area / cell area, m2 or km2)\n"
    "  --var NAME    variable holding the land area (default: oceanCoverFrac,\n"
    "                land_fraction or sftlf by rule, matched ignoring case)\n"
    "  --model NAME  recorded in the outputs\n"
    "Exit status: 0 written; 1 bad input; 2 usage; 3 I/O or system error.\n";

static int parse_args(int argc, char **argv, area_options *o, char *err, size_t errlen)
{
    const char *pos[3] = {NULL, NULL, NULL};
    int npos = 0, st;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strncmp(a, "--", 2) != 0) {
            if (npos >= 3)
                return t2i_fail(T2I_EUSAGE, err, errlen, "too many arguments");
            pos[npos++] = a;
            continue;
        }
        if (i + 1 >= argc)
            return t2i_fail(T2I_EUSAGE, err, errlen, "option '%s' needs a value", a);
        const char *v = argv[++i];
        if (!strcmp(a, "--rule")) {
            if ((st = area_parse_rule(v, &o->rule, err, errlen)))
                return st;
        } else if (!strcmp(a, "--var"))
            o->var = v;
        else if (!strcmp(a, "--model"))
            o->model = v;
        else
            return t2i_fail(T2I_EUSAGE, err, errlen, "unknown option '%s'", a);
    }
    if (npos < 2 || (o->rule == AREA_RULE_NONE) != (npos == 2))
        return t2i_fail(T2I_EUSAGE, err, errlen, "%s",
                        o->rule == AREA_RULE_NONE ? "expected SOURCE AREACELLA"
                                                  : "a land rule needs SOURCE AREACELLA SFTLF");
    o->source = pos[0];
    o->areacella = pos[1];
    o->sftlf = pos[2];
    return T2I_OK;
}

int main(int argc, char **argv)
{
    char err[T2I_ERRLEN];
    area_options o = {.rule = AREA_RULE_NONE};
    area_result r;
    if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        fputs(usage_text, stdout);
        return T2I_OK;
    }
    int st = parse_args(argc, argv, &o, err, sizeof err);
    if (st) {
        fprintf(stderr, "t2i-area: %s\n%s", err, usage_text);
        return st;
    }
    st = area_run(&o, &r, err, sizeof err);
    if (st)
        message_print(stderr, "t2i-area", o.source, err);
    return st;
}
