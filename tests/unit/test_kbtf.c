/* test_kbtf.c - kernel struct layouts from this kernel's BTF.
 *
 * Offsets differ between kernel builds, so nothing here hard-codes one:
 * the checks compare paths with their parts, sizes with C's, and types with
 * their declarations. */
#include <linux/btf.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "kbtf.h"
#include "check.h"

static struct kbtf *kb;

static int off(const char *sname, const char *path)
{
	return kbtf_offsetof(kb, sname, path, NULL);
}

static int size_of(const char *sname, const char *path)
{
	int size = -1;
	kbtf_offsetof(kb, sname, path, &size);
	return size;
}

/* C text of the declared type of sname.path */
static const char *decl_of(const char *sname, const char *path)
{
	static char buf[256];
	struct kbtf_member m;
	strcpy(buf, "?");
	if (kbtf_path(kb, kbtf_find_struct(kb, sname), path, &m) == 0)
		kbtf_type_name(kb, m.decl_type_id, buf, sizeof(buf));
	return buf;
}

static void test_lookup(void)
{
	int task = kbtf_find_struct(kb, "task_struct");
	CHECK(task > 0);
	CHECK(kbtf_find_struct(kb, "struct task_struct") == task);
	CHECK(kbtf_find_struct(kb, "union task_struct") == -1);
	CHECK(kbtf_find_struct(kb, "no_such_struct_dtk") == -1);
	CHECK(kbtf_find_by_name(kb, BTF_KIND_STRUCT, "task_struct") == task);
	CHECK(kbtf_find_typedef(kb, "pid_t") > 0);
	/* tp_btf programs attach through these typedefs */
	CHECK(kbtf_find_typedef(kb, "btf_trace_sys_enter") > 0);
	CHECK(kbtf_has_func(kb, "schedule"));
	CHECK(!kbtf_has_func(kb, "no_such_function_dtk"));
	CHECK(!kbtf_has_func(kb, "task_struct"));

	struct kbtf_type t;
	CHECK(kbtf_type(kb, task, &t) == 0);
	CHECK(t.kind == KB_STRUCT && t.id == task && t.size > 1000);
	CHECK(strcmp(t.name, "task_struct") == 0);
	CHECK(kbtf_type(kb, 0, &t) == 0 && t.kind == KB_VOID);
	CHECK(kbtf_type(kb, 1 << 30, &t) == -1);
}

static void test_task_struct(void)
{
	CHECK(off("task_struct", "tgid") > 0);
	CHECK(size_of("task_struct", "tgid") == 4);
	CHECK(size_of("task_struct", "pid") == 4);
	CHECK(size_of("task_struct", "real_parent") == 8);
	CHECK(size_of("task_struct", "comm") == 16);
	CHECK(size_of("task_struct", "mm") == 8);
	CHECK(size_of("task_struct", "fs") == 8);
	CHECK(size_of("task_struct", "signal") == 8);
	CHECK(size_of("task_struct", "nsproxy") == 8);
	CHECK(off("task_struct", "mm") % 8 == 0);
	CHECK(off("task_struct", "tgid") % 4 == 0);
	CHECK(off("task_struct", "pid") != off("task_struct", "tgid"));

	CHECK(strcmp(decl_of("task_struct", "real_parent"),
		     "struct task_struct *") == 0);
	CHECK(strcmp(decl_of("task_struct", "comm"), "char[16]") == 0);
	CHECK(strcmp(decl_of("task_struct", "tgid"), "pid_t") == 0);
	CHECK(strcmp(decl_of("task_struct", "mm"), "struct mm_struct *") == 0);

	/* se.sum_exec_runtime: a path is the sum of its parts */
	int se = off("task_struct", "se");
	int ser = off("sched_entity", "sum_exec_runtime");
	CHECK(se > 0 && ser >= 0);
	CHECK(off("task_struct", "se.sum_exec_runtime") == se + ser);
	CHECK(size_of("task_struct", "se.sum_exec_runtime") == 8);

	/* loginuid is a kuid_t, a struct holding the uid */
	CHECK(strcmp(decl_of("task_struct", "loginuid"), "kuid_t") == 0);
	CHECK(off("task_struct", "loginuid.val") == off("task_struct", "loginuid"));
	CHECK(size_of("task_struct", "loginuid.val") == 4);
	CHECK(size_of("task_struct", "sessionid") == 4);

	/* an array element */
	CHECK(off("task_struct", "comm[3]") == off("task_struct", "comm") + 3);
	CHECK(size_of("task_struct", "comm[3]") == 1);
	CHECK(off("task_struct", "comm[16]") == -1);

	/* types, as the checker sees them */
	struct kbtf_member m;
	struct kbtf_type t;
	int task = kbtf_find_struct(kb, "task_struct");
	CHECK(kbtf_member(kb, task, "comm", &m) == 0);
	CHECK(kbtf_type(kb, m.type_id, &t) == 0);
	CHECK(t.kind == KB_ARRAY && t.nelem == 16 && t.size == 16);
	CHECK(kbtf_type(kb, t.elem_id, &t) == 0);
	CHECK(t.kind == KB_INT && t.size == 1 && t.is_char);

	CHECK(kbtf_member(kb, task, "tgid", &m) == 0);
	CHECK(m.bit_size == 0 && m.bit_offset == m.offset * 8);
	CHECK(kbtf_type(kb, m.decl_type_id, &t) == 0);
	CHECK(t.kind == KB_INT && t.size == 4 && t.is_signed && !t.is_char);
	CHECK(strcmp(t.name, "pid_t") == 0);

	CHECK(kbtf_member(kb, task, "real_parent", &m) == 0);
	CHECK(kbtf_type(kb, m.type_id, &t) == 0);
	CHECK(t.kind == KB_PTR && t.size == 8);
	CHECK(kbtf_type(kb, t.elem_id, &t) == 0);
	CHECK(t.kind == KB_STRUCT && t.id == task);

	CHECK(kbtf_member(kb, task, "no_such_member", &m) == -1);
	CHECK(off("task_struct", "mm->arg_start") == -1);
	CHECK(off("task_struct", "se..sum_exec_runtime") == -1);
	CHECK(off("task_struct", "") == -1);
	CHECK(off("task_struct", "tgid.x") == -1);
	CHECK(off("no_such_struct_dtk", "x") == -1);
}

static void test_bitfield(void)
{
	struct kbtf_member m;
	int task = kbtf_find_struct(kb, "task_struct");
	CHECK(kbtf_member(kb, task, "sched_reset_on_fork", &m) == 0);
	CHECK(m.bit_size == 1);
	int shift = m.bit_offset - 8 * m.offset;
	CHECK(shift >= 0 && shift + m.bit_size <= 8 * m.size);
	CHECK(m.size == 1 || m.size == 2 || m.size == 4 || m.size == 8);
	CHECK(m.offset % m.size == 0);
}

static void test_paths_for_builtins(void)
{
	/* cwd: task->fs->pwd.dentry->d_name.name */
	CHECK(strcmp(decl_of("fs_struct", "pwd"), "struct path") == 0);
	CHECK(off("fs_struct", "pwd.dentry") ==
	      off("fs_struct", "pwd") + off("path", "dentry"));
	CHECK(size_of("path", "dentry") == 8);
	CHECK(strcmp(decl_of("dentry", "d_parent"), "struct dentry *") == 0);
	/* "const struct qstr" in newer kernels */
	CHECK(strstr(decl_of("dentry", "d_name"), "struct qstr") != NULL);
	CHECK(off("dentry", "d_name.name") ==
	      off("dentry", "d_name") + off("qstr", "name"));
	CHECK(size_of("qstr", "name") == 8);
	/* qstr.len sits in an anonymous struct in an anonymous union */
	int len = off("qstr", "len");
	CHECK(len >= 0 && len < off("qstr", "name"));
	CHECK(size_of("qstr", "len") == 4);
	CHECK(off("qstr", "hash_len") == 0);

	/* pr_psargs: mm->arg_start .. arg_end, inside mm_struct's anonymous
	 * struct; declared together as unsigned longs */
	int as = off("mm_struct", "arg_start");
	CHECK(as > 0 && size_of("mm_struct", "arg_start") == 8);
	CHECK(off("mm_struct", "arg_end") == as + 8);

	/* shellsnoop: task->signal->tty->index / ->name */
	CHECK(strcmp(decl_of("signal_struct", "tty"), "struct tty_struct *") == 0);
	CHECK(size_of("tty_struct", "index") == 4);
	CHECK(off("tty_struct", "name") > 0);
	CHECK(strncmp(decl_of("tty_struct", "name"), "char[", 5) == 0);

	/* nsproxy->pid_ns_for_children, a pointer */
	CHECK(size_of("nsproxy", "pid_ns_for_children") == 8);
}

static void test_type_names(void)
{
	char buf[256];
	CHECK(kbtf_type_name(kb, 0, buf, sizeof(buf)) == 4 &&
	      strcmp(buf, "void") == 0);
	CHECK(kbtf_type_name(kb, 1 << 30, buf, sizeof(buf)) == -1);
	/* truncation reports the length needed, like snprintf */
	int task = kbtf_find_struct(kb, "task_struct");
	CHECK(kbtf_type_name(kb, task, buf, 4) == 18 && strcmp(buf, "str") == 0);
	/* function pointer members */
	CHECK(strncmp(decl_of("file_operations", "read"),
		      "ssize_t (*)(struct file *, char *, size_t, loff_t *)",
		      60) == 0);
	struct kbtf_member m;
	struct kbtf_type t;
	CHECK(kbtf_member(kb, kbtf_find_struct(kb, "file_operations"), "read",
			  &m) == 0);
	CHECK(kbtf_type(kb, m.type_id, &t) == 0 && t.kind == KB_FUNC_PTR);
	/* a const pointee */
	CHECK(strcmp(decl_of("qstr", "name"), "const unsigned char *") == 0);
}

/* The index is taken only as far as the lookups go: in a BTF file of two
 * ints, a type of a kind this build does not know and a struct after it,
 * the ints are found, the struct is not (nothing past the unknown type is
 * read, or misread), and a name that is nowhere is -1. */
static void test_lazy_index(void)
{
	struct {
		struct btf_header h;
		struct btf_type a; uint32_t a_enc;
		struct btf_type b; uint32_t b_enc;
		struct btf_type bad;
		struct btf_type s;
		char strs[8];
	} __attribute__((packed)) f = {
		.h = { .magic = BTF_MAGIC, .version = BTF_VERSION,
		       .hdr_len = sizeof f.h, .type_off = 0,
		       .type_len = offsetof(typeof(f), strs) - sizeof f.h,
		       .str_off = offsetof(typeof(f), strs) - sizeof f.h,
		       .str_len = 7 },
		.a = { .name_off = 1, .info = BTF_KIND_INT << 24, .size = 4 },
		.a_enc = 32,
		.b = { .name_off = 3, .info = BTF_KIND_INT << 24, .size = 8 },
		.b_enc = 64,
		.bad = { .name_off = 0, .info = 31u << 24 },
		.s = { .name_off = 5, .info = BTF_KIND_STRUCT << 24, .size = 0 },
		.strs = "\0a\0b\0s",
	};
	char path[] = "/tmp/dtk_btf_XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	CHECK(write(fd, &f, sizeof f) == (ssize_t)sizeof f);
	close(fd);
	struct kbtf *k = kbtf_open_file(path);
	unlink(path);
	CHECK(k != NULL);
	if (!k)
		return;
	CHECK(kbtf_find_by_name(k, BTF_KIND_INT, "b") == 2);
	CHECK(kbtf_find_by_name(k, BTF_KIND_INT, "a") == 1);
	CHECK(kbtf_find_by_name(k, BTF_KIND_STRUCT, "s") == -1);
	CHECK(kbtf_find_by_name(k, BTF_KIND_INT, "nowhere") == -1);
	kbtf_close(k);
}

int main(void)
{
	if (access("/sys/kernel/btf/vmlinux", R_OK) != 0) {
		printf("skip: no /sys/kernel/btf/vmlinux\n");
		return CHECK_DONE();
	}
	CHECK(kbtf_open_file("/nonexistent/vmlinux") == NULL);
	kb = kbtf_open();
	CHECK(kb != NULL);
	if (!kb)
		return CHECK_DONE();
	test_lookup();
	test_task_struct();
	test_bitfield();
	test_paths_for_builtins();
	test_type_names();
	kbtf_close(kb);
	test_lazy_index();
	return CHECK_DONE();
}
