/* kbtf.c - kernel struct layouts and types from the running kernel's BTF.
 *
 * The kernel's BTF is 5 MB and 120 000+ types, of which a program needs a
 * dozen.  libbpf's btf__parse() copies it out of sysfs a page per read and
 * checks every type before the first lookup (~20 ms, most of a tool's
 * start-up); here the file is mapped (the kernel allows it since 6.16;
 * older ones are read whole) and only indexed, as far as the lookups go:
 * a pass that notes where each type starts, taken up to the highest id
 * asked for (the types a tracer reads, task_struct, pt_regs, mm_struct,
 * are among the first few hundred of 120 000: the whole pass, its page
 * faults on the mapped file included, was ~1.4 ms of each start-up).
 * The records are libbpf's struct btf_type, read with its inline
 * helpers. */
#include <bpf/btf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "kbtf.h"

struct kbtf {
	const char *data;	/* the whole BTF: header, types, strings */
	size_t mapped;		/* bytes mmap()ed, or 0: data is malloc()ed */
	const char *strs;
	uint32_t str_len;
	uint32_t *at;		/* at[id]: offset of type id in data (id >= 1) */
	int ntypes;		/* ids 1 .. ntypes - 1 indexed so far; 0 is void */
	const char *types;	/* the type section, type_len bytes */
	uint32_t type_len;
	uint32_t next;		/* offset in it of type ntypes, not yet indexed */
	bool done;		/* every type is indexed (or a bad one stopped it) */
};

/* BTF chains are short; a bound keeps a corrupt file from looping. */
#define MAX_CHAIN 64

/* Bytes that follow a type's struct btf_type, by kind; -1 for a kind this
 * build does not know (a newer kernel's BTF: refused, not misread). */
static long trailer(const struct btf_type *t)
{
	long n = btf_vlen(t);

	switch (btf_kind(t)) {
	case BTF_KIND_INT: case BTF_KIND_VAR: case BTF_KIND_DECL_TAG:
		return 4;
	case BTF_KIND_PTR: case BTF_KIND_FWD: case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE: case BTF_KIND_CONST: case BTF_KIND_RESTRICT:
	case BTF_KIND_FUNC: case BTF_KIND_FLOAT: case BTF_KIND_TYPE_TAG:
		return 0;
	case BTF_KIND_ARRAY:
		return sizeof(struct btf_array);
	case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		return n * sizeof(struct btf_member);
	case BTF_KIND_ENUM:
		return n * sizeof(struct btf_enum);
	case BTF_KIND_ENUM64:
		return n * sizeof(struct btf_enum64);
	case BTF_KIND_FUNC_PROTO:
		return n * sizeof(struct btf_param);
	case BTF_KIND_DATASEC:
		return n * sizeof(struct btf_var_secinfo);
	}
	return -1;
}

/* Index the next type; false at the end of the types or at one this
 * build cannot read (a newer kernel's kind, a record past the end): the
 * ids after it are not found, not misread. */
static bool index_next(struct kbtf *kb)
{
	if (kb->done)
		return false;
	uint32_t off = kb->next;
	const struct btf_type *t = (const void *)(kb->types + off);
	long len = off < kb->type_len && off + sizeof(*t) <= kb->type_len ?
		trailer(t) : -1;
	if (len < 0 || off + sizeof(*t) + len > kb->type_len) {
		kb->done = true;
		return false;
	}
	kb->at[kb->ntypes++] = (uint32_t)(kb->types - kb->data) + off;
	kb->next = off + sizeof(*t) + (uint32_t)len;
	return true;
}

/* Check the header; the types are indexed as lookups need them. */
static int index_types(struct kbtf *kb, size_t size)
{
	const struct btf_header *h = (const void *)kb->data;

	if (size < sizeof(*h) || h->magic != BTF_MAGIC ||
	    h->hdr_len > size || (uint64_t)h->hdr_len + h->type_off +
	    h->type_len > size || (uint64_t)h->hdr_len + h->str_off +
	    h->str_len > size || h->str_len == 0)
		return -1;
	kb->types = kb->data + h->hdr_len + h->type_off;
	kb->type_len = h->type_len;
	kb->strs = kb->data + h->hdr_len + h->str_off;
	kb->str_len = h->str_len;
	if (kb->strs[kb->str_len - 1] != '\0')
		return -1;

	/* the smallest type is 12 bytes: that many ids at most */
	size_t cap = h->type_len / sizeof(struct btf_type) + 1;
	kb->at = malloc(cap * sizeof(*kb->at));
	if (!kb->at)
		return -1;
	kb->ntypes = 1;
	kb->next = 0;
	/* the first type must read, or this is not BTF we know */
	return h->type_len == 0 || index_next(kb) ? 0 : -1;
}

/* Take data (mapped bytes of it when mapped, else malloc()ed) and index it;
 * NULL with errno set when it is not BTF. */
static struct kbtf *wrap(const char *data, size_t size, size_t mapped)
{
	struct kbtf *kb = calloc(1, sizeof(*kb));
	if (kb) {
		kb->data = data;
		kb->mapped = mapped;
		if (index_types(kb, size) == 0)
			return kb;
		kbtf_close(kb);
		errno = EINVAL;
		return NULL;
	}
	if (mapped)
		munmap((void *)data, mapped);
	else
		free((void *)data);
	errno = ENOMEM;
	return NULL;
}

/* The whole of fd (size bytes, as fstat says), or NULL. */
static char *read_all(int fd, size_t size)
{
	char *buf = malloc(size ? size : 1);
	size_t got = 0;
	ssize_t n;

	while (buf && got < size && (n = read(fd, buf + got, size - got)) > 0)
		got += n;
	if (buf && got == size)
		return buf;
	free(buf);
	return NULL;
}

static struct kbtf *open_raw(const char *path)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || st.st_size <= 0) {
		close(fd);
		errno = EINVAL;
		return NULL;
	}
	size_t size = st.st_size;
	void *p = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p != MAP_FAILED) {
		close(fd);
		return wrap(p, size, size);
	}
	char *buf = read_all(fd, size);
	int err = errno;
	close(fd);
	if (!buf) {
		errno = err ? err : EIO;
		return NULL;
	}
	return wrap(buf, size, 0);
}

/* Through libbpf (ELF files, BTF of another byte order...): a copy of the
 * raw bytes it parsed. */
static struct kbtf *from_libbpf(struct btf *btf)
{
	if (!btf)
		return NULL;	/* libbpf set errno */
	uint32_t size;
	const void *raw = btf__raw_data(btf, &size);
	char *copy = raw ? malloc(size) : NULL;
	if (copy)
		memcpy(copy, raw, size);
	btf__free(btf);
	if (!copy) {
		errno = ENOMEM;
		return NULL;
	}
	return wrap(copy, size, 0);
}

struct kbtf *kbtf_open(void)
{
	struct kbtf *kb = open_raw("/sys/kernel/btf/vmlinux");
	/* no sysfs BTF: libbpf also looks for a vmlinux image in /boot */
	return kb ? kb : from_libbpf(btf__load_vmlinux_btf());
}

struct kbtf *kbtf_open_file(const char *path)
{
	struct kbtf *kb = open_raw(path);
	return kb ? kb : from_libbpf(btf__parse(path, NULL));
}

void kbtf_close(struct kbtf *kb)
{
	if (!kb)
		return;
	if (kb->mapped)
		munmap((void *)kb->data, kb->mapped);
	else
		free((void *)kb->data);
	free(kb->at);
	free(kb);
}

/* The type, or NULL for void and bad ids. */
static const struct btf_type *type_at(struct kbtf *kb, int id)
{
	while (id >= kb->ntypes && index_next(kb))
		;
	if (id <= 0 || id >= kb->ntypes)
		return NULL;
	return (const void *)(kb->data + kb->at[id]);
}

static const char *str_at(struct kbtf *kb, uint32_t off)
{
	return off < kb->str_len ? kb->strs + off : "";
}

static const char *name_of(struct kbtf *kb, const struct btf_type *t)
{
	return str_at(kb, t->name_off);
}

static bool is_qualifier(const struct btf_type *t)
{
	return btf_is_const(t) || btf_is_volatile(t) || btf_is_restrict(t) ||
	       btf_is_type_tag(t);
}

/* Strip typedefs and qualifiers; *tdname (may be NULL) gets the outermost
 * typedef's name, or stays untouched when there is none. */
static int resolve(struct kbtf *kb, int id, const char **tdname)
{
	for (int i = 0; i < MAX_CHAIN; i++) {
		const struct btf_type *t = type_at(kb, id);
		if (!t)
			return id;
		if (btf_is_typedef(t)) {
			if (tdname && !*tdname)
				*tdname = name_of(kb, t);
		} else if (!is_qualifier(t)) {
			return id;
		}
		id = t->type;
	}
	return -1;
}

int kbtf_find_by_name(struct kbtf *kb, int kind, const char *name)
{
	/* a walk over the index: a dozen lookups a program, the kind
	 * compared before the name */
	for (int id = 1; id < kb->ntypes || index_next(kb); id++) {
		const struct btf_type *t = type_at(kb, id);
		if (btf_kind(t) == kind && !strcmp(name_of(kb, t), name))
			return id;
	}
	return -1;
}

int kbtf_find_typedef(struct kbtf *kb, const char *name)
{
	return kbtf_find_by_name(kb, BTF_KIND_TYPEDEF, name);
}

bool kbtf_has_func(struct kbtf *kb, const char *name)
{
	return kbtf_find_by_name(kb, BTF_KIND_FUNC, name) > 0;
}

int kbtf_find_struct(struct kbtf *kb, const char *name)
{
	if (strncmp(name, "struct ", 7) == 0)
		return kbtf_find_by_name(kb, BTF_KIND_STRUCT, name + 7);
	if (strncmp(name, "union ", 6) == 0)
		return kbtf_find_by_name(kb, BTF_KIND_UNION, name + 6);
	int id = kbtf_find_by_name(kb, BTF_KIND_STRUCT, name);
	return id > 0 ? id : kbtf_find_by_name(kb, BTF_KIND_UNION, name);
}

/* Bytes of type id, 0 for void, functions and bad ids. */
static int type_size(struct kbtf *kb, int id)
{
	long nelem = 1;

	for (int i = 0; i < MAX_CHAIN; i++) {
		const struct btf_type *t = type_at(kb, id);
		if (!t)
			return 0;
		switch (btf_kind(t)) {
		case BTF_KIND_PTR:
			/* the compiler targets 64-bit kernels */
			return nelem * 8 <= INT32_MAX ? (int)(nelem * 8) : 0;
		case BTF_KIND_INT: case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		case BTF_KIND_ENUM: case BTF_KIND_ENUM64: case BTF_KIND_FLOAT:
			return nelem * t->size <= INT32_MAX ?
			       (int)(nelem * t->size) : 0;
		case BTF_KIND_ARRAY:
			nelem *= btf_array(t)->nelems;
			if (nelem > INT32_MAX)
				return 0;
			id = btf_array(t)->type;
			break;
		case BTF_KIND_TYPEDEF: case BTF_KIND_VOLATILE:
		case BTF_KIND_CONST: case BTF_KIND_RESTRICT:
		case BTF_KIND_TYPE_TAG:
			id = t->type;
			break;
		default:
			return 0;
		}
	}
	return 0;
}

static void describe_member(struct kbtf *kb, const struct btf_type *st,
			    int i, int bits, struct kbtf_member *out)
{
	const struct btf_member *m = btf_members(st) + i;
	out->decl_type_id = m->type;
	out->type_id = resolve(kb, m->type, NULL);
	out->size = type_size(kb, out->type_id);
	out->bit_offset = bits;
	out->bit_size = btf_member_bitfield_size(st, i);
	out->offset = bits / 8;
	if (!out->bit_size)
		return;
	/* A bitfield is read through the naturally aligned unit of its type
	 * that holds it, or through 8 bytes when it straddles units (packed
	 * structs). */
	int unit = out->size > 0 && out->size <= 8 ? out->size : 8;
	int off = bits / (unit * 8) * unit;
	if (bits - off * 8 + out->bit_size > unit * 8) {
		off = bits / 8;
		unit = 8;
	}
	out->offset = off;
	out->size = unit;
}

/* Depth-first through anonymous members; base is the bit offset of
 * struct_id inside the outermost struct. */
static int find_member(struct kbtf *kb, int struct_id, const char *member,
		       int base, struct kbtf_member *out, int depth)
{
	const struct btf_type *st = type_at(kb, resolve(kb, struct_id, NULL));
	if (!st || !btf_is_composite(st) || depth > MAX_CHAIN)
		return -1;
	const struct btf_member *m = btf_members(st);
	for (int i = 0; i < btf_vlen(st); i++, m++) {
		int bits = base + (int)btf_member_bit_offset(st, i);
		const char *name = str_at(kb, m->name_off);
		if (*name) {
			if (strcmp(name, member) == 0) {
				describe_member(kb, st, i, bits, out);
				return 0;
			}
		} else if (find_member(kb, m->type, member, bits, out,
				       depth + 1) == 0) {
			return 0;
		}
	}
	return -1;
}

int kbtf_member(struct kbtf *kb, int struct_id, const char *member,
		struct kbtf_member *out)
{
	return find_member(kb, struct_id, member, 0, out, 0);
}

int kbtf_path(struct kbtf *kb, int struct_id, const char *path,
	      struct kbtf_member *out)
{
	int base = 0, cur = struct_id;
	const char *p = path;

	for (;;) {
		char name[128];
		size_t n = strcspn(p, ".[");
		if (n == 0 || n >= sizeof(name))
			return -1;
		memcpy(name, p, n);
		name[n] = 0;
		p += n;
		if (find_member(kb, cur, name, base, out, 0))
			return -1;
		cur = out->type_id;
		/* name[N]: an element of an array member */
		while (*p == '[') {
			char *end;
			long idx = strtol(p + 1, &end, 10);
			const struct btf_type *t = type_at(kb, cur);
			if (end == p + 1 || *end != ']' || !t || !btf_is_array(t) ||
			    idx < 0 || idx >= btf_array(t)->nelems)
				return -1;
			out->decl_type_id = btf_array(t)->type;
			cur = out->type_id = resolve(kb, out->decl_type_id, NULL);
			out->size = type_size(kb, cur);
			out->offset += (int)idx * out->size;
			out->bit_offset = out->offset * 8;
			p = end + 1;
		}
		if (*p == 0)
			return 0;
		if (*p != '.' || out->bit_size)
			return -1;
		p++;
		base = out->bit_offset;
	}
}

int kbtf_offsetof(struct kbtf *kb, const char *sname, const char *path,
		  int *size)
{
	struct kbtf_member m;
	int id = kbtf_find_struct(kb, sname);
	if (id < 0 || kbtf_path(kb, id, path, &m))
		return -1;
	if (size)
		*size = m.size;
	return m.offset;
}

int kbtf_type(struct kbtf *kb, int id, struct kbtf_type *out)
{
	const char *tdname = NULL;
	memset(out, 0, sizeof(*out));
	id = resolve(kb, id, &tdname);
	if (id < 0)
		return -1;
	out->id = id;
	out->name = "void";
	const struct btf_type *t = type_at(kb, id);
	if (!t) {
		if (id != 0)
			return -1;
		out->kind = KB_VOID;
		out->name = tdname ? tdname : "void";
		return 0;
	}
	out->name = tdname ? tdname : name_of(kb, t);
	out->size = type_size(kb, id);
	out->kind = KB_OTHER;
	if (btf_is_int(t)) {
		int enc = btf_int_encoding(t);
		out->kind = KB_INT;
		out->is_signed = enc & BTF_INT_SIGNED;
		/* plain char (unsigned in kernels since 6.2) and signed
		 * char are text; unsigned char (u8) is a byte */
		out->is_char = t->size == 1 && ((enc & BTF_INT_CHAR) ||
			!strcmp(name_of(kb, t), "char") ||
			!strcmp(name_of(kb, t), "signed char"));
	} else if (btf_is_ptr(t)) {
		const struct btf_type *to = type_at(kb, resolve(kb, t->type, NULL));
		out->kind = to && btf_is_func_proto(to) ? KB_FUNC_PTR : KB_PTR;
		out->elem_id = t->type;
	} else if (btf_is_struct(t)) {
		out->kind = KB_STRUCT;
	} else if (btf_is_union(t)) {
		out->kind = KB_UNION;
	} else if (btf_is_array(t)) {
		out->kind = KB_ARRAY;
		out->elem_id = btf_array(t)->type;
		out->nelem = btf_array(t)->nelems;
	} else if (btf_is_any_enum(t)) {
		out->kind = KB_ENUM;
		out->is_signed = btf_kflag(t);	/* set by pahole for signed enums */
	}
	return 0;
}

/* C declarations read inside out: `inner` is the declarator built so far
 * ("*", "[16]", "(*)(int)"), quals the qualifiers waiting for a base type
 * or a pointer. */
static int declare(struct kbtf *kb, int id, const char *quals,
		   const char *inner, char *out, size_t len, int depth)
{
	char next[512];
	const struct btf_type *t = type_at(kb, id);

	if (depth > MAX_CHAIN || (!t && id != 0))
		return -1;
	if (t && is_qualifier(t) && !btf_is_type_tag(t)) {
		const char *q = btf_is_const(t) ? "const " :
				btf_is_volatile(t) ? "volatile " : "restrict ";
		snprintf(next, sizeof(next), "%s%s", quals, q);
		return declare(kb, t->type, next, inner, out, len, depth + 1);
	}
	if (t && btf_is_type_tag(t))
		return declare(kb, t->type, quals, inner, out, len, depth + 1);
	if (t && btf_is_ptr(t)) {
		/* "char *const p": the pointer's own qualifiers follow the '*' */
		size_t ql = strlen(quals);
		snprintf(next, sizeof(next), "*%.*s%s%s", (int)(ql ? ql - 1 : 0),
			 quals, ql && *inner ? " " : "", inner);
		return declare(kb, t->type, "", next, out, len, depth + 1);
	}
	bool wrap_inner = *inner == '*';
	if (t && btf_is_array(t)) {
		snprintf(next, sizeof(next), "%s%s%s[%u]", wrap_inner ? "(" : "",
			 inner, wrap_inner ? ")" : "", btf_array(t)->nelems);
		return declare(kb, btf_array(t)->type, quals, next, out, len,
			       depth + 1);
	}
	if (t && btf_is_func_proto(t)) {
		char args[384] = "", arg[256];
		const struct btf_param *p = btf_params(t);
		for (int i = 0; i < btf_vlen(t); i++, p++) {
			if (p->type == 0)
				snprintf(arg, sizeof(arg), "...");
			else if (declare(kb, p->type, "", "", arg, sizeof(arg),
					 depth + 1) < 0)
				return -1;
			size_t al = strlen(args);
			snprintf(args + al, sizeof(args) - al, "%s%s",
				 i ? ", " : "", arg);
		}
		snprintf(next, sizeof(next), "%s%s%s(%s)", wrap_inner ? "(" : "",
			 inner, wrap_inner ? ")" : "", *args ? args : "void");
		return declare(kb, t->type, "", next, out, len, depth + 1);
	}

	/* a base type: void, int, struct, union, enum, typedef, ... */
	const char *tag = "", *name = t ? name_of(kb, t) : "void";
	if (t && (btf_is_struct(t) || (btf_is_fwd(t) && !btf_kflag(t))))
		tag = "struct ";
	else if (t && (btf_is_union(t) || btf_is_fwd(t)))
		tag = "union ";
	else if (t && btf_is_any_enum(t))
		tag = "enum ";
	if (!*name)
		name = "(anon)";
	const char *sep = *inner && *inner != '[' ? " " : "";
	return snprintf(out, len, "%s%s%s%s%s", quals, tag, name, sep, inner);
}

int kbtf_type_name(struct kbtf *kb, int id, char *buf, size_t len)
{
	char text[1024];
	if (declare(kb, id, "", "", text, sizeof(text), 0) < 0)
		return -1;
	return snprintf(buf, len, "%s", text);
}
