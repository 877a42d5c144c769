/* SPDX-License-Identifier: Apache-2.0 */
/* Command-line numbers (cli_num.h). */
#include "cli_num.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* strtoll/strtod skip leading white space and accept a sign on unsigned input; a flag value
 * with either is a typo, so the first character must start the number itself. */
static int starts_number(const char *s, int sign_ok)
{
    return (*s >= '0' && *s <= '9') || (sign_ok && (*s == '-' || *s == '+') && s[1] >= '0' && s[1] <= '9') ||
           (*s == '.' && s[1] >= '0' && s[1] <= '9');
}

int cli_scan_llong(const char *s, const char **end, long long *v)
{
    *end = s;
    if (!starts_number(s, 1) || *s == '.') return -1;
    char *e;
    errno = 0;
    long long x = strtoll(s, &e, 10);
    if (errno == ERANGE) return -1;
    *end = e;
    *v = x;
    return 0;
}

int cli_llong(const char *who, const char *flag, const char *s, long long lo, long long hi, long long *out)
{
    const char *end;
    long long v;
    if (cli_scan_llong(s, &end, &v) || *end || v < lo || v > hi) {
        fprintf(stderr, "%s: %s: '%s' is not an integer in [%lld, %lld]\n", who, flag, s, lo, hi);
        return -1;
    }
    *out = v;
    return 0;
}

int cli_int(const char *who, const char *flag, const char *s, int lo, int hi, int *out)
{
    long long v;
    if (cli_llong(who, flag, s, lo, hi, &v)) return -1;
    *out = (int)v;
    return 0;
}

int cli_u64(const char *who, const char *flag, const char *s, uint64_t *out)
{
    int hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
    const char *digits = hex ? s + 2 : s;
    int ok = hex ? ((*digits >= '0' && *digits <= '9') || (*digits >= 'a' && *digits <= 'f') ||
                    (*digits >= 'A' && *digits <= 'F'))
                 : starts_number(s, 0) && *s != '.';
    char *end = NULL;
    errno = 0;
    unsigned long long v = ok ? strtoull(digits, &end, hex ? 16 : 10) : 0;
    if (!ok || errno == ERANGE || *end) {
        fprintf(stderr, "%s: %s: '%s' is not an unsigned 64-bit integer (decimal or 0x hex)\n", who, flag, s);
        return -1;
    }
    *out = (uint64_t)v;
    return 0;
}

/* "in [lo, hi]", "in (0, 1]", ">= 0", "> 0" */
static void range_text(char *buf, size_t len, double lo, double hi, int open)
{
    if (isinf(hi))
        snprintf(buf, len, "%s %g", open & CLI_LO_OPEN ? ">" : ">=", lo);
    else
        snprintf(buf, len, "in %c%g, %g%c", open & CLI_LO_OPEN ? '(' : '[', lo, hi, open & CLI_HI_OPEN ? ')' : ']');
}

int cli_double(const char *who, const char *flag, const char *s, double lo, double hi, int open, double *out)
{
    char *end = NULL;
    errno = 0;
    double v = starts_number(s, 1) ? strtod(s, &end) : NAN;
    /* isfinite() rejects nan, inf and overflow (ERANGE gives +-HUGE_VAL); underflow is kept */
    int ok = end && !*end && isfinite(v) && (open & CLI_LO_OPEN ? v > lo : v >= lo) &&
             (open & CLI_HI_OPEN ? v < hi : v <= hi);
    if (!ok) {
        char r[96];
        range_text(r, sizeof r, lo, hi, open);
        fprintf(stderr, "%s: %s: '%s' is not a finite number %s\n", who, flag, s, r);
        return -1;
    }
    *out = v;
    return 0;
}
