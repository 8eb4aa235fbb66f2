/* mapbtf.h - BTF for maps the kernel wants typed (task storage). */
#ifndef DTK_MAPBTF_H
#define DTK_MAPBTF_H

#include <stdint.h>

/* Load BTF for a task-storage map with vsize-byte values; its fd (the
 * caller closes it once the map is made) or -errno. */
int mapbtf_task_storage(int vsize, uint32_t *key_id, uint32_t *val_id);

#endif
