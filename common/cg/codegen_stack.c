/* codegen_stack.c - stacks in the kernel.
 *
 * stack() is the kernel's own walk (bpf_get_stack with flags 0): kernel
 * code keeps frame pointers and ORC, so its answer is right.
 *
 * ustack() cannot be walked here: most user code has no frame pointers,
 * and the kernel's BPF walk follows them only.  So the record carries a
 * struct ustack_block (ustack.h): the task's saved user registers and a
 * copy of its stack from the stack pointer up, and user space unwinds it
 * with the DWARF call-frame information of the mapped files.
 *
 * The registers come from task_pt_regs(current) (bpf_task_pt_regs): the
 * pt_regs the kernel saved when the thread entered it, which are the user
 * registers in a syscall, a uprobe, a tracepoint or a timer tick alike.
 *
 * @[ustack()] = f(x): the key cannot be made in the kernel, so each event
 * is sent (the other keys, x, and the block); user space unwinds it and
 * aggregates into the same per-CPU map the kernel would have used, so
 * printa() and the print at exit see one kind of map.
 */
#include <sys/user.h>
#include <linux/btf.h>
#include "builtins.h"
#include "codegen.h"
#include "codegen_stack.h"
#include "fn.h"
#include "sema.h"
#include "uregs.h"
#include "kbtf.h"
#include "ustack.h"

static int stack_bytes(struct cg *c)
{
	int s = c->d->opt.ustacksize & ~(USTACK_PAGE - 1);
	return s < USTACK_MIN ? USTACK_MIN : s > USTACK_MAX ? USTACK_MAX : s;
}

/* Bytes of saved registers copied: what struct user_regs_struct shares
 * with the kernel's pt_regs (x86_64: r15 ... ss; arm64: x0-x30, sp, pc,
 * pstate). */
static int regs_bytes(struct cg *c, struct loc loc)
{
	struct kbtf *kb = sema_kbtf(c->d);
	struct kbtf_type t;
	int id = kb ? kbtf_find_struct(kb, "pt_regs") : -1;
	if (id < 0 || kbtf_type(kb, id, &t) < 0)
		FAIL(c, loc, "struct pt_regs not found in kernel BTF");
	int n = t.size < (int)sizeof(struct user_regs_struct) ?
		t.size : (int)sizeof(struct user_regs_struct);
	return n & ~7;
}

/* Most bytes a block may take at scratch offset blk. */
int block_max(struct cg *c, struct loc loc)
{
	return (int)sizeof(struct ustack_block) + regs_bytes(c, loc) +
		stack_bytes(c) + USTACK_PAGE;
}

/* ---- the process's mappings (struct ustack_maprec, ustack.h) ---- */

static int kfunc_id(struct cg *c, const char *name)
{
	struct kbtf *kb = sema_kbtf(c->d);
	return kb ? kbtf_find_by_name(kb, BTF_KIND_FUNC, name) : -1;
}

static void call_kfunc(struct cg *c, int btf_id)
{
	emit_insn(c->e, (struct bpf_insn){ .code = BPF_JMP | BPF_CALL,
		  .src_reg = BPF_PSEUDO_KFUNC_CALL, .imm = btf_id });
}

static int seen_map(struct cg *c)
{
	for (int i = 0; i < c->p->nmaps; i++)
		if (c->p->maps[i].role == MR_USEEN)
			return i;
	return map_add(c, MR_USEEN, BPF_MAP_TYPE_LRU_HASH, 24, 8, 8192,
		       "dtk_useen");
}

/* Scratch words of the walk, after the vma's copy. */
enum { W_FILE, W_DENT, W_MNT, W_PMNT, W_INODE, W_PDEV, W_PINO, W_FAIL, W_N };

/* One name of the path, leaf first: cross to the mount point first when
 * the dentry is its mount's root.  Leaves the parent at W_DENT, or jumps
 * to done at the root. */
static void gen_path_name(struct cg *c, int rec, int w, int i, int done,
			  struct loc loc)
{
	struct emit *e = c->e;
	int m_root = kofs(c, "mount", "mnt", loc) + kofs(c, "vfsmount", "mnt_root", loc);
	int m_parent = kofs(c, "mount", "mnt_parent", loc);
	int m_point = kofs(c, "mount", "mnt_mountpoint", loc);
	int d_name = kofs(c, "dentry", "d_name.name", loc);
	int d_parent = kofs(c, "dentry", "d_parent", loc);
	int name = emit_label(e);

	emit_ldx(e, BPF_DW, R1, R9, w + 8 * W_MNT);
	kread(c, R0, R1, m_root, 8);
	emit_ldx(e, BPF_DW, R1, R9, w + 8 * W_DENT);
	emit_jmp_reg(e, BPF_JNE, R0, R1, name);
	emit_ldx(e, BPF_DW, R1, R9, w + 8 * W_MNT);
	kread(c, R0, R1, m_parent, 8);
	emit_ldx(e, BPF_DW, R1, R9, w + 8 * W_MNT);
	emit_jmp_reg(e, BPF_JEQ, R0, R1, name);		/* the namespace's root */
	emit_jmp_imm(e, BPF_JEQ, R0, 0, name);
	emit_stx(e, BPF_DW, R9, R0, w + 8 * W_PMNT);
	kread(c, R0, R1, m_point, 8);
	emit_stx(e, BPF_DW, R9, R0, w + 8 * W_DENT);
	emit_ldx(e, BPF_DW, R1, R9, w + 8 * W_PMNT);
	emit_stx(e, BPF_DW, R9, R1, w + 8 * W_MNT);

	emit_place(e, name);
	emit_ldx(e, BPF_DW, R1, R9, w + 8 * W_DENT);
	kread(c, R0, R1, d_name, 8);
	emit_mov_reg(e, R3, R0);
	read_into(c, BPF_FUNC_probe_read_kernel_str, rec + (int)USTACK_MAPREC_HEAD + i * USTACK_NAMELEN, USTACK_NAMELEN);
	emit_st(e, BPF_W, R9, rec + (int)offsetof(struct ustack_maprec, nnames), i + 1);
	emit_ldx(e, BPF_DW, R1, R9, w + 8 * W_DENT);
	kread(c, R0, R1, d_parent, 8);
	emit_jmp_imm(e, BPF_JEQ, R0, 0, done);
	emit_ldx(e, BPF_DW, R1, R9, w + 8 * W_DENT);
	emit_jmp_reg(e, BPF_JEQ, R0, R1, done);
	emit_stx(e, BPF_DW, R9, R0, w + 8 * W_DENT);
}

/* Send the process's file mappings the first time its address space
 * takes a stack: ustack.h says why.  Loop state lives in scratch, where
 * the verifier does not follow values, so that the iterator's loop
 * converges at its second pass. */
static void gen_send_maps(struct cg *c, struct loc loc)
{
	struct emit *e = c->e;
	int k_new = kfunc_id(c, "bpf_iter_task_vma_new");
	int k_next = kfunc_id(c, "bpf_iter_task_vma_next");
	int k_end = kfunc_id(c, "bpf_iter_task_vma_destroy");
	if (k_new < 0 || k_next < 0 || k_end < 0)
		return;		/* user space reads /proc at first sight */
	int v_start = kofs(c, "vm_area_struct", "vm_start", loc);
	int v_end = kofs(c, "vm_area_struct", "vm_end", loc);
	int v_flags = kofs(c, "vm_area_struct", "vm_flags", loc);
	int v_pgoff = kofs(c, "vm_area_struct", "vm_pgoff", loc);
	int v_file = kofs(c, "vm_area_struct", "vm_file", loc);
	int f_inode = kofs(c, "file", "f_inode", loc);
	int f_dent = kofs(c, "file", "f_path.dentry", loc);
	int f_mnt = kofs(c, "file", "f_path.mnt", loc);
	int m_mnt = kofs(c, "mount", "mnt", loc);
	int i_ino = kofs(c, "inode", "i_ino", loc);
	int i_sb = kofs(c, "inode", "i_sb", loc);
	int s_dev = kofs(c, "super_block", "s_dev", loc);
	int t_mm = kofs(c, "task_struct", "mm", loc);
	int mm_count = kofs(c, "mm_struct", "map_count", loc);
	int vsz = ((v_file > v_pgoff ? v_file : v_pgoff) + 8 + 7) & ~7;
	if (v_start > vsz || v_end > vsz || v_flags > vsz)
		FAIL(c, loc, "struct vm_area_struct: unexpected layout");
	struct action *a = new_action(c, ACT_USTACK_MAPS, loc);
	int rec = salloc(c, (int)sizeof(struct ustack_maprec), loc);
	int vma = salloc(c, vsz, loc);
	int w = salloc(c, 8 * W_N, loc);
	int key = salloc(c, 24, loc);
	int skip = emit_label(e), loop = emit_label(e), end = emit_label(e);
	int names = emit_label(e), same = emit_label(e), out = emit_label(e);
#define REC(f) (rec + (int)offsetof(struct ustack_maprec, f))

	/* the key: the process, its address space (none: a kernel thread)
	 * and how many mappings it has */
	call(c, BPF_FUNC_get_current_pid_tgid);
	emit_alu64_imm(e, BPF_RSH, R0, 32);
	emit_stx(e, BPF_DW, R9, R0, key);
	call(c, BPF_FUNC_get_current_task);
	kread(c, R0, R0, t_mm, 8);
	emit_jmp_imm(e, BPF_JEQ, R0, 0, skip);
	emit_stx(e, BPF_DW, R9, R0, key + 8);
	emit_mov_reg(e, R1, R0);
	kread(c, R0, R1, mm_count, 4);
	emit_stx(e, BPF_DW, R9, R0, key + 16);
	/* sent already?  A lookup first: an LRU map's update takes a free
	 * node before it finds the key there */
	map_lookup_scratch(c, seen_map(c), key);
	emit_jmp_imm(e, BPF_JNE, R0, 0, skip);
	map_update_scratch(c, seen_map(c), key, key, BPF_NOEXIST);
	emit_jmp_imm(e, BPF_JNE, R0, 0, skip);		/* sent already */

	rec_header(c, rec, a);
	emit_ldx(e, BPF_DW, R0, R9, key);
	emit_stx(e, BPF_W, R9, R0, REC(pid));
	emit_ldx(e, BPF_DW, R0, R9, key + 8);
	emit_stx(e, BPF_DW, R9, R0, REC(mm));
	emit_ldx(e, BPF_DW, R0, R9, key + 16);
	emit_stx(e, BPF_DW, R9, R0, REC(seq));
	for (int i = 0; i < W_N; i++)
		emit_st(e, BPF_DW, R9, w + 8 * i, 0);

	call(c, BPF_FUNC_get_current_task_btf);
	emit_mov_reg(e, R2, R0);
	fptr(c, R1, FP_ITER);
	emit_mov_imm(e, R3, 0);
	call_kfunc(c, k_new);
	emit_jmp_imm(e, BPF_JEQ, R0, 0, loop);
	emit_st(e, BPF_DW, R9, w + 8 * W_FAIL, 1);	/* mm locked: next time */
	emit_ja(e, end);

	emit_place(e, loop);
	fptr(c, R1, FP_ITER);
	call_kfunc(c, k_next);
	emit_jmp_imm(e, BPF_JEQ, R0, 0, end);
	emit_mov_reg(e, R3, R0);
	read_into(c, BPF_FUNC_probe_read_kernel, vma, vsz);
	emit_ldx(e, BPF_DW, R1, R9, vma + v_file);
	emit_jmp_imm(e, BPF_JEQ, R1, 0, loop);		/* anonymous */
	emit_stx(e, BPF_DW, R9, R1, w + 8 * W_FILE);
	emit_ldx(e, BPF_DW, R0, R9, vma + v_start);
	emit_stx(e, BPF_DW, R9, R0, REC(start));
	emit_ldx(e, BPF_DW, R0, R9, vma + v_end);
	emit_stx(e, BPF_DW, R9, R0, REC(end));
	emit_ldx(e, BPF_DW, R0, R9, vma + v_flags);
	emit_stx(e, BPF_DW, R9, R0, REC(flags));
	emit_ldx(e, BPF_DW, R0, R9, vma + v_pgoff);
	emit_stx(e, BPF_DW, R9, R0, REC(pgoff));
	kread(c, R0, R1, f_inode, 8);
	emit_stx(e, BPF_DW, R9, R0, w + 8 * W_INODE);
	emit_mov_reg(e, R1, R0);
	kread(c, R0, R1, i_ino, 8);
	emit_stx(e, BPF_DW, R9, R0, REC(ino));
	emit_ldx(e, BPF_DW, R1, R9, w + 8 * W_INODE);
	kread(c, R0, R1, i_sb, 8);
	emit_mov_reg(e, R1, R0);
	kread(c, R0, R1, s_dev, 4);
	emit_stx(e, BPF_DW, R9, R0, REC(dev));
	/* the path only when the file differs from the previous mapping's */
	emit_st(e, BPF_W, R9, REC(nnames), 0);
	emit_ldx(e, BPF_DW, R1, R9, w + 8 * W_PDEV);
	emit_jmp_reg(e, BPF_JNE, R0, R1, names);
	emit_ldx(e, BPF_DW, R0, R9, REC(ino));
	emit_ldx(e, BPF_DW, R1, R9, w + 8 * W_PINO);
	emit_jmp_reg(e, BPF_JEQ, R0, R1, same);
	emit_place(e, names);
	emit_ldx(e, BPF_DW, R0, R9, REC(dev));
	emit_stx(e, BPF_DW, R9, R0, w + 8 * W_PDEV);
	emit_ldx(e, BPF_DW, R0, R9, REC(ino));
	emit_stx(e, BPF_DW, R9, R0, w + 8 * W_PINO);
	emit_ldx(e, BPF_DW, R1, R9, w + 8 * W_FILE);
	kread(c, R0, R1, f_dent, 8);
	emit_stx(e, BPF_DW, R9, R0, w + 8 * W_DENT);
	emit_ldx(e, BPF_DW, R1, R9, w + 8 * W_FILE);
	kread(c, R0, R1, f_mnt, 8);
	emit_alu64_imm(e, BPF_SUB, R0, m_mnt);		/* container_of */
	emit_stx(e, BPF_DW, R9, R0, w + 8 * W_MNT);
	for (int i = 0; i < USTACK_NAMES; i++)
		gen_path_name(c, rec, w, i, out, loc);
	emit_place(e, out);
	ld_map(c, R1, c->ring_map);
	sptr(c, R2, rec);
	emit_mov_imm(e, R3, (int)sizeof(struct ustack_maprec));
	emit_mov_imm(e, R4, BPF_RB_NO_WAKEUP);
	call(c, BPF_FUNC_ringbuf_output);
	emit_jmp_imm(e, BPF_JEQ, R0, 0, loop);
	emit_st(e, BPF_DW, R9, w + 8 * W_FAIL, 1);
	emit_ja(e, loop);
	emit_place(e, same);
	ld_map(c, R1, c->ring_map);
	sptr(c, R2, rec);
	emit_mov_imm(e, R3, (int)USTACK_MAPREC_HEAD);
	emit_mov_imm(e, R4, BPF_RB_NO_WAKEUP);
	call(c, BPF_FUNC_ringbuf_output);
	emit_jmp_imm(e, BPF_JEQ, R0, 0, loop);
	emit_st(e, BPF_DW, R9, w + 8 * W_FAIL, 1);
	emit_ja(e, loop);

	emit_place(e, end);
	fptr(c, R1, FP_ITER);
	call_kfunc(c, k_end);
	/* a record lost: forget the address space, a later event resends */
	emit_ldx(e, BPF_DW, R0, R9, w + 8 * W_FAIL);
	emit_jmp_imm(e, BPF_JEQ, R0, 0, skip);
	map_delete_scratch(c, seen_map(c), key);
	emit_place(e, skip);
#undef REC
}

/* uregs[i]: the user registers the kernel saved at the thread's entry
 * (task_pt_regs), as ustack( ) reads them; a failed read is 0.  The words
 * struct pt_regs shares with user_regs_struct load directly (the regs got
 * once per program run, task_regs), the others through a read. */
void gen_uregs(struct cg *c, int i)
{
	struct emit *e = c->e;
	if (i < reg_ptregs_count()) {
		task_regs(c);
		emit_ldx(e, BPF_DW, R0, R0, 8 * i);
		return;
	}
	call(c, BPF_FUNC_get_current_task_btf);
	emit_mov_reg(e, R1, R0);
	call(c, BPF_FUNC_task_pt_regs);
	kread(c, R0, R0, 8 * i, 8);
}

static int top_map(struct cg *c)
{
	for (int i = 0; i < c->p->nmaps; i++)
		if (c->p->maps[i].role == MR_UTOP)
			return i;
	return map_add(c, MR_UTOP, BPF_MAP_TYPE_LRU_HASH, 16, 8, 8192,
		       "dtk_utop");
}

/* r4 = the bytes still to copy, at most a page: the limit at scratch
 * offset lim less what FP_K2 says is in (r2 is left holding that).  The
 * clamp bounds it for the verifier; at run time the caller has checked
 * FP_K2 < limit. */
static void next_chunk(struct cg *c, int lim)
{
	struct emit *e = c->e;
	int ok = emit_label(e);
	emit_ldx(e, BPF_DW, R4, R9, lim);
	emit_ldx(e, BPF_DW, R2, R10, FP_K2);
	emit_alu64_reg(e, BPF_SUB, R4, R2);
	emit_jmp_imm(e, BPF_JLE, R4, USTACK_PAGE, ok);
	emit_mov_imm(e, R4, USTACK_PAGE);
	emit_place(e, ok);
}

/* Fill a struct ustack_block at scratch offset blk; its size in bytes is
 * left at FP_K2.  Returns the scratch offset of a word that is not 0
 * when the consumer must be woken at once (ring_output_var).
 *
 * How much stack: user space tells, per thread (and address space), the
 * highest address its unwinding read (MR_UTOP, consume_stack.c).  The
 * outermost frames (_start, a thread's start routine) stay where they
 * are while the thread lives, and every later stack of the thread lies
 * between its sp and them, so that much is all any unwind of the thread
 * needs: a few hundred bytes where the blind copy takes ustacksize.  A
 * thread not known yet, or an sp outside (below the top by more than
 * ustacksize, or above it: another stack, e.g. sigaltstack) gets the
 * whole ustacksize. */
int gen_ustack_block(struct cg *c, int blk, struct loc loc)
{
	if (!c->d->opt.bufsize_set && c->d->opt.bufsize < USTACK_BUFSIZE)
		c->d->opt.bufsize = USTACK_BUFSIZE;	/* load.c sizes the ring */
	struct emit *e = c->e;
	int rsz = regs_bytes(c, loc), S = stack_bytes(c);
	int regs = blk + (int)sizeof(struct ustack_block);
	int stk = regs + rsz;
	int spoff = kofs(c, "pt_regs", "sp", loc);
	int t_mm = kofs(c, "task_struct", "mm", loc);
	int key = salloc(c, 16, loc), lim = salloc(c, 8, loc);
	int wake = salloc(c, 8, loc);
#define BLK(f) (blk + (int)offsetof(struct ustack_block, f))

	gen_send_maps(c, loc);
	call(c, BPF_FUNC_get_current_pid_tgid);
	emit_stx(e, BPF_W, R9, R0, BLK(tid));
	emit_stx(e, BPF_DW, R9, R0, key);
	emit_alu64_imm(e, BPF_RSH, R0, 32);
	emit_stx(e, BPF_W, R9, R0, BLK(pid));
	emit_st(e, BPF_W, R9, BLK(regs_size), rsz);
	emit_st(e, BPF_W, R9, BLK(stack_len), 0);
	emit_st(e, BPF_DW, R9, BLK(flags), 0);
	emit_st(e, BPF_W, R9, key + 4, 0);
	call(c, BPF_FUNC_get_current_task);
	kread(c, R0, R0, t_mm, 8);
	emit_stx(e, BPF_DW, R9, R0, BLK(mm));
	emit_stx(e, BPF_DW, R9, R0, key + 8);

	/* the registers: a failed read leaves zeros, and sp 0 copies nothing */
	call(c, BPF_FUNC_get_current_task_btf);
	emit_mov_reg(e, R1, R0);
	call(c, BPF_FUNC_task_pt_regs);
	emit_mov_reg(e, R3, R0);
	read_into(c, BPF_FUNC_probe_read_kernel, regs, rsz);

	/* The limit: the thread's top less sp where known, else S.  A
	 * thread seen for the first time leaves a top of 0 (asked, not
	 * known) and wakes the consumer at once: until it answers, each
	 * stack of the thread copies S, and a flood of them would fill the
	 * buffer in one switchrate interval. */
	int whole = emit_label(e), known = emit_label(e);
	emit_st(e, BPF_DW, R9, lim, S);
	emit_st(e, BPF_DW, R9, wake, 0);
	map_lookup_scratch(c, top_map(c), key);
	emit_jmp_imm(e, BPF_JNE, R0, 0, known);
	map_update_scratch(c, top_map(c), key, wake, BPF_NOEXIST);	/* 0 */
	emit_jmp_imm(e, BPF_JNE, R0, 0, whole);
	emit_st(e, BPF_DW, R9, wake, 1);
	emit_ja(e, whole);
	emit_place(e, known);
	emit_ldx(e, BPF_DW, R0, R0, 0);
	emit_ldx(e, BPF_DW, R1, R9, regs + spoff);
	emit_jmp_reg(e, BPF_JLE, R0, R1, whole);
	emit_alu64_reg(e, BPF_SUB, R0, R1);
	emit_jmp_imm(e, BPF_JGT, R0, S, whole);
	emit_stx(e, BPF_DW, R9, R0, lim);
	emit_st(e, BPF_W, R9, BLK(flags), USTACK_LIMITED);
	emit_place(e, whole);

	/* The stack, from sp up: first to the end of sp's page, then a page
	 * at a time while fewer than the limit's bytes are in.  Faults come
	 * a page at a time, so a fault past the top of the stack keeps all
	 * below it. */
	int done = emit_label(e), none = emit_label(e), first = emit_label(e);
	emit_ldx(e, BPF_DW, R1, R9, regs + spoff);
	emit_jmp_imm(e, BPF_JEQ, R1, 0, none);
	emit_stx(e, BPF_DW, R10, R1, FP_K1);		/* sp */
	emit_st(e, BPF_DW, R10, FP_K2, 0);
	next_chunk(c, lim);				/* min(limit, a page) */
	emit_ldx(e, BPF_DW, R1, R10, FP_K1);
	emit_mov_reg(e, R3, R1);
	emit_alu64_imm(e, BPF_AND, R1, USTACK_PAGE - 1);
	emit_mov_imm(e, R2, USTACK_PAGE);
	emit_alu64_reg(e, BPF_SUB, R2, R1);		/* 1 .. 4096 */
	emit_jmp_reg(e, BPF_JLE, R2, R4, first);
	emit_mov_reg(e, R2, R4);
	emit_place(e, first);
	emit_stx(e, BPF_DW, R10, R2, FP_K2);
	sptr(c, R1, stk);
	call(c, BPF_FUNC_probe_read_user);
	emit_jmp_imm(e, BPF_JNE, R0, 0, none);
	for (int i = 0; i < S / USTACK_PAGE; i++) {
		emit_ldx(e, BPF_DW, R2, R10, FP_K2);
		emit_ldx(e, BPF_DW, R1, R9, lim);
		emit_jmp_reg(e, BPF_JGE, R2, R1, done);
		next_chunk(c, lim);
		sptr(c, R1, stk);
		emit_alu64_reg(e, BPF_ADD, R1, R2);
		emit_ldx(e, BPF_DW, R3, R10, FP_K1);
		emit_alu64_reg(e, BPF_ADD, R3, R2);
		emit_mov_reg(e, R2, R4);
		call(c, BPF_FUNC_probe_read_user);
		emit_jmp_imm(e, BPF_JNE, R0, 0, done);
		next_chunk(c, lim);
		emit_alu64_reg(e, BPF_ADD, R2, R4);
		emit_stx(e, BPF_DW, R10, R2, FP_K2);
	}
	emit_ja(e, done);
	emit_place(e, none);
	emit_st(e, BPF_DW, R10, FP_K2, 0);
	emit_place(e, done);
	emit_ldx(e, BPF_DW, R0, R10, FP_K2);
	emit_stx(e, BPF_W, R9, R0, BLK(stack_len));
	emit_alu64_imm(e, BPF_ADD, R0, (int)sizeof(struct ustack_block) + rsz);
	emit_stx(e, BPF_DW, R10, R0, FP_K2);
	return wake;
#undef BLK
}

void gen_kstack_key(struct cg *c, const struct type *t, int off)
{
	emit_ldx(c->e, BPF_DW, R1, R10, FP_CTX);
	sptr(c, R2, off);
	emit_mov_imm(c->e, R3, t->size);
	emit_mov_imm(c->e, R4, 0);
	call(c, BPF_FUNC_get_stack);
}

void gen_stackdepth(struct cg *c, bool user, struct loc loc)
{
	/* the frame-pointer walk's count: bpf_get_stack into scratch */
	struct emit *e = c->e;
	int n = user ? c->d->opt.ustackframes : c->d->opt.stackframes;
	if (n <= 0 || n > 127)
		n = 127;
	int buf = salloc(c, 8 * n, loc);
	emit_ldx(e, BPF_DW, R1, R10, FP_CTX);
	sptr(c, R2, buf);
	emit_mov_imm(e, R3, 8 * n);
	emit_mov_imm(e, R4, user ? BPF_F_USER_STACK : 0);
	call(c, BPF_FUNC_get_stack);
	int ok = emit_label(e);
	emit_jmp_imm(e, BPF_JSGE, R0, 0, ok);
	emit_mov_imm(e, R0, 0);
	emit_place(e, ok);
	emit_alu64_imm(e, BPF_RSH, R0, 3);
}

/* stack([frames]), ustack([frames[, strsize]]), jstack( ): a value too,
 * as an aggregation key */
void check_stack(struct sema *s, struct node *n)
{
	struct compile *d = sema_compile(s);
	for (int i = 0; i < n->nargs; i++) {
		want_int(s, n, i, "int");
		if (!n->args[i]->isconst)
			sema_fail(s, n->args[i]->loc, D_PROTO_ARG, "%s( ) argument "
				  "#%d must be a constant", n->fn->name, i + 1);
	}
	struct type *t = arena_alloc(sema_arena(s), sizeof *t);
	t->k = TY_STACK;
	t->user = n->fn->param == PARAM_USER;
	t->nelem = n->nargs ? (int)n->args[0]->cval :
		(t->user ? d->opt.ustackframes : d->opt.stackframes);
	if (t->nelem <= 0 || t->nelem > 127)
		t->nelem = 127;
	/* a user stack key is its process and its pcs (codegen_stack.c) */
	t->size = 8 * t->nelem + (t->user ? 8 : 0);
	t->name = "stack";
	n->type = t;
}

void gen_stack_action(struct cg *c, struct node *n)
{
	struct emit *e = c->e;
	int nframes = n->type->nelem;
	if (n->fn->param != PARAM_USER) {
		/* [hdr][bytes][pcs] */
		struct action *a = new_action(c, ACT_STACK, n->loc);
		int size = 16 + 8 * nframes;
		int rec = salloc(c, size, n->loc);
		add_val(c, a, RV_STACK, 16, nframes, false);
		a->recsize = size;
		emit_ldx(e, BPF_DW, R1, R10, FP_CTX);
		sptr(c, R2, rec + 16);
		emit_mov_imm(e, R3, 8 * nframes);
		emit_mov_imm(e, R4, 0);
		call(c, BPF_FUNC_get_stack);
		emit_stx(e, BPF_DW, R9, R0, rec + 8);
		rec_header(c, rec, a);
		emit_st(e, BPF_DW, R10, FP_K2, size - 16);
		ring_output_var(c, rec, 16, size, -1);
		return;
	}
	/* [hdr][block] */
	struct action *a = new_action(c, ACT_USTACK, n->loc);
	int max = 8 + block_max(c, n->loc);
	int rec = salloc(c, max, n->loc);
	add_val(c, a, RV_USTACK, 8, nframes, false);
	a->recsize = max;
	rec_header(c, rec, a);
	int wake = gen_ustack_block(c, rec + 8, n->loc);
	ring_output_var(c, rec, 8, max, wake);
}
