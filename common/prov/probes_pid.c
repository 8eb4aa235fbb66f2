/* probes_pid.c - pid<PID>:module:function:name probes (uprobes), made when a
 * description names a pid.
 *
 * Modules are the ELF files mapped executable in /proc/PID/maps, named by
 * basename ("libc.so.6"), by basename without its .so version ("libc"), by
 * path, or "a.out" for the main executable.  Functions are the defined FUNC
 * symbols of .symtab and .dynsym with a size.  A probe's uaddr is the file
 * offset of its instruction, which is what the uprobe PMU wants.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "probes_impl.h"
#include "syms.h"

struct elfsym {
	const char *name;
	uint64_t off;		/* file offset of the first instruction */
	uint64_t size;
};

struct elfsyms {
	struct elfsyms *next;
	char *path;
	struct elfsym *syms;	/* sorted by name, one per name */
	int n;
};

static int cmp_sym(const void *a, const void *b)
{
	const struct elfsym *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->off > y->off) - (x->off < y->off);
}

/* Virtual address -> file offset through the PT_LOAD segment holding it. */
static bool vaddr_to_off(Elf *elf, size_t nphdr, uint64_t va, uint64_t *off)
{
	GElf_Phdr ph;

	for (size_t i = 0; i < nphdr; i++) {
		if (!gelf_getphdr(elf, i, &ph) || ph.p_type != PT_LOAD)
			continue;
		if (va >= ph.p_vaddr && va < ph.p_vaddr + ph.p_memsz) {
			*off = va - ph.p_vaddr + ph.p_offset;
			return true;
		}
	}
	return false;
}

struct read_ctx {
	struct elfsyms *es;
	Elf *elf;
	size_t nphdr, cap;
	struct arena *a;
};

static void add_sym(void *arg, const char *name, uint64_t vaddr, uint64_t size)
{
	struct read_ctx *c = arg;
	struct elfsyms *es = c->es;
	uint64_t off;

	if (!vaddr_to_off(c->elf, c->nphdr, vaddr, &off))
		return;
	if ((size_t)es->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 256;
		es->syms = realloc(es->syms, c->cap * sizeof(*es->syms));
		if (!es->syms)
			abort();
	}
	es->syms[es->n++] = (struct elfsym){ arena_strdup(c->a, name), off, size };
}

static void read_syms(struct elfsyms *es, Elf *elf, struct arena *a)
{
	struct read_ctx c = { es, elf, 0, 0, a };

	if (elf_getphdrnum(elf, &c.nphdr))
		return;
	elf_functions_each(elf, add_sym, &c);
	/* .symtab and .dynsym repeat each other: keep one symbol a name */
	qsort(es->syms, es->n, sizeof(*es->syms), cmp_sym);
	int k = 0;
	for (int i = 0; i < es->n; i++)
		if (!k || strcmp(es->syms[k - 1].name, es->syms[i].name))
			es->syms[k++] = es->syms[i];
	es->n = k;
}

static struct elfsyms *elf_functions(struct probetab *t, const char *path)
{
	struct elfsyms *es;
	Elf *elf;
	int fd;

	for (es = t->elfs; es; es = es->next)
		if (!strcmp(es->path, path))
			return es;
	es = calloc(1, sizeof(*es));
	if (!es || !(es->path = strdup(path)))
		abort();
	es->next = t->elfs;
	t->elfs = es;
	elf_version(EV_CURRENT);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return es;
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (elf && elf_kind(elf) == ELF_K_ELF)
		read_syms(es, elf, t->arena);
	if (elf)
		elf_end(elf);
	close(fd);
	return es;
}

void pid_cache_free(struct probetab *t)
{
	struct elfsyms *es, *next;

	for (es = t->elfs; es; es = next) {
		next = es->next;
		free(es->syms);
		free(es->path);
		free(es);
	}
	t->elfs = NULL;
}

static bool module_matches(const char *pat, const char *path, bool is_exe)
{
	if (!pat || !*pat)
		return true;

	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	const char *so = strstr(base, ".so");
	char stem[NAME_MAX + 1];

	if (probe_glob(pat, base) || probe_glob(pat, path) ||
	    (is_exe && probe_glob(pat, "a.out")))
		return true;
	if (so && (size_t)(so - base) < sizeof(stem)) {
		memcpy(stem, base, so - base);
		stem[so - base] = '\0';
		return probe_glob(pat, stem);
	}
	return false;
}

/* A probe name that is an instruction offset: hex, with or without 0x. */
static bool parse_offset(const char *name, uint64_t *off)
{
	char *end;

	if (!*name || probe_has_glob(name))
		return false;
	*off = strtoull(name, &end, 16);
	return *end == '\0';
}

void probetab_held_target(struct probetab *t, int pid, const char *exe)
{
	struct pidexe *pe = arena_alloc(t->arena, sizeof(*pe));
	pe->pid = pid;
	pe->exe = arena_strdup(t->arena, exe);
	pe->held = true;
	pe->next = t->pidexes;
	t->pidexes = pe;
}

static const struct pidexe *held_exe(struct probetab *t, int pid)
{
	for (struct pidexe *pe = t->pidexes; pe; pe = pe->next)
		if (pe->pid == pid)
			return pe->held ? pe : NULL;
	return NULL;
}

/* The program interpreter and DT_NEEDED names of an ELF file. */
static void elf_deps(const char *path, char ***names, int *n)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	Elf *elf;
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	GElf_Phdr ph;
	size_t nph = 0;

	if (fd < 0)
		return;
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (elf && elf_kind(elf) == ELF_K_ELF && !elf_getphdrnum(elf, &nph)) {
		for (size_t i = 0; i < nph; i++) {
			size_t len;
			char *raw = elf_rawfile(elf, &len);
			if (gelf_getphdr(elf, i, &ph) && ph.p_type == PT_INTERP &&
			    raw && ph.p_offset + ph.p_filesz <= len && ph.p_filesz) {
				*names = realloc(*names, (*n + 1) * sizeof(**names));
				(*names)[(*n)++] = strndup(raw + ph.p_offset, ph.p_filesz);
			}
		}
		while ((scn = elf_nextscn(elf, scn))) {
			Elf_Data *data;
			GElf_Dyn dyn;
			if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_DYNAMIC ||
			    !sh.sh_entsize || !(data = elf_getdata(scn, NULL)))
				continue;
			for (size_t i = 0; i < sh.sh_size / sh.sh_entsize; i++) {
				const char *s;
				if (!gelf_getdyn(data, i, &dyn) || dyn.d_tag != DT_NEEDED ||
				    !(s = elf_strptr(elf, sh.sh_link, dyn.d_un.d_val)))
					continue;
				*names = realloc(*names, (*n + 1) * sizeof(**names));
				(*names)[(*n)++] = strdup(s);
			}
		}
	}
	if (elf)
		elf_end(elf);
	close(fd);
}

/* The files a held target will map: its executable, the interpreter and
 * the libraries it needs (and they need), found where the dynamic linker
 * looks by default.  ($ORIGIN runpaths and LD_LIBRARY_PATH are not
 * followed: such a library is probed once the process runs, with -p.) */
static int held_files(const char *exe, char ***files)
{
	static const char *dirs[] = {
#if defined(__x86_64__)
		"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64",
#elif defined(__aarch64__)
		"/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
#endif
		"/usr/local/lib", "/lib", "/usr/lib",
	};
	int n = 0;
	*files = malloc(sizeof(**files));
	(*files)[n++] = strdup(exe);
	for (int i = 0; i < n && n < 64; i++) {
		char **deps = NULL, path[PATH_MAX], real[PATH_MAX];
		int nd = 0;
		elf_deps((*files)[i], &deps, &nd);
		for (int j = 0; j < nd; j++) {
			bool found = false;
			for (size_t k = 0; !found && k < sizeof(dirs) / sizeof(*dirs); k++) {
				if (deps[j][0] == '/')
					snprintf(path, sizeof(path), "%s", deps[j]);
				else
					snprintf(path, sizeof(path), "%s/%s", dirs[k], deps[j]);
				found = realpath(path, real) && access(real, R_OK) == 0;
			}
			for (int k = 0; found && k < n; k++)
				found = strcmp((*files)[k], real) != 0;
			if (found) {
				*files = realloc(*files, (n + 1) * sizeof(**files));
				(*files)[n++] = strdup(real);
			}
			free(deps[j]);
		}
		free(deps);
	}
	return n;
}

/* The main executable of a pid, remembered for "a.out". */
static const char *pid_exe(struct probetab *t, int pid)
{
	char path[64], exe[PATH_MAX];
	struct pidexe *pe;
	ssize_t n;

	for (pe = t->pidexes; pe; pe = pe->next)
		if (pe->pid == pid)
			return pe->exe;
	snprintf(path, sizeof(path), "/proc/%d/exe", pid);
	n = readlink(path, exe, sizeof(exe) - 1);
	exe[n > 0 ? n : 0] = '\0';
	pe = arena_alloc(t->arena, sizeof(*pe));
	pe->pid = pid;
	pe->exe = arena_strdup(t->arena, exe);
	pe->next = t->pidexes;
	t->pidexes = pe;
	return pe->exe;
}

bool pid_module_matches(struct probetab *t, const char *pat,
			const struct probe *p)
{
	return module_matches(pat, p->path, !strcmp(p->path, pid_exe(t, p->pid)));
}

static void add_pid_probe(struct probetab *t, const char *prov, int pid,
			  const char *path, const char *base,
			  const struct elfsym *s, const char *name, uint64_t off)
{
	struct probe *p;

	if (probetab_find(t, prov, base, s->name, name))
		return;
	p = probetab_add(t, PROV_PID, prov, base, s->name, name);
	p->pid = pid;
	p->path = arena_strdup(t->arena, path);
	p->uaddr = s->off + off;
	p->is_return = !strcmp(name, "return");
}

static void module_probes(struct probetab *t, const char *prov, int pid,
			  const char *path, const char *func, const char *name)
{
	struct elfsyms *es = elf_functions(t, path);
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	char hex[32];
	uint64_t off;
	bool at_off = parse_offset(name, &off);

	for (int i = 0; i < es->n; i++) {
		const struct elfsym *s = &es->syms[i];

		if (!probe_field_match(func, s->name))
			continue;
		if (at_off) {
			if (off < s->size) {
				snprintf(hex, sizeof(hex), "%llx",
					 (unsigned long long)off);
				add_pid_probe(t, prov, pid, path, base, s, hex, off);
			}
			continue;
		}
		if (probe_field_match(name, "entry"))
			add_pid_probe(t, prov, pid, path, base, s, "entry", 0);
		if (probe_field_match(name, "return"))
			add_pid_probe(t, prov, pid, path, base, s, "return", 0);
	}
}

int pid_demand(struct probetab *t, const char *prov, const char *mod,
	       const char *func, const char *name, char *err, size_t errlen)
{
	char path[64], line[PATH_MAX + 128];
	const char *exe;
	char **seen = NULL;
	int nseen = 0, pid;
	char *end;
	FILE *f;

	if (strncmp(prov, "pid", 3) || prov[3] < '0' || prov[3] > '9')
		return 0;
	pid = strtol(prov + 3, &end, 10);
	if (*end)
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	f = fopen(path, "re");
	if (!f) {
		snprintf(err, errlen, "failed to grab process %d: %s", pid,
			 strerror(errno == ENOENT ? ESRCH : errno));
		return -1;
	}
	exe = pid_exe(t, pid);
	if (held_exe(t, pid)) {
		char **files = NULL;
		int n = held_files(exe, &files);
		for (int i = 0; i < n; i++) {
			if (module_matches(mod, files[i], i == 0))
				module_probes(t, prov, pid, files[i], func, name);
			free(files[i]);
		}
		free(files);
		fclose(f);
		return 0;
	}

	/* 7f..-7f.. r-xp 00000000 08:01 1234   /usr/lib/x86_64-linux-gnu/libc.so.6 */
	while (fgets(line, sizeof(line), f)) {
		char perms[8], *file;
		unsigned long inode;
		int pos = 0, i;

		line[strcspn(line, "\n")] = '\0';
		if (sscanf(line, "%*x-%*x %7s %*x %*x:%*x %lu %n", perms, &inode,
			   &pos) < 2 || !pos || !inode || !strchr(perms, 'x'))
			continue;
		file = line + pos;
		if (*file != '/' || strstr(file, " (deleted)"))
			continue;
		for (i = 0; i < nseen && strcmp(seen[i], file); i++)
			;
		if (i < nseen ||
		    !module_matches(mod, file, !strcmp(file, exe)))
			continue;
		seen = realloc(seen, (nseen + 1) * sizeof(*seen));
		if (!seen || !(seen[nseen++] = strdup(file)))
			abort();
		module_probes(t, prov, pid, file, func, name);
	}
	fclose(f);
	for (int i = 0; i < nseen; i++)
		free(seen[i]);
	free(seen);
	return 0;
}
