/* links.c - what the providers' attach operations share (provider.h): the
 * link fds a program keeps, attaching to a raw tracepoint, and the error
 * for a probe that cannot be enabled. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "dtk_impl.h"
#include "prov/attach.h"
#include "prov/provider.h"

int bprog_add_link(struct bprog *b, int fd)
{
	int *l = realloc(b->links, (b->nlinks + 1) * sizeof *l);
	if (!l) {
		close(fd);
		return -1;
	}
	b->links = l;
	b->links[b->nlinks++] = fd;
	return 0;
}

int attach_bprog_raw_tp(struct dtk *d, struct bprog *b)
{
	int r = attach_raw_tp(b->fd, b->tp);
	if (r >= 0)
		return bprog_add_link(b, r) < 0 ? -1 : 0;
	return attach_failed(d, b->probe, -r);
}

int attach_failed(struct dtk *d, const struct probe *p, int err)
{
	dtk_seterr(d, DTK_ERR_ATTACH, "failed to enable probe %s:%s:%s:%s: %s",
		   p->prov, p->mod, p->func, p->name, strerror(err));
	return -1;
}
