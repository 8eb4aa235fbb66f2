/* arena.c - one bump allocator per compiled program.
 *
 * Memory comes from big malloc'd chunks and is handed out zeroed and 16-byte
 * aligned; nothing is freed alone: arena_free() releases every chunk at once.
 * Running out of memory aborts, as a compiler that half-built an AST cannot
 * do anything sensible with the rest.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"

#define CHUNK_SIZE	(64 * 1024)
#define ALIGN		16

struct chunk {
	struct chunk *next;
	size_t size, used;
	_Alignas(ALIGN) char data[];
};

struct arena {
	struct chunk *head;
};

static void *xmalloc(size_t n)
{
	void *p = malloc(n);

	if (!p) {
		fprintf(stderr, "dtk: out of memory (%zu bytes)\n", n);
		abort();
	}
	return p;
}

struct arena *arena_new(void)
{
	struct arena *a = xmalloc(sizeof(*a));

	a->head = NULL;
	return a;
}

static struct chunk *chunk_new(size_t size)
{
	struct chunk *c = xmalloc(sizeof(*c) + size);

	c->size = size;
	c->used = 0;
	return c;
}

void *arena_alloc(struct arena *a, size_t n)
{
	struct chunk *c = a->head;
	void *p;

	if (n == 0)
		n = 1;
	if (n > SIZE_MAX - ALIGN) {
		fprintf(stderr, "dtk: allocation of %zu bytes\n", n);
		abort();
	}
	n = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	if (!c || c->size - c->used < n) {
		if (n > CHUNK_SIZE / 4) {
			/* A big block gets a chunk of its own, kept behind the
			 * current one so that its free space stays in use. */
			struct chunk *big = chunk_new(n);

			big->used = n;
			if (c) {
				big->next = c->next;
				c->next = big;
			} else {
				big->next = NULL;
				a->head = big;
			}
			memset(big->data, 0, n);
			return big->data;
		}
		c = chunk_new(CHUNK_SIZE);
		c->next = a->head;
		a->head = c;
	}
	p = c->data + c->used;
	c->used += n;
	memset(p, 0, n);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

void arena_free(struct arena *a)
{
	struct chunk *c, *next;

	if (!a)
		return;
	for (c = a->head; c; c = next) {
		next = c->next;
		free(c);
	}
	free(a);
}

/* arena_push(a, vec, &n, elsize) appends one zeroed element to the vector
 * vec of *n elements and returns the vector, which may have moved: the new
 * element is at index *n - 1 after the call, which increments *n.
 *
 *	p->args = arena_push(a, p->args, &p->nargs, sizeof(*p->args));
 *	p->args[p->nargs - 1] = node;
 *
 * The capacity is not stored: it is the smallest power of two >= n (at least
 * 4), so a vector grows by doubling whenever n reaches such a power.  Only
 * vectors built by arena_push (or NULL with n == 0) may be passed, and n must
 * never be lowered by the caller.  The old copy stays in the arena. */
void *arena_push(struct arena *a, void *vec, int *n, size_t elsize)
{
	size_t old = (size_t)*n;
	char *v = vec;

	if (old == 0 || (old >= 4 && (old & (old - 1)) == 0)) {
		size_t cap = old ? old * 2 : 4;

		if (old >= (size_t)1 << 30 || cap > SIZE_MAX / elsize) {
			fprintf(stderr, "dtk: vector of %zu elements\n", old);
			abort();
		}
		v = arena_alloc(a, cap * elsize);
		if (old)
			memcpy(v, vec, old * elsize);
	}
	memset(v + old * elsize, 0, elsize);
	*n = (int)old + 1;
	return v;
}
