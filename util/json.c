/* SPDX-License-Identifier: Apache-2.0 */
/* JSON strings (json.h). */
#include "json.h"

#include <string.h>

/* Length of the valid UTF-8 sequence at s (0 if invalid): no overlong forms, no surrogates,
 * nothing above U+10FFFF, so that what is written is always valid JSON text. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    size_t len = s[0] < 0x80 ? 1 : (s[0] & 0xe0) == 0xc0 ? 2 : (s[0] & 0xf0) == 0xe0 ? 3
               : (s[0] & 0xf8) == 0xf0 ? 4 : 0;
    if (len == 0 || len > n) return 0;
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xc0) != 0x80) return 0;
    if (len == 2 && s[0] < 0xc2) return 0;                          /* overlong */
    if (len == 3 && s[0] == 0xe0 && s[1] < 0xa0) return 0;          /* overlong */
    if (len == 3 && s[0] == 0xed && s[1] >= 0xa0) return 0;         /* UTF-16 surrogate */
    if (len == 4 && s[0] == 0xf0 && s[1] < 0x90) return 0;          /* overlong */
    if (len == 4 && (s[0] > 0xf4 || (s[0] == 0xf4 && s[1] >= 0x90))) return 0; /* > U+10FFFF */
    return len;
}

void json_write_str(FILE *o, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    fputc('"', o);
    for (size_t i = 0; i < n;) {
        size_t l = utf8_len(u + i, n - i);
        unsigned char c = u[i];
        if (l == 0) { fputs("\\ufffd", o); i++; continue; }
        if (c == '"' || c == '\\') { fputc('\\', o); fputc(c, o); }
        else if (c == '\n') fputs("\\n", o);
        else if (c == '\r') fputs("\\r", o);
        else if (c == '\t') fputs("\\t", o);
        else if (c < 0x20 || c == 0x7f) fprintf(o, "\\u%04x", c);
        else fwrite(s + i, 1, l, o);
        i += l;
    }
    fputc('"', o);
}

void json_write_cstr(FILE *o, const char *s)
{
    if (!s) fputs("null", o);
    else json_write_str(o, s, strlen(s));
}
