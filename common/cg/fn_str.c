/* fn_str.c - the checks of D's string subroutines (their code is in
 * codegen_str.c, codegen_strtok.c and codegen.c); the table is funcs.c. */
#include "fn.h"
#include "sema.h"

void check_copyinstr(struct sema *s, struct node *n)
{
	want_scalar(s, n, 0);
	if (n->nargs > 1)
		want_int(s, n, 1, "size_t");
	n->type = sema_string(s, 0);
}

void check_strlen(struct sema *s, struct node *n)
{
	want_str(s, n, 0);
	n->type = &t_ulong;
}

/* strstr(s, t), strjoin(s, t) */
void check_str_str(struct sema *s, struct node *n)
{
	want_str(s, n, 0);
	want_str(s, n, 1);
	n->type = sema_string(s, 0);
}

/* strchr(s, c), strrchr(s, c) */
void check_strchr(struct sema *s, struct node *n)
{
	want_str(s, n, 0);
	want_int(s, n, 1, "char");
	n->type = sema_string(s, 0);
}

/* index(s, t[, start]), rindex(s, t[, start]) */
void check_index(struct sema *s, struct node *n)
{
	want_str(s, n, 0);
	want_str(s, n, 1);
	if (n->nargs > 2)
		want_int(s, n, 2, "int");
	n->type = &t_int;
}

void check_substr(struct sema *s, struct node *n)
{
	want_str(s, n, 0);
	want_int(s, n, 1, "int");
	if (n->nargs > 2)
		want_int(s, n, 2, "int");
	n->type = sema_string(s, 0);
}

/* basename( ), dirname( ), toupper( ), tolower( ), cleanpath( ) */
void check_str(struct sema *s, struct node *n)
{
	want_str(s, n, 0);
	n->type = sema_string(s, 0);
}

void check_strtoll(struct sema *s, struct node *n)
{
	want_str(s, n, 0);
	n->type = &t_llong;
}

void check_strtok(struct sema *s, struct node *n)
{
	struct node *a = n->args[0];

	/* NULL goes on with the string of the last strtok( ) */
	sema_want(s, n, 0, type_is_string(a->type) ||
		  (a->type->k == TY_PTR && a->isconst && a->cval == 0),
		  "string");
	want_str(s, n, 1);
	n->type = sema_string(s, 0);
}

void check_lltostr(struct sema *s, struct node *n)
{
	want_int(s, n, 0, "int64_t");
	n->type = sema_string(s, 24);
}
