/* ustack.c - unwinding a copied user stack with libunwind's remote API,
 * the way perf's --call-graph dwarf does (util/unwind-libunwind-local.c).
 *
 * The accessors read registers from the copy the kernel made, memory from
 * the copied stack when the address lies in it, and otherwise from the
 * files the process maps (code and .eh_frame never change).  The process
 * itself is never read: it may have exited.  find_proc_info hands
 * libunwind the binary-search table of the mapped file's .eh_frame_hdr.
 * Where a pc has no call-frame information (JIT code, the vdso, a
 * stripped .eh_frame), one frame-pointer step is taken instead and the
 * DWARF walk resumes from there.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/user.h>
#include <libunwind.h>
#include "fmt.h"
#include "syms.h"
#include "ustack.h"

/* Not in libunwind's public headers; perf declares it the same way. */
extern int UNW_OBJ(dwarf_search_unwind_table)(unw_addr_space_t as, unw_word_t ip,
					      unw_dyn_info_t *di,
					      unw_proc_info_t *pi,
					      int need_unwind_info, void *arg);
#define dwarf_search_unwind_table UNW_OBJ(dwarf_search_unwind_table)

struct uctx {
	struct syms *s;
	struct symproc *p;
	struct user_regs_struct regs;
	uint64_t sp;			/* where the copy starts */
	const uint8_t *stk;
	size_t len;
	struct ustack_log *log;		/* what the walk read, or NULL */
	bool regs_moved;		/* regs are no longer the block's */
};

/* libunwind's register numbers -> struct user_regs_struct. */
#if defined(__x86_64__)
#define R(x) (int)offsetof(struct user_regs_struct, x)
static const int reg_off[] = {
	[UNW_X86_64_RAX] = R(rax), [UNW_X86_64_RDX] = R(rdx),
	[UNW_X86_64_RCX] = R(rcx), [UNW_X86_64_RBX] = R(rbx),
	[UNW_X86_64_RSI] = R(rsi), [UNW_X86_64_RDI] = R(rdi),
	[UNW_X86_64_RBP] = R(rbp), [UNW_X86_64_RSP] = R(rsp),
	[UNW_X86_64_R8] = R(r8), [UNW_X86_64_R9] = R(r9),
	[UNW_X86_64_R10] = R(r10), [UNW_X86_64_R11] = R(r11),
	[UNW_X86_64_R12] = R(r12), [UNW_X86_64_R13] = R(r13),
	[UNW_X86_64_R14] = R(r14), [UNW_X86_64_R15] = R(r15),
	[UNW_X86_64_RIP] = R(rip),
};
#define NREGS (UNW_X86_64_RIP + 1)
#define REG_FP UNW_X86_64_RBP
#elif defined(__aarch64__)
static int reg_off_of(int r)
{
	return r <= UNW_AARCH64_X30 ? (int)offsetof(struct user_regs_struct, regs) + 8 * r :
		r == UNW_AARCH64_SP ? (int)offsetof(struct user_regs_struct, sp) :
		r == UNW_AARCH64_PC ? (int)offsetof(struct user_regs_struct, pc) : -1;
}
#define NREGS (UNW_AARCH64_PC + 1)
#define REG_FP UNW_AARCH64_X29
#else
#error "ustack.c: no register map for this architecture"
#endif

static uint64_t *reg_ptr(struct uctx *u, int r)
{
	if (r < 0 || r >= NREGS)
		return NULL;
#if defined(__x86_64__)
	return (uint64_t *)((char *)&u->regs + reg_off[r]);
#else
	int off = reg_off_of(r);
	return off < 0 ? NULL : (uint64_t *)((char *)&u->regs + off);
#endif
}

static void log_read(struct uctx *u, int kind, int64_t at, uint64_t val)
{
	struct ustack_log *l = u->log;
	if (!l)
		return;
	/* outside any copy a block can hold (file contents, addresses below
	 * sp): the same in every block with this sp */
	if (kind == UR_NOSTACK && (at < 0 || at >= USTACK_MAX + USTACK_PAGE))
		return;
	for (int i = 0; i < l->n; i++)
		if (l->r[i].kind == kind && l->r[i].at == at)
			return;
	if (l->n == USTACK_LOG) {
		l->full = true;
		return;
	}
	l->r[l->n++] = (struct ustack_read){ kind, at, val };
	if (kind == UR_STACK && at >= 0 && (uint64_t)at + 8 > l->need)
		l->need = (uint32_t)at + 8;
}

static bool copy_read(const struct uctx *u, uint64_t addr, uint64_t *v)
{
	if (addr < u->sp || addr - u->sp > u->len || u->len - (addr - u->sp) < 8)
		return false;
	memcpy(v, u->stk + (addr - u->sp), 8);
	return true;
}

static bool stack_read(struct uctx *u, uint64_t addr, uint64_t *v)
{
	bool ok = copy_read(u, addr, v);
	log_read(u, ok ? UR_STACK : UR_NOSTACK, (int64_t)(addr - u->sp),
		 ok ? *v : 0);
	return ok;
}

static int access_mem(unw_addr_space_t as, unw_word_t addr, unw_word_t *valp,
		      int write, void *arg)
{
	struct uctx *u = arg;
	uint64_t v;
	(void)as;
	if (write)
		return -UNW_EINVAL;
	if (stack_read(u, addr, &v)) {
		*valp = v;
		return 0;
	}
	if (u->p->gone)
		return -UNW_EINVAL;
	const struct symmap *m = syms_map(u->s, u->p->pid, addr);
	if (!m || symmap_read(m, addr, &v, 8) < 0)
		return -UNW_EINVAL;
	*valp = v;
	return 0;
}

static int access_reg(unw_addr_space_t as, unw_regnum_t regnum,
		      unw_word_t *valp, int write, void *arg)
{
	struct uctx *u = arg;
	uint64_t *r = reg_ptr(u, regnum);
	(void)as;
	if (!r || write)
		return -UNW_EBADREG;
	*valp = *r;
	if (!u->regs_moved)
		log_read(u, UR_REG, regnum, *r);
	return 0;
}

static int access_fpreg(unw_addr_space_t as, unw_regnum_t r, unw_fpreg_t *v,
			int write, void *arg)
{
	(void)as; (void)r; (void)v; (void)write; (void)arg;
	return -UNW_EINVAL;
}

static int resume(unw_addr_space_t as, unw_cursor_t *c, void *arg)
{
	(void)as; (void)c; (void)arg;
	return -UNW_EINVAL;
}

static int get_dyn_info_list_addr(unw_addr_space_t as, unw_word_t *dil, void *arg)
{
	(void)as; (void)dil; (void)arg;
	return -UNW_ENOINFO;
}

static int get_proc_name(unw_addr_space_t as, unw_word_t addr, char *buf,
			 size_t len, unw_word_t *off, void *arg)
{
	(void)as; (void)addr; (void)buf; (void)len; (void)off; (void)arg;
	return -UNW_EINVAL;
}

static void put_unwind_info(unw_addr_space_t as, unw_proc_info_t *pi, void *arg)
{
	(void)as; (void)pi; (void)arg;
}

/* Bytes of a DW_EH_PE value of the sizes .eh_frame_hdr uses; 0 if other. */
static int enc_size(uint8_t enc)
{
	switch (enc & 0x0f) {
	case 0x02: case 0x0a: return 2;		/* udata2, sdata2 */
	case 0x03: case 0x0b: return 4;		/* udata4, sdata4 */
	case 0x04: case 0x0c: return 8;		/* udata8, sdata8 */
	default: return 0;
	}
}

/* .eh_frame_hdr: version, eh_frame_ptr_enc, fde_count_enc, table_enc,
 * eh_frame_ptr, fde_count, then the sorted (initial pc, fde) table. */
static int find_proc_info(unw_addr_space_t as, unw_word_t ip,
			  unw_proc_info_t *pi, int need_unwind_info, void *arg)
{
	struct uctx *u = arg;
	if (u->p->gone)
		return -UNW_ENOINFO;
	const struct symmap *m = syms_map(u->s, u->p->pid, ip);
	if (!m || !m->file->ehdr_vaddr)
		return -UNW_ENOINFO;
	uint64_t bias = symmap_bias(m), hdr = m->file->ehdr_vaddr + bias;
	uint8_t h[4];
	if (symmap_read(m, hdr, h, 4) < 0) {
		/* the header may sit in another mapping of the file */
		const struct symmap *hm = syms_map(u->s, u->p->pid, hdr);
		if (!hm || hm->file != m->file || symmap_read(hm, hdr, h, 4) < 0)
			return -UNW_ENOINFO;
		m = hm;
	}
	int ps = enc_size(h[1]), cs = enc_size(h[2]);
	if (h[0] != 1 || !ps || !cs || h[3] != 0x3b)	/* datarel|sdata4 */
		return -UNW_ENOINFO;
	uint64_t count = 0;
	if (symmap_read(m, hdr + 4 + ps, &count, cs) < 0)
		return -UNW_ENOINFO;
	const struct symmap *xm = syms_map(u->s, u->p->pid, ip);
	unw_dyn_info_t di;
	memset(&di, 0, sizeof(di));
	di.format = UNW_INFO_FORMAT_REMOTE_TABLE;
	di.start_ip = xm->start;
	di.end_ip = xm->end;
	di.u.rti.segbase = hdr;
	di.u.rti.table_data = hdr + 4 + ps + cs;
	di.u.rti.table_len = count * 8 / sizeof(unw_word_t);
	return dwarf_search_unwind_table(as, ip, &di, pi, need_unwind_info, arg);
}

static unw_accessors_t accessors = {
	.find_proc_info = find_proc_info,
	.put_unwind_info = put_unwind_info,
	.get_dyn_info_list_addr = get_dyn_info_list_addr,
	.access_mem = access_mem,
	.access_reg = access_reg,
	.access_fpreg = access_fpreg,
	.resume = resume,
	.get_proc_name = get_proc_name,
};

static void addr_space_free(void *as)
{
	unw_destroy_addr_space(as);
}

/* One frame-pointer step from the cursor's registers into u->regs:
 * the saved frame pointer at [fp], the return address above it. */
static bool fp_step(struct uctx *u, unw_cursor_t *cur)
{
	for (int r = 0; r < NREGS; r++) {
		unw_word_t v;
		uint64_t *p = reg_ptr(u, r);
		if (p && unw_get_reg(cur, r, &v) == 0)
			*p = v;
	}
	u->regs_moved = true;	/* from here on derived from what was read */
	uint64_t fp = *reg_ptr(u, REG_FP), nfp, ret;
	uint64_t *sp = reg_ptr(u, UNW_TDEP_SP), *ip = reg_ptr(u, UNW_TDEP_IP);
	if (fp < *sp || !stack_read(u, fp, &nfp) || !stack_read(u, fp + 8, &ret) ||
	    ret == 0)
		return false;
	*reg_ptr(u, REG_FP) = nfp;
	*sp = fp + 16;
	*ip = ret;
	return true;
}

/* The block's head, registers and stack copy into u. */
static bool block_parse(struct uctx *u, const void *block, size_t size,
			struct ustack_block *b)
{
	if (size < sizeof(*b))
		return false;
	memcpy(b, block, sizeof(*b));
	if (sizeof(*b) + b->regs_size > size)
		return false;
	memset(u, 0, sizeof(*u));
	memcpy(&u->regs, (const char *)block + sizeof(*b),
	       b->regs_size < sizeof(u->regs) ? b->regs_size : sizeof(u->regs));
	u->stk = (const uint8_t *)block + sizeof(*b) + b->regs_size;
	u->len = size - sizeof(*b) - b->regs_size;
	if (u->len > b->stack_len)
		u->len = b->stack_len;
	u->sp = *reg_ptr(u, UNW_TDEP_SP);
	return true;
}

bool ustack_block_key(const void *block, size_t size, int *pid, uint64_t *ip,
		      uint64_t *sp)
{
	struct ustack_block b;
	struct uctx u;
	if (!block_parse(&u, block, size, &b))
		return false;
	*pid = (int)b.pid;
	*ip = *reg_ptr(&u, UNW_TDEP_IP);
	*sp = u.sp;
	return true;
}

bool ustack_log_match(const void *block, size_t size,
		      const struct ustack_read *r, int n)
{
	struct ustack_block b;
	struct uctx u;
	uint64_t v;
	if (!block_parse(&u, block, size, &b))
		return false;
	for (int i = 0; i < n; i++) {
		switch (r[i].kind) {
		case UR_REG:
			if (*reg_ptr(&u, (int)r[i].at) != r[i].val)
				return false;
			break;
		case UR_STACK:
			if (!copy_read(&u, u.sp + (uint64_t)r[i].at, &v) ||
			    v != r[i].val)
				return false;
			break;
		case UR_NOSTACK:
			if (copy_read(&u, u.sp + (uint64_t)r[i].at, &v))
				return false;
			break;
		}
	}
	return true;
}

int ustack_unwind(struct syms *s, const void *block, size_t size,
		  struct ustack_frame *out, int max, const char **why,
		  struct ustack_log *log)
{
	struct ustack_block b;
	struct uctx u;
	*why = NULL;
	if (!block_parse(&u, block, size, &b))
		return 0;
	u.s = s;
	u.log = log;
	u.p = syms_proc(s, (int)b.pid);
	if (!u.p)
		return 0;
	if (u.p->gone)
		*why = "process exited before its mappings were read: "
		       "frame-pointer walk, no symbols";
	if (!u.p->unw_as.p) {
		unw_addr_space_t as = unw_create_addr_space(&accessors, 0);
		if (!as)
			return 0;
		unw_set_caching_policy(as, UNW_CACHE_GLOBAL);
		u.p->unw_as = (struct symslot){ as, addr_space_free };
	}
	int n = 0, how = UH_REGS;
	while (n < max) {
		unw_cursor_t cur;
		unw_word_t ip, prev_sp = *reg_ptr(&u, UNW_TDEP_SP);
		if (unw_init_remote(&cur, u.p->unw_as.p, &u) < 0)
			break;
		int r = 0;
		while (n < max) {
			if (unw_get_reg(&cur, UNW_REG_IP, &ip) < 0)
				return n;
			if (ip == 0) {
				if (log)
					log->ended = true;
				return n;
			}
			/* libunwind may have taken the same frame-pointer
			 * step itself before giving up: keep one */
			if (how == UH_FP && n && out[n - 1].pc == ip)
				out[n - 1].how = UH_FP;
			else
				out[n++] = (struct ustack_frame){ ip, how };
			how = UH_CFI;
			if ((r = unw_step(&cur)) <= 0)
				break;
		}
		if (r == 0 && log)
			log->ended = true;
		if (r == 0 || n >= max || !fp_step(&u, &cur) ||
		    *reg_ptr(&u, UNW_TDEP_SP) <= prev_sp)
			break;
		how = UH_FP;
	}
	return n;
}

void ustack_print(FILE *out, struct syms *s, int pid,
		  const struct ustack_frame *f, int n, int indent,
		  const char *why)
{
	struct fmt_ctx ctx = { .usym = syms_user, .arg = s, .target = pid };
	char sym[512];
	fputc('\n', out);
	for (int i = 0; i < n; i++) {
		fmt_symstr(sym, sizeof(sym), &ctx, true, pid, f[i].pc);
		fprintf(out, "%*s%s%s\n", indent, "", sym,
			f[i].how == UH_FP ? " [fp]" : "");
	}
	if (why)
		fprintf(out, "%*s[%s]\n", indent, "", why);
}
