/* pid.c - the pid provider: function entry, return and instruction
 * offsets in a process's executable and libraries, as uprobes.  Probes
 * whose clauses are the same share one program (codegen.c), which tells
 * them apart by the attach cookie (the probe's id); it is attached to all
 * of them on one multi-uprobe link a file where the kernel has the link
 * (Linux 6.6), else one uprobe at a time.  Arguments: regs.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>
#include "cg.h"
#include "codegen.h"
#include "prov/attach.h"
#include "probes_impl.h"
#include "prov/provider.h"

static int pid_point(const struct probe *p)
{
	(void)p;
	return PT_PID;
}

/* The probes a pid program serves that could not be enabled. */
struct skipped {
	int n;
	const struct probe *first;
	int err;
};

/* Errors that belong to one probe point (the kernel cannot probe the
 * instruction there: ENOTSUPP, 524; an offset past the file: EINVAL),
 * not to the whole attachment. */
static bool probe_point_error(int err)
{
	return err == 524 || err == EINVAL || err == EOPNOTSUPP;
}

/* Attach n probes of one file: on one link when the kernel has the
 * multi-uprobe link.  One probe it refuses fails the whole link, so a
 * refused set is halved until the probes refused are found: they are
 * skipped.  Other errors end it. */
static int attach_pid_set(struct bprog *b, const struct probe **ps,
			  uint64_t *offs, uint64_t *cookies, int n,
			  struct skipped *sk)
{
	const struct probe *p = ps[0];
	int fd;
	if (!b->uprobe_multi) {
		for (int i = 0; i < n; i++) {
			fd = attach_uprobe_cookie(b->fd, ps[i]->path, offs[i],
						  p->is_return, p->pid, cookies[i]);
			if (fd >= 0 && bprog_add_link(b, fd) < 0)
				return -ENOMEM;
			if (fd < 0 && !probe_point_error(-fd))
				return fd;
			if (fd < 0 && !sk->n++) {
				sk->first = ps[i];
				sk->err = -fd;
			}
		}
		return 0;
	}
	fd = attach_uprobe_multi(b->fd, p->path, offs, cookies, n,
				 p->is_return, p->pid);
	if (fd >= 0)
		return bprog_add_link(b, fd) < 0 ? -ENOMEM : 0;
	if (!probe_point_error(-fd))
		return fd;
	if (n == 1) {
		if (!sk->n++) {
			sk->first = p;
			sk->err = -fd;
		}
		return 0;
	}
	int h = n / 2, r = attach_pid_set(b, ps, offs, cookies, h, sk);
	return r < 0 ? r : attach_pid_set(b, ps + h, offs + h, cookies + h,
					  n - h, sk);
}

/* A program serving many pid probes: one set of them a file. */
static int attach_pid(struct bprog *b, char *err, size_t errlen)
{
	int n = b->nprobes, r = 0;
	const struct probe **ps = malloc(n * sizeof *ps);
	uint64_t *offs = malloc(n * sizeof *offs);
	uint64_t *cookies = malloc(n * sizeof *cookies);
	bool *done = calloc(n, sizeof *done);
	struct skipped sk = { 0 };
	if (!ps || !offs || !cookies || !done)
		r = -ENOMEM;
	for (int i = 0; i < n && r >= 0; i++) {
		if (done[i])
			continue;
		int k = 0;
		for (int j = i; j < n; j++) {
			const struct probe *p = b->probes[j];
			if (done[j] || p->pid != b->probes[i]->pid ||
			    strcmp(p->path, b->probes[i]->path))
				continue;
			done[j] = true;
			ps[k] = p;
			offs[k] = p->uaddr;
			cookies[k++] = p->id;
		}
		r = attach_pid_set(b, ps, offs, cookies, k, &sk);
	}
	free(ps);
	free(offs);
	free(cookies);
	free(done);
	const struct probe *p = sk.first;
	if (r < 0) {
		snprintf(err, errlen, "failed to enable the %d probes "
			 "%s:%s:...:%s: %s", n, b->probe->prov, b->probe->mod,
			 b->probe->name, strerror(-r));
		return -1;
	}
	if (sk.n == n)
		return attach_failed(err, errlen, p, sk.err);
	if (sk.n)
		fprintf(stderr, "dtrace: %d of %d probes skipped: their "
			"functions cannot be probed (the first: %s:%s:%s:%s: "
			"%s)\n", sk.n, n, p->prov, p->mod, p->func, p->name,
			strerror(sk.err));
	return 0;
}

static int pid_attach(struct bprog *b, char *err, size_t errlen)
{
	if (b->nprobes > 1)
		return attach_pid(b, err, errlen);
	const struct probe *p = b->probe;
	int r = attach_uprobe(b->fd, p->path, p->uaddr, p->is_return, p->pid);
	if (r >= 0)
		return bprog_add_link(b, r) < 0 ? -1 : 0;
	return attach_failed(err, errlen, p, -r);
}

const struct provider prov_pid = {
	.kind = PROV_PID,
	.name = "pid",
	.point = pid_point,
	.per_probe = true,
	.by_cookie = true,
	.prog_type = BPF_PROG_TYPE_KPROBE,
	.arg = regs_func_arg,
	.attach = pid_attach,
	.demand = pid_demand,
	.mod_match = pid_module_matches,
	.free = pid_cache_free,
};
