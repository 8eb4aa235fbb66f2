/* fn_int.c - the checks of D's subroutines of integers and addresses
 * (their code is in codegen.c, codegen_store.c); the table is funcs.c. */
#include "fn.h"
#include "sema.h"

/* copyin(addr, size), alloca(size): a size between 1 and 4096 when it
 * is known here */
static void want_size(struct sema *s, struct node *n, int i)
{
	struct node *a = n->args[i];

	want_int(s, n, i, "size_t");
	if (a->isconst && (a->cval <= 0 || a->cval > 4096))
		sema_fail(s, a->loc, D_PROTO_ARG, "%s( ) size must be between "
			  "1 and 4096", n->fn->name);
}

void check_copyin(struct sema *s, struct node *n)
{
	want_scalar(s, n, 0);
	want_size(s, n, 1);
	n->type = type_ptr(sema_arena(s), &t_void, false);
}

void check_alloca(struct sema *s, struct node *n)
{
	want_size(s, n, 0);
	n->type = type_ptr(sema_arena(s), &t_void, false);
}

void check_progenyof(struct sema *s, struct node *n)
{
	want_int(s, n, 0, "pid_t");
	n->type = &t_int;
}

void check_rand(struct sema *s, struct node *n)
{
	(void)s;
	n->type = &t_int;
}

/* htons( ) & co.: the type of their width */
void check_byteorder(struct sema *s, struct node *n)
{
	int bits = n->fn->param;
	bool w16 = bits == 16, w32 = bits == 32;

	want_int(s, n, 0, w16 ? "uint16_t" : w32 ? "uint32_t" : "uint64_t");
	n->type = w16 ? &t_ushort : w32 ? &t_uint : &t_ullong;
}

/* getmajor( ), getminor( ) */
void check_devpart(struct sema *s, struct node *n)
{
	want_int(s, n, 0, "dev_t");
	n->type = &t_uint;
}

/* func( ), sym( ), mod( ) and the user ones, uaddr( ): an address the
 * consumer names */
void check_symaddr(struct sema *s, struct node *n)
{
	struct type *t = arena_alloc(sema_arena(s), sizeof *t);

	want_scalar(s, n, 0);
	t->k = TY_SYMADDR;
	t->size = 8;
	t->user = n->fn->param == PARAM_USER;
	t->symfn = n->fn->id;
	t->name = "symbol";
	n->type = t;
}
