/* SPDX-License-Identifier: Apache-2.0 */
/* util/: the JSON string writer (escapes, invalid UTF-8) and the command-line number rules
 * (whole string, ranges, overflow, nan/inf, the message naming the flag).
 * Usage: test_util WORKDIR */
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_num.h"
#include "json.h"
#include "version.h"

static int fails;
#define CHECK(cond, ...) do { if (!(cond)) { fails++; printf("FAIL %s:%d: ", __FILE__, __LINE__); printf(__VA_ARGS__); printf("\n"); } } while (0)

static void json_case(const char *in, size_t n, const char *want)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *o = open_memstream(&buf, &len);
    json_write_str(o, in, n);
    fclose(o);
    CHECK(!strcmp(buf, want), "json of %zu bytes: got %s, want %s", n, buf, want);
    free(buf);
}
#define JSON(lit, want) json_case(lit, sizeof lit - 1, want)

static void test_json(void)
{
    JSON("plain", "\"plain\"");
    JSON("a\"b\\c", "\"a\\\"b\\\\c\"");
    JSON("\n\r\t\x01\x1f\x7f", "\"\\n\\r\\t\\u0001\\u001f\\u007f\"");
    JSON("x\0y", "\"x\\u0000y\"");
    JSON("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\""); /* é € U+1F600 */
    JSON("\xff", "\"\\ufffd\"");
    JSON("\xe2\x82", "\"\\ufffd\\ufffd\"");           /* truncated: a token may end inside a char */
    JSON("\xc0\xaf", "\"\\ufffd\\ufffd\"");           /* overlong '/' */
    JSON("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\""); /* UTF-16 surrogate */
    JSON("\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\""); /* above U+10FFFF */
    char *buf = NULL;
    size_t len = 0;
    FILE *o = open_memstream(&buf, &len);
    json_write_cstr(o, NULL);
    fputc(' ', o);
    json_write_cstr(o, "v");
    fclose(o);
    CHECK(!strcmp(buf, "null \"v\""), "json_write_cstr: %s", buf);
    free(buf);
}

/* stderr of the helpers goes to a file, to check that the message names the flag and value. */
static char errpath[512];
static int saved_fd = -1;
static void capture(void)
{
    fflush(stderr);
    saved_fd = dup(2);
    int fd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 2);
    close(fd);
}
static void release(char *msg, size_t cap)
{
    fflush(stderr);
    dup2(saved_fd, 2);
    close(saved_fd);
    FILE *f = fopen(errpath, "r");
    size_t n = f ? fread(msg, 1, cap - 1, f) : 0;
    msg[n] = 0;
    if (f) fclose(f);
}

static void int_case(const char *s, int lo, int hi, int ok, int want)
{
    int v = -12345;
    char msg[512];
    capture();
    int rc = cli_int("who", "--flag", s, lo, hi, &v);
    release(msg, sizeof msg);
    CHECK(ok ? rc == 0 && v == want : rc == -1 && v == -12345, "cli_int('%s', [%d, %d]): rc %d v %d", s, lo, hi, rc, v);
    if (!ok) CHECK(strstr(msg, "who: --flag: '") && strstr(msg, s), "message for '%s': %s", s, msg);
    else CHECK(!msg[0], "no message for '%s': %s", s, msg);
}

static void u64_case(const char *s, int ok, uint64_t want)
{
    uint64_t v = 7;
    char msg[512];
    capture();
    int rc = cli_u64("who", "--seed", s, &v);
    release(msg, sizeof msg);
    CHECK(ok ? rc == 0 && v == want : rc == -1 && v == 7, "cli_u64('%s'): rc %d v %llu", s, rc, (unsigned long long)v);
    if (!ok) CHECK(strstr(msg, "--seed"), "message for '%s': %s", s, msg);
}

static void dbl_case(const char *s, double lo, double hi, int open, int ok, double want)
{
    double v = -7;
    char msg[512];
    capture();
    int rc = cli_double("who", "--x", s, lo, hi, open, &v);
    release(msg, sizeof msg);
    CHECK(ok ? rc == 0 && v == want : rc == -1 && v == -7, "cli_double('%s'): rc %d v %g", s, rc, v);
    if (!ok) CHECK(strstr(msg, "who: --x: '") && strstr(msg, "finite number"), "message for '%s': %s", s, msg);
}

static void test_numbers(void)
{
    int_case("12", 0, 100, 1, 12);
    int_case("+5", 0, 100, 1, 5);
    int_case("-3", -5, 5, 1, -3);
    int_case("2147483647", 0, INT_MAX, 1, INT_MAX);
    int_case("", 0, 100, 0, 0);
    int_case("12x", 0, 100, 0, 0);
    int_case(" 12", 0, 100, 0, 0);
    int_case("-1", 0, 100, 0, 0);
    int_case("101", 0, 100, 0, 0);
    int_case("4294967298", 0, INT_MAX, 0, 0);   /* would wrap to 2 through an (int) cast */
    int_case("99999999999999999999", 0, INT_MAX, 0, 0); /* beyond long long */
    int_case("1e3", 0, 10000, 0, 0);
    int_case("0x10", 0, 100, 0, 0);
    int_case("-", 0, 100, 0, 0);
    long long ll;
    CHECK(cli_llong("who", "--f", "-9223372036854775808", LLONG_MIN, LLONG_MAX, &ll) == 0 && ll == LLONG_MIN, "LLONG_MIN");
    const char *end;
    CHECK(cli_scan_llong("12,3", &end, &ll) == 0 && ll == 12 && *end == ',', "scan 12,3");
    CHECK(cli_scan_llong(",3", &end, &ll) == -1 && end[0] == ',', "scan ,3");

    u64_case("0", 1, 0);
    u64_case("18446744073709551615", 1, UINT64_MAX);
    u64_case("0x10", 1, 16);
    u64_case("0XfF", 1, 255);
    u64_case("18446744073709551616", 0, 0);
    u64_case("-1", 0, 0);
    u64_case("+1", 0, 0);
    u64_case("", 0, 0);
    u64_case("0x", 0, 0);
    u64_case("1x", 0, 0);
    u64_case(" 1", 0, 0);

    dbl_case("0.5", 0, 1, CLI_LO_OPEN, 1, 0.5);
    dbl_case(".5", 0, 1, CLI_CLOSED, 1, 0.5);
    dbl_case("1", 0, 1, CLI_LO_OPEN, 1, 1);
    dbl_case("-0", 0, INFINITY, CLI_CLOSED, 1, 0);
    dbl_case("1e-320", 0, 1, CLI_LO_OPEN, 1, 1e-320);  /* subnormal: fine */
    dbl_case("1e6", 0, INFINITY, CLI_LO_OPEN, 1, 1e6);
    dbl_case("0", 0, 1, CLI_LO_OPEN, 0, 0);
    dbl_case("1", 0, 1, CLI_HI_OPEN, 0, 0);
    dbl_case("nan", 0, INFINITY, CLI_CLOSED, 0, 0);
    dbl_case("NaN", 0, INFINITY, CLI_CLOSED, 0, 0);
    dbl_case("-nan", -INFINITY, INFINITY, CLI_CLOSED, 0, 0);
    dbl_case("inf", 0, INFINITY, CLI_CLOSED, 0, 0);
    dbl_case("-inf", -1e9, 0, CLI_CLOSED, 0, 0);
    dbl_case("infinity", 0, INFINITY, CLI_CLOSED, 0, 0);
    dbl_case("1e999", 0, INFINITY, CLI_CLOSED, 0, 0);
    dbl_case("", 0, 1, CLI_CLOSED, 0, 0);
    dbl_case("1.5x", 0, 10, CLI_CLOSED, 0, 0);
    dbl_case(" 1", 0, 10, CLI_CLOSED, 0, 0);
    dbl_case("-1", 0, INFINITY, CLI_LO_OPEN, 0, 0);
}

int main(int argc, char **argv)
{
    const char *wd = argc > 1 ? argv[1] : "/tmp";
    mkdir(wd, 0777);
    snprintf(errpath, sizeof errpath, "%s/stderr.txt", wd);
    test_json();
    test_numbers();
    const char *v = edgecim_version();
    CHECK(v && v[0] >= '0' && v[0] <= '9' && strchr(v, '.'), "version '%s'", v ? v : "(null)");
    printf("util: version %s; %s\n", v, fails ? "FAILED" : "all checks passed");
    return fails ? 1 : 0;
}
