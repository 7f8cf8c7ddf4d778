/* The record editor below its pages: the schema it edits (the envelope of DESIGN 4.1 and
 * a record type's format under "fields"), the form's inputs written from that schema, and
 * a record read back from a posted form. Every input is named by the JSON pointer of the
 * value it holds ("/title/en", "/fields/start", "/links/0/url"), so that a validator's
 * error, which names a pointer, finds its input. Internal to src/web. */
#ifndef BX_EDITOR_H
#define BX_EDITOR_H

#include <jansson.h>
#include <stddef.h>
#include "web/form.h"
#include "web/page.h"

/* Empty rows offered after the rows of a list of objects (paragraphs, links, ...). */
#define BX_EDITOR_EMPTY_ROWS 2
/* Rows of a list of objects read from a form at most (the validator's list limit). */
#define BX_EDITOR_MAX_ROWS 200
/* A vocabulary with more terms than this is typed as ids, one per line, not picked. */
#define BX_EDITOR_PICK_MAX 600

/* The limits of a record's form: long texts in six languages, many inputs. */
extern const struct bx_form_limits bx_editor_form_limits;

/* The schema the editor shows and reads: title, summary, text, date, the envelope's lists
 * of vocabulary terms, format (the type's fields schema, borrowed into the result; may be
 * NULL) under "fields", links, and status with the statuses[0..n_statuses) the writer may
 * set. Labels of the envelope's properties are message keys ("x-label-key"); those of a
 * plain enum are a message key prefix and the value ("x-enum-key": "status."). Returns a
 * new reference, NULL without memory. */
json_t *bx_editor_schema(const json_t *format, const char *const *statuses, size_t n_statuses);

/* The record a posted form describes under schema: every input named by a pointer into
 * it, read as its schema says (numbers and booleans converted; a value that does not
 * convert is kept as typed, for the validator to name). Empty values, and rows and
 * objects with nothing in them, are left out. Lists of simple values come from repeated
 * fields and from text with one value per line. Returns a new object (never NULL but
 * without memory). */
json_t *bx_editor_read(const json_t *schema, const struct bx_form *form);

/* Writing the inputs (editor_form.c). */
struct bx_editor {
	struct bx_page *page;      /* the language, messages and labels, the node's vocabularies */
	struct bx_html *html;      /* where the inputs are written */
	json_t *problems;          /* the validator's details, each given "anchor" (the id of
	                            * the input it is shown at) and "label" as it is claimed;
	                            * may be NULL */
	json_t *terms;             /* vocabularies read so far, by name */
};

/* Writes one input (or a fieldset of them) per property of schema, in its order, with
 * values from record (may be NULL), each labelled, required ones marked, and the problems
 * at their pointers shown next to them. */
void bx_editor_write(struct bx_editor *editor, const json_t *schema, const json_t *record);
/* The id of the input that holds pointer: "f" and the pointer with '/' as '-'. */
void bx_editor_input_id(char *out, size_t size, const char *pointer);

#endif
