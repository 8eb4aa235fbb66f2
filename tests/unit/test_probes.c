/* test_probes.c - probe tables, globbing, on-demand probes, syscall names. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "check.h"
#include "probes.h"
#include "prov/provider.h"
#include "systab.h"

static int count(struct probetab *t, const char *prov, const char *mod,
		 const char *func, const char *name)
{
	char err[256] = "";

	return probetab_match(t, prov, mod, func, name, NULL, NULL, err,
			      sizeof(err));
}

static const struct probe *first_match;
static void keep_first(const struct probe *p, void *arg)
{
	uint32_t *last_id = arg;

	if (!first_match)
		first_match = p;
	CHECK(p->id > *last_id);	/* callbacks come in id order */
	*last_id = p->id;
}

static const struct probe *one(struct probetab *t, const char *prov,
			       const char *mod, const char *func,
			       const char *name)
{
	uint32_t last = 0;
	char err[256];

	first_match = NULL;
	if (probetab_match(t, prov, mod, func, name, keep_first, &last, err,
			   sizeof(err)) != 1)
		return NULL;
	return probetab_args(t, first_match);
}

static double ms_since(const struct timespec *a)
{
	struct timespec b;

	clock_gettime(CLOCK_MONOTONIC, &b);
	return (b.tv_sec - a->tv_sec) * 1e3 + (b.tv_nsec - a->tv_nsec) / 1e6;
}

static void test_glob(void)
{
	CHECK(probe_glob("open*", "openat"));
	CHECK(probe_glob("open*", "open"));
	CHECK(!probe_glob("open*", "fopen"));
	CHECK(probe_glob("*", ""));
	CHECK(probe_glob("?pen", "open"));
	CHECK(!probe_glob("?pen", "pen"));
	CHECK(probe_glob("[a-c]at", "bat"));
	CHECK(!probe_glob("[a-c]at", "rat"));
	CHECK(probe_glob("[!x]y", "ay"));
	CHECK(!probe_glob("[!x]y", "xy"));
	CHECK(probe_glob("[]]", "]"));
	CHECK(probe_glob("a[", "a["));		/* unterminated class: literal */
	CHECK(probe_glob("\\*", "*"));
	CHECK(!probe_glob("\\*", "x"));
	CHECK(probe_glob("*read*", "process_vm_readv"));
	CHECK(probe_glob("*a*b*c", "xxaxxbxxc"));
	CHECK(!probe_glob("*a*b*c", "xxaxxbxxcx"));
	CHECK(probe_glob("exec-*", "exec-success"));
	CHECK(!probe_glob("entry", "return"));
}

static void test_syscalls(struct probetab *t)
{
	int nopen = 0;

	for (int i = 0; i < systab_len; i++)
		if (!strncmp(systab[i].name, "open", 4))
			nopen++;
	CHECK(count(t, "syscall", "", "open*", "entry") == nopen);
	CHECK(count(t, "syscall", NULL, NULL, "entry") == systab_len);
	CHECK(count(t, "syscall", "", "", "") == 2 * systab_len);
	CHECK(count(t, NULL, NULL, "read", NULL) == 2);

	CHECK(syscall_nr(t, "openat") == SYS_openat);
	CHECK(syscall_nr(t, "read") == SYS_read);
	CHECK(syscall_nr(t, "no_such_call") == -1);
	CHECK(syscall_name(t, SYS_write) && !strcmp(syscall_name(t, SYS_write), "write"));
	CHECK(syscall_name(t, -1) == NULL);
	CHECK(syscall_max(t) > SYS_openat);

	const struct probe *p = one(t, "syscall", "", "openat", "entry");
	CHECK(p && p->kind == PROV_SYSCALL && p->sub == SYS_openat && !p->is_return);
	if (p) {
		CHECK(p->nargs == 4);
		CHECK(!strcmp(p->args[0].type, "int") && !strcmp(p->args[0].name, "dfd"));
		CHECK(!strcmp(p->args[1].type, "const char *") &&
		      !strcmp(p->args[1].name, "filename"));
		CHECK(p->args[1].is_string && p->args[1].is_user_ptr);
		CHECK(!p->args[0].is_string && !p->args[0].is_user_ptr);
		CHECK(!strcmp(p->args[3].type, "umode_t"));
	}
	p = one(t, "syscall", "", "openat", "return");
	CHECK(p && p->is_return && p->nargs == 1 && !strcmp(p->args[0].type, "long"));

	/* buffers with a length are not strings */
	p = one(t, "syscall", "", "read", "entry");
	CHECK(p && p->nargs == 3 && !p->args[1].is_string && p->args[1].is_user_ptr);
	p = one(t, "syscall", "", "write", "entry");
	CHECK(p && p->nargs == 3 && !p->args[1].is_string);
	p = one(t, "syscall", "", "sethostname", "entry");
	CHECK(p && p->nargs == 2 && !p->args[0].is_string);
	p = one(t, "syscall", "", "shmat", "entry");
	CHECK(p && p->nargs == 3 && !p->args[1].is_string);
	p = one(t, "syscall", "", "execve", "entry");
	CHECK(p && p->nargs == 3 && p->args[0].is_string && !p->args[1].is_string &&
	      p->args[1].is_user_ptr);
	p = one(t, "syscall", "", "mount", "entry");
	CHECK(p && p->nargs == 5 && p->args[0].is_string && p->args[1].is_string &&
	      p->args[2].is_string && !p->args[4].is_string);
	p = one(t, "syscall", "", "renameat2", "entry");
	CHECK(p && p->args[1].is_string && p->args[3].is_string);
	/* ABI name, kernel event name newstat */
	p = one(t, "syscall", "", "stat", "entry");
	CHECK(p && p->nargs == 2 && p->args[0].is_string);
}

static void test_static(struct probetab *t)
{
	const struct probe *p;

	p = one(t, NULL, NULL, NULL, "BEGIN");
	CHECK(p && p->id == 1 && p->kind == PROV_DTRACE && p->sub == DP_BEGIN);
	p = one(t, "dtrace", "", "", "END");
	CHECK(p && p->id == 2 && p->sub == DP_END);
	CHECK(count(t, "dtrace", "", "", "") == 3);
	p = probetab_by_id(t, 3);
	CHECK(p && !strcmp(p->name, "ERROR"));
	CHECK(probetab_by_id(t, 0) == NULL);
	CHECK(probetab_by_id(t, probetab_count(t) + 1) == NULL);
	for (int i = 0; i < probetab_count(t); i++)
		if (probetab_get(t, i)->id != (uint32_t)i + 1) {
			CHECK(!"ids are 1..n in listing order");
			break;
		}
	/* syscalls come right after dtrace, sorted by name */
	p = probetab_get(t, 3);
	CHECK(p && p->kind == PROV_SYSCALL && !strcmp(p->name, "entry"));
	if (p && probetab_get(t, 5))
		CHECK(strcmp(p->func, probetab_get(t, 5)->func) < 0);

	CHECK(count(t, "proc", "", "", "") == 12);
	p = one(t, "proc", "", "", "exec-success");
	CHECK(p && p->kind == PROV_PROC && p->sub == PP_EXEC_SUCCESS && p->nargs == 0);
	p = one(t, "proc", NULL, NULL, "signal-send");
	CHECK(p && p->sub == PP_SIGNAL_SEND && p->nargs == 3 &&
	      !strcmp(p->args[2].type, "int"));
	p = one(t, "proc", NULL, NULL, "exit");
	CHECK(p && p->nargs == 1 && !strcmp(p->args[0].type, "int"));
	CHECK(count(t, "proc", "", "", "exec*") == 3);
	CHECK(count(t, "proc", "", "", "signal-[sh]*") == 2);
}

static void test_profile(struct probetab *t)
{
	const struct probe *p;
	char err[256];
	int n;

	p = one(t, "profile", "", "", "profile-97");
	CHECK(p && p->kind == PROV_PROFILE && p->period_ns == 1000000000ULL / 97 &&
	      !p->tick);
	CHECK(count(t, "profile", "", "", "tick-*") == 8);
	p = one(t, NULL, NULL, NULL, "tick-1s");
	CHECK(p && p->tick && p->period_ns == 1000000000ULL);

	/* made on demand, once */
	n = probetab_count(t);
	p = one(t, NULL, NULL, NULL, "tick-3sec");
	CHECK(p && p->period_ns == 3000000000ULL && p->id == (uint32_t)n + 1);
	CHECK(one(t, "profile", "", "", "tick-3sec") == p);
	CHECK(probetab_count(t) == n + 1);
	p = one(t, "profile", "", "", "profile-1234hz");
	CHECK(p && p->period_ns == 1000000000ULL / 1234);
	p = one(t, "profile", "", "", "tick-250ms");
	CHECK(p && p->period_ns == 250000000ULL);
	p = one(t, "", "", "", "tick-2m");
	CHECK(p && p->period_ns == 120000000000ULL);
	p = one(t, "", "", "", "tick-1d");
	CHECK(p && p->period_ns == 86400000000000ULL);

	CHECK(probetab_match(t, "profile", "", "", "profile-0", NULL, NULL, err,
			     sizeof(err)) == -1 && strstr(err, "profile-0"));
	CHECK(probetab_match(t, NULL, NULL, NULL, "tick-abc", NULL, NULL, err,
			     sizeof(err)) == -1 && strstr(err, "invalid"));
	CHECK(probetab_match(t, NULL, NULL, NULL, "tick-5x", NULL, NULL, err,
			     sizeof(err)) == -1);
	CHECK(probetab_match(t, NULL, NULL, NULL, "profile-", NULL, NULL, err,
			     sizeof(err)) == -1);
	CHECK(probetab_match(t, NULL, NULL, NULL, "profile-100000", NULL, NULL,
			     err, sizeof(err)) == -1 && strstr(err, "too high"));
	/* another provider's description does not make profile probes */
	CHECK(count(t, "syscall", "", "", "tick-7") == 0);
}

static void test_pid(struct probetab *t)
{
	char prov[32], err[256];
	const struct probe *p, *q;
	int n;

	snprintf(prov, sizeof(prov), "pid%d", getpid());
	p = one(t, prov, "libc.so.6", "malloc", "entry");
	CHECK(p && p->kind == PROV_PID && p->pid == getpid() && p->uaddr &&
	      p->path && strstr(p->path, "libc") && !p->is_return);
	q = one(t, prov, "libc", "malloc", "return");
	CHECK(q && q->is_return && p && q->uaddr == p->uaddr);
	n = probetab_count(t);
	CHECK(one(t, prov, "libc.so.6", "malloc", "entry") == p);
	CHECK(probetab_count(t) == n);
	q = one(t, prov, "libc.so.6", "malloc", "4");
	CHECK(q && p && q->uaddr == p->uaddr + 4 && !strcmp(q->name, "4"));
	q = one(t, prov, "a.out", "main", "entry");
	CHECK(q && q->path && !strstr(q->path, "libc"));
	CHECK(count(t, prov, "libc.so.6", "mallo?", "") >= 2);
	CHECK(count(t, prov, "libc.so.6", "no_such_function", "entry") == 0);
	CHECK(probetab_match(t, "pid999999999", "", "malloc", "entry", NULL,
			     NULL, err, sizeof(err)) == -1 &&
	      strstr(err, "999999999"));
}

static void test_fbt(struct probetab *t)
{
	int n = count(t, "fbt", "", "vfs_read", "entry");

	CHECK(n == 0 || n == 1);	/* 0 where function tracing is locked */
	/* fbt is only looked at when a description names it */
	for (int i = 0; i < probetab_count(t); i++)
		if (probetab_get(t, i)->kind == PROV_FBT) {
			CHECK(count(t, NULL, NULL, "vfs_read", "entry") == 0);
			break;
		}
}

/* dtk_builtin_sysargs (dtruss) takes every syscall's arguments from the
 * built-in table instead of tracefs: the two must agree on this kernel,
 * each entry probe's types, names and kinds, and a table switched to the
 * built-in one after some formats were read gives the same. */
static void test_builtin_matches_tracefs(void)
{
	struct probetab *fs = probetab_open(), *bi = probetab_open();
	CHECK(fs && bi);
	if (!fs || !bi)
		goto out;
	/* one probe read from tracefs before the switch */
	CHECK(probetab_args(bi, one(bi, "syscall", "", "read", "entry")) != NULL);
	probetab_use_tracefs(bi, false);
	int compared = 0, differ = 0;
	for (int i = 0; i < probetab_count(fs); i++) {
		const struct probe *a = probetab_get(fs, i);
		if (a->kind != PROV_SYSCALL || a->is_return)
			continue;
		a = probetab_args(fs, a);
		const struct probe *b = probetab_args(bi, probetab_get(bi, i));
		bool same = b && a->nargs == b->nargs;
		for (int j = 0; same && j < a->nargs; j++)
			same = !strcmp(a->args[j].type, b->args[j].type) &&
			       !strcmp(a->args[j].name, b->args[j].name) &&
			       a->args[j].is_string == b->args[j].is_string;
		if (!same) {
			differ++;
			printf("# %s: tracefs and the built-in table differ\n", a->func);
		}
		compared++;
	}
	CHECK(compared == systab_len);
	if (!probetab_from_tracefs(fs)) {
		printf("skip: tracefs not readable: compared the built-in table "
		       "with itself\n");
		goto out;
	}
	/* scripts/gen-systab.py remakes the table where this fails */
	CHECK(differ == 0);
out:
	probetab_close(fs);
	probetab_close(bi);
}

int main(void)
{
	struct timespec t0;
	struct probetab *t;
	double ms;

	test_glob();

	clock_gettime(CLOCK_MONOTONIC, &t0);
	t = probetab_open();
	ms = ms_since(&t0);
	CHECK(t != NULL);
	printf("probetab_open: %.2f ms, %d probes\n", ms, probetab_count(t));
	/* no syscall's format is read before its arguments are asked for */
	CHECK(!probetab_from_tracefs(t));
	test_syscalls(t);
	printf("syscall arguments: %s\n", probetab_from_tracefs(t) ?
	       "from tracefs" : "built-in table");
	if (geteuid() == 0 && !probetab_from_tracefs(t))
		printf("note: root but tracefs was not usable\n");
	test_static(t);
	test_profile(t);
	test_pid(t);
	test_fbt(t);
	test_builtin_matches_tracefs();

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < 100; i++)
		count(t, "syscall", "", "", "entry");
	printf("syscall:::entry match: %.3f ms\n", ms_since(&t0) / 100);
	probetab_close(t);

	/* without tracefs: the built-in table says the same */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	t = probetab_open_opts(false);
	printf("probetab_open_opts(false): %.2f ms\n", ms_since(&t0));
	CHECK(!probetab_from_tracefs(t));
	test_syscalls(t);
	test_static(t);
	probetab_close(t);
	return CHECK_DONE();
}
