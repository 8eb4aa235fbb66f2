/* syms.c - processes' mappings, ELF function symbols, kernel symbols. */
#include <errno.h>
#include <fcntl.h>
#include <libelf.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "fmt.h"
#include "syms.h"

struct ksym { uint64_t addr; char *name; const char *mod; };

struct syms {
	struct symfile *files;
	struct symproc *procs;
	struct ksym *ksyms;
	int nksyms;
	bool ksyms_read;
};

static void slot_free(struct symslot *sl)
{
	if (sl->p && sl->free)
		sl->free(sl->p);
	*sl = (struct symslot){ 0 };
}

/* What users keep with the process depends on its mappings. */
static void proc_drop_slots(struct symproc *p)
{
	slot_free(&p->unw_as);
	slot_free(&p->ucache);
}

struct syms *syms_new(void)
{
	return calloc(1, sizeof(struct syms));
}

void syms_free(struct syms *s)
{
	if (!s)
		return;
	for (struct symproc *p = s->procs, *n; p; p = n) {
		n = p->next;
		proc_drop_slots(p);
		free(p->maps);
		free(p);
	}
	for (struct symfile *f = s->files, *n; f; f = n) {
		n = f->next;
		if (f->data)
			munmap((void *)f->data, f->size);
		free(f->funcs);
		free(f->segs);
		free(f->path);
		free(f);
	}
	for (int i = 0; i < s->nksyms; i++)
		free(s->ksyms[i].name);
	free(s->ksyms);
	free(s);
}

/* ---- ELF files ---- */

void elf_functions_each(Elf *elf, elf_func_cb cb, void *arg)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	GElf_Sym sym;

	while ((scn = elf_nextscn(elf, scn))) {
		Elf_Data *data;

		if (!gelf_getshdr(scn, &sh) ||
		    (sh.sh_type != SHT_SYMTAB && sh.sh_type != SHT_DYNSYM) ||
		    !sh.sh_entsize || !(data = elf_getdata(scn, NULL)))
			continue;
		for (size_t i = 0; i < sh.sh_size / sh.sh_entsize; i++) {
			const char *name;

			if (!gelf_getsym(data, (int)i, &sym) ||
			    GELF_ST_TYPE(sym.st_info) != STT_FUNC ||
			    sym.st_shndx == SHN_UNDEF || !sym.st_size)
				continue;
			name = elf_strptr(elf, sh.sh_link, sym.st_name);
			if (name && *name)
				cb(arg, name, sym.st_value, sym.st_size);
		}
	}
}

static void add_func(void *arg, const char *name, uint64_t vaddr, uint64_t size)
{
	struct symfile *f = arg;
	if ((f->nfuncs & (f->nfuncs - 1)) == 0) {
		void *v = realloc(f->funcs, (size_t)(f->nfuncs ? 2 * f->nfuncs : 64) *
				  sizeof(*f->funcs));
		if (!v)
			return;
		f->funcs = v;
	}
	f->funcs[f->nfuncs++] = (struct symfunc){ vaddr, size, name };
}

static int cmp_func(const void *a, const void *b)
{
	const struct symfunc *x = a, *y = b;
	if (x->vaddr != y->vaddr)
		return x->vaddr < y->vaddr ? -1 : 1;
	/* aliases: the global-looking (shorter, no leading _) name first */
	return (x->name[0] == '_') - (y->name[0] == '_');
}

static void read_elf(struct symfile *f)
{
	int fd = open(f->path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0)
		return;
	if (fstat(fd, &st) < 0 || st.st_size <= 0) {
		close(fd);
		return;
	}
	f->dev = st.st_dev;
	f->ino = st.st_ino;
	void *m = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		return;
	f->data = m;
	f->size = (size_t)st.st_size;
	elf_version(EV_CURRENT);
	Elf *elf = elf_memory(m, f->size);
	if (!elf || elf_kind(elf) != ELF_K_ELF) {
		if (elf)
			elf_end(elf);
		return;
	}
	size_t nph = 0, shstr = 0;
	GElf_Phdr ph;
	if (elf_getphdrnum(elf, &nph) == 0 && nph) {
		f->segs = calloc(nph, sizeof(*f->segs));
		for (size_t i = 0; f->segs && i < nph; i++)
			if (gelf_getphdr(elf, (int)i, &ph) && ph.p_type == PT_LOAD)
				f->segs[f->nsegs++] = (struct symseg){
					ph.p_vaddr, ph.p_offset, ph.p_filesz };
	}
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	elf_getshdrstrndx(elf, &shstr);
	while ((scn = elf_nextscn(elf, scn))) {
		const char *nm;
		if (gelf_getshdr(scn, &sh) &&
		    (nm = elf_strptr(elf, shstr, sh.sh_name)) &&
		    strcmp(nm, ".eh_frame_hdr") == 0) {
			f->ehdr_vaddr = sh.sh_addr;
			f->ehdr_size = sh.sh_size;
		}
	}
	elf_functions_each(elf, add_func, f);
	/* names point into the mapped file, which stays: no copies */
	elf_end(elf);
	qsort(f->funcs, (size_t)f->nfuncs, sizeof(*f->funcs), cmp_func);
	int k = 0;	/* .symtab and .dynsym repeat each other */
	for (int i = 0; i < f->nfuncs; i++)
		if (!k || f->funcs[k - 1].vaddr != f->funcs[i].vaddr)
			f->funcs[k++] = f->funcs[i];
	f->nfuncs = k;
}

static struct symfile *file_get(struct syms *s, const char *path)
{
	for (struct symfile *f = s->files; f; f = f->next)
		if (strcmp(f->path, path) == 0)
			return f;
	struct symfile *f = calloc(1, sizeof(*f));
	if (!f || !(f->path = strdup(path))) {
		free(f);
		return NULL;
	}
	read_elf(f);
	f->next = s->files;
	s->files = f;
	return f;
}

/* ---- processes ---- */

static int cmp_map(const void *a, const void *b)
{
	const struct symmap *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

/* 7f..-7f.. r-xp 00000000 08:01 1234   /usr/lib/x86_64-linux-gnu/libc.so.6
 * A process gone (or a zombie, whose maps read empty) keeps the mappings
 * known already, from an earlier read or from the kernel. */
static void read_maps(struct syms *s, struct symproc *p)
{
	char path[64], line[PATH_MAX + 128];
	snprintf(path, sizeof(path), "/proc/%d/maps", p->pid);
	FILE *fp = fopen(path, "re");
	struct symmap *old = p->maps;
	int nold = p->nmaps;
	p->gen++;
	p->maps = NULL;
	p->nmaps = 0;
	if (!fp)
		goto gone;
	int cap = 0;
	while (fgets(line, sizeof(line), fp)) {
		unsigned long long start, end, off;
		unsigned long inode;
		char perms[8];
		int pos = 0;
		line[strcspn(line, "\n")] = '\0';
		if (sscanf(line, "%llx-%llx %7s %llx %*x:%*x %lu %n", &start, &end,
			   perms, &off, &inode, &pos) < 5 || !pos || !inode ||
		    line[pos] != '/' || strstr(line + pos, " (deleted)"))
			continue;
		struct symfile *f = file_get(s, line + pos);
		if (!f)
			continue;
		if (p->nmaps == cap) {
			cap = cap ? 2 * cap : 32;
			void *v = realloc(p->maps, (size_t)cap * sizeof(*p->maps));
			if (!v)
				break;
			p->maps = v;
		}
		p->maps[p->nmaps++] = (struct symmap){ start, end, off,
			strchr(perms, 'x') != NULL, f };
	}
	fclose(fp);
	if (p->nmaps == 0)
		goto gone;
	free(old);
	qsort(p->maps, (size_t)p->nmaps, sizeof(*p->maps), cmp_map);
	return;
gone:
	free(p->maps);
	p->maps = old;
	p->nmaps = nold;
	p->exited = true;
	p->gone = nold == 0;
}

static struct symproc *proc_get(struct syms *s, int pid, bool read)
{
	for (struct symproc *p = s->procs; p; p = p->next)
		if (p->pid == pid)
			return p;
	struct symproc *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->pid = pid;
	if (read)
		read_maps(s, p);
	p->next = s->procs;
	s->procs = p;
	return p;
}

/* The file a kernel mapping names, if it is the one mapped: the path's
 * file when its device and inode agree, else one read before that does. */
static struct symfile *kernel_file(struct syms *s, const struct symkmap *k)
{
	unsigned maj = (unsigned)(k->dev >> 20), min = (unsigned)(k->dev & 0xfffff);
#define SAME(f) ((f)->ino == k->ino && major((f)->dev) == maj && minor((f)->dev) == min)
	if (k->path) {
		struct symfile *f = file_get(s, k->path);
		if (f && SAME(f))
			return f;
	}
	for (struct symfile *f = s->files; f; f = f->next)
		if (f->data && SAME(f))
			return f;
	return NULL;
#undef SAME
}

void syms_kernel_map(struct syms *s, const struct symkmap *k)
{
	struct symproc *p = proc_get(s, k->pid, false);
	if (!p)
		return;
	p->gen++;
	if (p->kmm != k->mm || p->kseq != k->seq) {	/* a new set */
		proc_drop_slots(p);
		free(p->maps);
		p->maps = NULL;
		p->nmaps = 0;
		p->kmm = k->mm;
		p->kseq = k->seq;
		p->exited = false;
		p->klast = NULL;
	}
	struct symfile *f = k->path ? kernel_file(s, k) : p->klast;
	p->klast = f;
	if (!f)
		return;
	void *v = realloc(p->maps, (size_t)(p->nmaps + 1) * sizeof(*p->maps));
	if (!v)
		return;
	p->maps = v;
	p->maps[p->nmaps++] = (struct symmap){ k->start, k->end, k->pgoff,
		k->exec, f };
	p->gone = false;
	/* the kernel walks them in address order: sort only if not */
	if (p->nmaps > 1 && p->maps[p->nmaps - 2].start > k->start)
		qsort(p->maps, (size_t)p->nmaps, sizeof(*p->maps), cmp_map);
}

struct symproc *syms_proc(struct syms *s, int pid)
{
	return proc_get(s, pid, true);
}

static const struct symmap *find_map(const struct symproc *p, uint64_t addr)
{
	int lo = 0, hi = p->nmaps - 1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		const struct symmap *m = &p->maps[mid];
		if (addr < m->start)
			hi = mid - 1;
		else if (addr >= m->end)
			lo = mid + 1;
		else
			return m;
	}
	return NULL;
}

const struct symmap *syms_map(struct syms *s, int pid, uint64_t addr)
{
	struct symproc *p = syms_proc(s, pid);
	if (!p)
		return NULL;
	const struct symmap *m = find_map(p, addr);
	if (!m && !p->exited) {
		read_maps(s, p);	/* mapped since we looked? */
		m = find_map(p, addr);
	}
	return m;
}

/* The PT_LOAD segment holding a file offset. */
static const struct symseg *seg_of_off(const struct symfile *f, uint64_t off)
{
	for (int i = 0; i < f->nsegs; i++)
		if (off >= f->segs[i].off && off < f->segs[i].off + f->segs[i].filesz)
			return &f->segs[i];
	return f->nsegs ? &f->segs[0] : NULL;
}

uint64_t symmap_bias(const struct symmap *m)
{
	const struct symseg *g = seg_of_off(m->file, m->pgoff);
	uint64_t seg_delta = g ? g->vaddr - g->off : 0;
	return m->start - m->pgoff - seg_delta;
}

uint64_t symmap_vaddr(const struct symmap *m, uint64_t addr)
{
	return addr - symmap_bias(m);
}

int symmap_read(const struct symmap *m, uint64_t addr, void *buf, size_t n)
{
	uint64_t off = addr - m->start + m->pgoff;
	if (!m->file->data || off > m->file->size || n > m->file->size - off)
		return -1;
	memcpy(buf, m->file->data + off, n);
	return 0;
}

static const struct symfunc *find_func(const struct symfile *f, uint64_t va)
{
	int lo = 0, hi = f->nfuncs - 1, best = -1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		if (f->funcs[mid].vaddr <= va) {
			best = mid;
			lo = mid + 1;
		} else {
			hi = mid - 1;
		}
	}
	if (best < 0 || va >= f->funcs[best].vaddr + f->funcs[best].size)
		return NULL;
	return &f->funcs[best];
}

int syms_user(void *arg, int pid, uint64_t addr, struct fmt_sym *out)
{
	struct syms *s = arg;
	const struct symmap *m = s ? syms_map(s, pid, addr) : NULL;
	if (!m)
		return -1;
	uint64_t bias = symmap_bias(m);
	const struct symfunc *fn = find_func(m->file, addr - bias);
	out->object = m->file->path;
	out->name = fn ? fn->name : NULL;
	out->value = fn ? fn->vaddr + bias : 0;
	return 0;
}

/* ---- the kernel ---- */

static int cmp_ksym(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static void read_kallsyms(struct syms *s)
{
	FILE *f = fopen("/proc/kallsyms", "re");
	char line[512];
	int cap = 0;
	s->ksyms_read = true;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long a;
		char type, name[256], mod[128] = "";
		if (sscanf(line, "%llx %c %255s [%127[^]]]", &a, &type, name, mod) < 3 ||
		    !a || (type != 't' && type != 'T' && type != 'w' && type != 'W'))
			continue;
		if (s->nksyms == cap) {
			cap = cap ? 2 * cap : 65536;
			void *v = realloc(s->ksyms, (size_t)cap * sizeof(*s->ksyms));
			if (!v)
				break;
			s->ksyms = v;
		}
		/* name and module in one allocation */
		size_t ln = strlen(name) + 1, lm = strlen(mod) + 1;
		char *p = malloc(ln + lm);
		if (!p)
			break;
		memcpy(p, name, ln);
		memcpy(p + ln, mod, lm);
		s->ksyms[s->nksyms++] = (struct ksym){ a, p, *mod ? p + ln : "vmlinux" };
	}
	fclose(f);
	qsort(s->ksyms, (size_t)s->nksyms, sizeof(*s->ksyms), cmp_ksym);
}

int syms_kernel(void *arg, uint64_t addr, struct fmt_sym *out)
{
	struct syms *s = arg;
	if (!s)
		return -1;
	if (!s->ksyms_read)
		read_kallsyms(s);
	int lo = 0, hi = s->nksyms - 1, best = -1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		if (s->ksyms[mid].addr <= addr) {
			best = mid;
			lo = mid + 1;
		} else {
			hi = mid - 1;
		}
	}
	if (best < 0)
		return -1;
	out->object = s->ksyms[best].mod;
	out->name = s->ksyms[best].name;
	out->value = s->ksyms[best].addr;
	return 0;
}
