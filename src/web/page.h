/* What every page shares: the page being written (its language, who is signed in, its
 * form token), the layout around its content, and small helpers for records' language
 * maps and vocabulary labels. Internal to src/web. */
#ifndef BX_PAGE_H
#define BX_PAGE_H

#include <jansson.h>
#include <sodium.h>
#include "http/request.h"
#include "http/response.h"
#include "util/error.h"
#include "web/html.h"
#include "web/i18n.h"

#define BX_PAGE_MAX (4 * 1024 * 1024)   /* the largest page written */
#define BX_FORM_TOKEN_SIZE 44            /* a form token: 43 characters and NUL */

struct bx_web {
	struct bx_i18n *i18n;
	unsigned char form_key[crypto_generichash_KEYBYTES];   /* binds form tokens to sessions */
};

struct bx_page {
	struct bx_request *request;
	struct bx_response *response;
	struct bx_web *web;
	int language;                  /* index in bx_languages */
	const char *lang;              /* its code */
	const char *path;              /* what follows /<lang>/: "search", "records/cn:x" */
	const char *params[2];         /* the {id} parts of the matched page */
	struct bx_principal principal; /* from the session cookie; anonymous without one */
	bool signed_in;
	unsigned char session_hash[32];
	char form_token[BX_FORM_TOKEN_SIZE];   /* the csrf_token of this page's forms */
	struct bx_html html;
};

typedef void (*bx_page_fn)(struct bx_page *page);

/* The pages (page_*.c). */
void bx_page_home(struct bx_page *page);
void bx_page_search(struct bx_page *page);
void bx_page_record(struct bx_page *page);
void bx_page_country(struct bx_page *page);
void bx_page_target(struct bx_page *page);
void bx_page_instrument(struct bx_page *page);
void bx_page_vocabularies(struct bx_page *page);
void bx_page_vocabulary(struct bx_page *page);
void bx_page_calendar(struct bx_page *page);
void bx_page_nodes(struct bx_page *page);
void bx_page_login_form(struct bx_page *page);
void bx_page_login(struct bx_page *page);
void bx_page_logout(struct bx_page *page);
void bx_page_editor_new(struct bx_page *page);
void bx_page_editor_create(struct bx_page *page);
void bx_page_editor_edit(struct bx_page *page);
void bx_page_editor_replace(struct bx_page *page);
/* May the signed-in user create records (of some kind)? May it edit record? Both ask the
 * records policy as a write would (page_editor.c). */
bool bx_page_may_create(const struct bx_page *page);
bool bx_page_may_edit(const struct bx_page *page, const json_t *record);

/* The message key in the page's language. */
const char *bx_page_text(const struct bx_page *page, const char *key);
/* Writes the top of the page: doctype, <html lang dir>, head with title (a message
 * already in the page's language, escaped here), header with the language switcher,
 * search box and navigation, and opens <main>. */
void bx_page_begin(struct bx_page *page, const char *title);
/* Closes <main>, writes the footer, closes the page. */
void bx_page_end(struct bx_page *page);
/* Answers the written page with status and the headers every page has (CSP and the rest);
 * an oversized page becomes a 500. */
void bx_page_send(struct bx_page *page, int status);
/* Answers a whole error page: status, a title and an explanation (message keys), and
 * detail (data, escaped; may be NULL). */
void bx_page_error(struct bx_page *page, int status, const char *title_key, const char *text_key,
                   const char *detail);
/* Answers 303 See Other to location (a path on this node). */
void bx_page_redirect(struct bx_page *page, const char *location);

/* The text of the language map lstring best for the page: its language, then English,
 * then the first one. Sets *language to the language taken (may be NULL). NULL when
 * lstring has no text. */
const char *bx_page_lstring(const struct bx_page *page, const json_t *lstring, const char **language);
/* Writes text of language inside a <span lang dir> when it differs from the page's. */
void bx_page_lstring_text(struct bx_page *page, const char *text, const char *language);
/* The label of a vocabulary term in the page's language (id itself when it has none). */
const char *bx_page_label(const struct bx_page *page, const char *vocabulary, const char *id);
/* Writes <a href="/<lang>/search?name=value"> around the label of a facet value. */
void bx_page_search_link(struct bx_page *page, const char *name, const char *value, const char *label);
/* Writes <a href="/<lang>/<section>/<id>"> around label: the page of a term ("targets",
 * "instruments", "countries", "vocabularies") or a record ("records"). */
void bx_page_link(struct bx_page *page, const char *section, const char *id, const char *label);
/* Writes the hidden csrf_token input of a form. */
void bx_page_form_token(struct bx_page *page);
struct bx_form;
struct bx_form_limits;
/* Reads the posted form within limits and checks its csrf_token. Returns 0, or answers
 * (413, 400, or 403 for a missing or wrong token) and returns the error; bx_form_free
 * the form either way. */
int bx_page_read_form(struct bx_page *page, const struct bx_form_limits *limits, struct bx_form *form);

/* Parts several pages show (parts.c). */

/* Opens <section> with its <h2> title (text). */
void bx_page_section(struct bx_page *page, const char *title);
/* Writes the message key as a paragraph. */
void bx_page_paragraph(struct bx_page *page, const char *key);
/* Sets *term to term id of vocabulary, parsed (the caller frees it). BX_ENOTFOUND when
 * there is none; BX_EIO when it cannot be read. */
BX_MUST_USE int bx_page_term(struct bx_page *page, const char *vocabulary, const char *id, json_t **term);

#define BX_PAGE_FACET_VALUES 20   /* values counted per facet by the pages, and bars of their charts */

/* Searches the published records with one filter, name=value (read as the search page
 * reads it: a target filter takes in the targets its crosswalk maps; name NULL: no
 * filter), the latest first, at most limit of them, counting facets (bits of
 * bx_facet_kind). Sets *found (the caller frees it). BX_EINVAL for a value the search
 * refuses; the search's errors. */
BX_MUST_USE int bx_page_search_by(struct bx_page *page, const char *name, const char *value, int limit,
                                  unsigned facets, json_t **found);
/* Writes the count of what bx_page_search_by found, its records and a link to the whole
 * search for name=value. */
void bx_page_latest(struct bx_page *page, const json_t *found, const char *name, const char *value);
/* Writes the message key with "{n}" replaced by n. */
void bx_page_count_text(struct bx_page *page, const char *key, long long n);
/* Writes one record of a listing as <li>: its title linked to its page, type and date,
 * and snippet (HTML from search with <mark>; may be NULL) or else its summary. */
void bx_page_record_item(struct bx_page *page, const json_t *summary, const char *snippet);
/* Writes the href attribute (with its leading blank) of page number of a listing. */
typedef void (*bx_page_href_fn)(struct bx_page *page, int64_t number, const void *context);
/* Writes a listing's paging as a <nav> named by the message label_key: a link to the
 * previous page, "page n / last", a link to the next; nothing when there is one page. */
void bx_page_paging(struct bx_page *page, const char *label_key, int64_t number, int64_t last,
                    bx_page_href_fn href, const void *context);
/* One bar of a chart: a label (text), a count, and where it links (a search filter). */
struct bx_chart_bar {
	const char *label;
	long long count;
	const char *filter;     /* search parameter name: "type" */
	const char *value;      /* its value: "nbsap" */
	const char *also_filter, *also_value;   /* one more filter of the link, or NULL */
};
/* Writes a horizontal bar chart as inline SVG (mirrored for right-to-left pages); each
 * bar links to its search. title (text) names it for assistive technology. */
void bx_page_chart(struct bx_page *page, const char *title, const struct bx_chart_bar *bars, size_t n_bars);
/* Writes a section headed by the message key with a chart of one facet's counts in a
 * search's answer (its [{"value", "label", "count"}], the first BX_PAGE_FACET_VALUES), each
 * bar linking to the search filtered on name=value, and on also_filter=also_value when
 * also_filter is not NULL. Without counts: the section with the message empty_key, or
 * nothing when empty_key is NULL. */
void bx_page_facet_chart(struct bx_page *page, const char *key, const char *name, const json_t *counts,
                         const char *also_filter, const char *also_value, const char *empty_key);

/* The record page's parts (record_fields.c). */

/* The label of a format's property schema (its x-labels) in the page's language, else
 * fallback. */
const char *bx_page_schema_label(const struct bx_page *page, const json_t *schema, const char *fallback);
/* Writes one language's text as a block marked by its translation status (translations:
 * language -> status, may be NULL). */
void bx_page_lstring_block(struct bx_page *page, const char *language, const char *text,
                           const json_t *translations);
/* Writes a language map as one block per language (the page's first), each with lang and
 * dir and marked by its translation status (translations: the record's, may be NULL). */
void bx_page_lstring_blocks(struct bx_page *page, const json_t *lstring, const json_t *translations);
/* Writes the record's fields as a <dl> in the order of its format (format may be NULL:
 * then in their own order), labels from x-labels, vocabulary values by their labels. */
void bx_page_record_fields(struct bx_page *page, const json_t *format, const json_t *fields,
                           const json_t *translations);

#endif
