/* mapbtf.c - the BTF a task-storage map must be created with.
 *
 * The kernel creates a BPF_MAP_TYPE_TASK_STORAGE map only with BTF types
 * for its key (a 4-byte int: the task's fd, unused from BPF) and its value
 * (here an array of u64 of the value's size). */
#include <errno.h>
#include <bpf/btf.h>
#include <unistd.h>
#include "mapbtf.h"

int mapbtf_task_storage(int vsize, uint32_t *key_id, uint32_t *val_id)
{
	struct btf *b = btf__new_empty();
	if (!b)
		return -ENOMEM;
	int i32 = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	int u64 = btf__add_int(b, "unsigned long long", 8, 0);
	int arr = i32 > 0 && u64 > 0 ?
		btf__add_array(b, i32, u64, (vsize + 7) / 8) : -1;
	int fd = -EINVAL;
	if (arr > 0 && btf__load_into_kernel(b) == 0) {
		fd = dup(btf__fd(b));
		if (fd < 0)
			fd = -errno;
	}
	btf__free(b);
	*key_id = (uint32_t)i32;
	*val_id = (uint32_t)arr;
	return fd;
}
