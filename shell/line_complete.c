/*
 * Tab completion for the line editor: the word that ends at the cursor is
 * completed from the candidates the owner's callback gives for it (the
 * shell gives command names for the first word, argument names after it).
 * One match is completed with a space after it; several are extended to
 * their common part, or listed under the line when that adds nothing.
 */
#include <string.h>

#include "shell/line_edit.h"

struct completion {
	const char *prefix;
	size_t prefix_len;
	size_t word_start;
	const char *first;	/* first matching candidate */
	size_t common_len;	/* length shared by every match */
	size_t matches;
};

static size_t common_prefix_len(const char *a, const char *b, size_t max)
{
	size_t n = 0;

	while (n < max && a[n] && a[n] == b[n])
		n++;
	return n;
}

/* The index-th candidate that extends the prefix, or NULL. */
static const char *next_match(struct line_editor *ed, const struct completion *c, size_t *index)
{
	const char *name;

	while ((name = ed->candidate(ed->candidate_ctx, ed->line, c->word_start, (*index)++)))
		if (strncmp(name, c->prefix, c->prefix_len) == 0)
			return name;
	return NULL;
}

static void find_matches(struct line_editor *ed, struct completion *c)
{
	const char *name;
	size_t index = 0;

	c->matches = 0;
	while ((name = next_match(ed, c, &index))) {
		if (c->matches++ == 0) {
			c->first = name;
			c->common_len = strlen(name);
		} else {
			c->common_len = common_prefix_len(c->first, name, c->common_len);
		}
	}
}

static void list_matches(struct line_editor *ed, const struct completion *c)
{
	const char *name;
	const char *separator = EDIT_NEWLINE;
	size_t index = 0;

	while ((name = next_match(ed, c, &index))) {
		edit_echo_str(ed, separator);
		edit_echo_str(ed, name);
		separator = "  ";
	}
	edit_echo_str(ed, EDIT_NEWLINE);
	edit_redraw(ed);
}

/* Extend the matches' common part; a unique match also gets a space. */
static void insert_completion(struct line_editor *ed, const struct completion *c)
{
	char text[LINE_MAX_CHARS + 1];
	size_t extra = c->common_len - c->prefix_len;

	if (!edit_has_room(ed, extra + 1)) {
		edit_ring_bell(ed);
		return;
	}
	memcpy(text, c->first + c->prefix_len, extra);
	if (c->matches == 1)
		text[extra++] = EDIT_WORD_SEPARATOR;
	edit_insert(ed, text, extra);
}

void edit_complete(struct line_editor *ed)
{
	struct completion c = { .word_start = ed->cursor };

	while (c.word_start > 0 && ed->line[c.word_start - 1] != EDIT_WORD_SEPARATOR)
		c.word_start--;
	c.prefix = ed->line + c.word_start;
	c.prefix_len = ed->cursor - c.word_start;
	if (!ed->candidate) {
		edit_ring_bell(ed);
		return;
	}
	find_matches(ed, &c);
	if (c.matches == 0)
		edit_ring_bell(ed);
	else if (c.matches == 1 || c.common_len > c.prefix_len)
		insert_completion(ed, &c);
	else
		list_matches(ed, &c);
}
