/* links.c - what the providers' attach operations share (provider.h): the
 * link fds a program keeps, attaching to a raw tracepoint, and the error
 * for a probe that cannot be enabled. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "prog.h"
#include "prov/attach.h"
#include "prov/provider.h"

/* Append fd to the array *fds of *n; closes it and fails without memory. */
static int push_fd(int **fds, int *n, int fd)
{
	int *v = realloc(*fds, (*n + 1) * sizeof *v);
	if (!v) {
		close(fd);
		return -1;
	}
	*fds = v;
	v[(*n)++] = fd;
	return 0;
}

int bprog_add_link(struct bprog *b, int fd)
{
	return push_fd(&b->links, &b->nlinks, fd);
}

int bprog_add_kept(struct bprog *b, int fd)
{
	return push_fd(&b->kept, &b->nkept, fd);
}

int attach_bprog_raw_tp(struct bprog *b, char *err, size_t errlen)
{
	int r = attach_raw_tp(b->fd, b->tp);
	if (r >= 0)
		return bprog_add_link(b, r) < 0 ? -1 : 0;
	return attach_failed(err, errlen, b->probe, -r);
}

int attach_failed(char *err, size_t errlen, const struct probe *p, int e)
{
	snprintf(err, errlen, "failed to enable probe %s:%s:%s:%s: %s",
		 p->prov, p->mod, p->func, p->name, strerror(e));
	return -1;
}
