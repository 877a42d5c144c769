/* SPDX-License-Identifier: Apache-2.0 */
/* Unicode helpers of the tokenizers (llama.cpp's rules, utf8proc's data); see tok_unicode.h. */
#include "tok_unicode.h"

#include <stdlib.h>

#include <utf8proc.h>

unsigned tok_cpt_flags(uint32_t cp)
{
    if (cp > 0x10ffff) return TOK_CPT_UNDEFINED;
    unsigned f;
    switch (utf8proc_category((utf8proc_int32_t)cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
        f = TOK_CPT_LETTER; break;
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
        f = TOK_CPT_MARK; break;
    case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
        f = TOK_CPT_NUMBER; break;
    case UTF8PROC_CATEGORY_PC: case UTF8PROC_CATEGORY_PD: case UTF8PROC_CATEGORY_PS:
    case UTF8PROC_CATEGORY_PE: case UTF8PROC_CATEGORY_PI: case UTF8PROC_CATEGORY_PF:
    case UTF8PROC_CATEGORY_PO:
        f = TOK_CPT_PUNCTUATION; break;
    case UTF8PROC_CATEGORY_SM: case UTF8PROC_CATEGORY_SC: case UTF8PROC_CATEGORY_SK:
    case UTF8PROC_CATEGORY_SO:
        f = TOK_CPT_SYMBOL; break;
    case UTF8PROC_CATEGORY_ZS: case UTF8PROC_CATEGORY_ZL: case UTF8PROC_CATEGORY_ZP:
        f = TOK_CPT_SEPARATOR | TOK_CPT_WHITESPACE; break; /* every Z is White_Space */
    case UTF8PROC_CATEGORY_CC: case UTF8PROC_CATEGORY_CF: case UTF8PROC_CATEGORY_CS:
    case UTF8PROC_CATEGORY_CO:
        f = TOK_CPT_CONTROL; break;
    default:
        f = TOK_CPT_UNDEFINED; break;
    }
    /* White_Space = Z + these controls (PropList.txt), what llama.cpp's unicode_set_whitespace lists */
    if ((cp >= 0x09 && cp <= 0x0d) || cp == 0x85) f |= TOK_CPT_WHITESPACE;
    return f;
}

uint32_t tok_cpt_tolower(uint32_t cp)
{
    return cp > 0x10ffff ? cp : (uint32_t)utf8proc_tolower((utf8proc_int32_t)cp);
}

/* One codepoint at s[0..n) as unicode_cpt_from_utf8(); 0 when it would throw. */
static int decode_one(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned c = s[0];
    if (!(c & 0x80)) { *cp = c; return 1; }
    if (!(c & 0x40)) return 0;
    int len = !(c & 0x20) ? 2 : !(c & 0x10) ? 3 : !(c & 0x08) ? 4 : 0;
    if (len == 0 || (size_t)len > n) return 0;
    uint32_t v = c & (0x7fu >> len);
    for (int i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80) return 0;
        v = (v << 6) | (s[i] & 0x3f);
    }
    if (v > 0x10ffff) return 0; /* llama.cpp cannot re-encode it and throws; we say U+FFFD */
    *cp = v;
    return len;
}

long tok_utf8_decode(const char *s, size_t len, uint32_t **cpts)
{
    uint32_t *v = malloc((len ? len : 1) * sizeof *v);
    if (!v) return -1;
    const unsigned char *u = (const unsigned char *)s;
    long n = 0;
    for (size_t i = 0; i < len;) {
        int l = decode_one(u + i, len - i, &v[n]);
        if (l == 0) { v[n] = 0xfffd; l = 1; }
        n++;
        i += (size_t)l;
    }
    *cpts = v;
    return n;
}

int tok_utf8_encode(uint32_t cp, char *o)
{
    if (cp < 0x80) { o[0] = (char)cp; return 1; }
    if (cp < 0x800) { o[0] = (char)(0xc0 | (cp >> 6)); o[1] = (char)(0x80 | (cp & 63)); return 2; }
    if (cp < 0x10000) {
        o[0] = (char)(0xe0 | (cp >> 12)); o[1] = (char)(0x80 | ((cp >> 6) & 63));
        o[2] = (char)(0x80 | (cp & 63));
        return 3;
    }
    o[0] = (char)(0xf0 | ((cp >> 18) & 7)); o[1] = (char)(0x80 | ((cp >> 12) & 63));
    o[2] = (char)(0x80 | ((cp >> 6) & 63)); o[3] = (char)(0x80 | (cp & 63));
    return 4;
}

int tok_utf8_lead_len(unsigned char c)
{
    static const unsigned char lookup[16] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 4};
    return lookup[c >> 4];
}

/* GPT-2's alphabet keeps the printable bytes ('!'..'~', 0xa1..0xac, 0xae..0xff) as themselves
 * and maps the 68 others, in byte order, to U+0100.. : 0..32, 127..160, 173. */
uint32_t tok_byte_to_cpt(unsigned char b)
{
    if (b <= 32) return 256u + b;
    if (b >= 127 && b <= 160) return 256u + 33 + (b - 127u);
    if (b == 173) return 256u + 67;
    return b;
}

int tok_cpt_to_byte(uint32_t cp)
{
    if ((cp >= 33 && cp <= 126) || (cp >= 161 && cp <= 172) || (cp >= 174 && cp <= 255)) return (int)cp;
    if (cp < 256 || cp >= 256 + 68) return -1;
    uint32_t i = cp - 256;
    return i < 33 ? (int)i : i < 67 ? (int)(127 + i - 33) : 173;
}
