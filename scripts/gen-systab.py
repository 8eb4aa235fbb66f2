#!/usr/bin/env python3
"""gen-systab.py - generate common/sym/systab_x86_64.h and common/sym/systab_aarch64.h.

Numbers come from the installed UAPI headers (x86_64: asm/unistd_64.h;
aarch64: asm-generic/unistd.h evaluated with arm64's __ARCH_WANT_* set), plus
NEWER_SYSCALLS below for calls the headers of this distribution predate.
Argument types and names come from this machine's tracefs
(events/syscalls/sys_enter_NAME/format); arguments of a syscall are the same on
every architecture, so the aarch64 table borrows them by name.  A syscall
without a format file (not compiled into this kernel) is kept with its number,
no event and no arguments.

Usage (as root, from the top of the tree):
    mount -t tracefs nodev /sys/kernel/tracing   # if not mounted
    scripts/gen-systab.py
"""
import os
import re
import subprocess
import sys
import tempfile

TRACEFS = next((p for p in ("/sys/kernel/tracing", "/sys/kernel/debug/tracing")
                if os.path.isdir(p + "/events/syscalls")), None)
OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                   "common", "sym")

# Syscalls newer than Debian 12's linux-libc-dev (6.1).  From 424 on, numbers
# are shared by all architectures (scripts/syscall.tbl, syscall_64.tbl); these
# were checked on a 6.18 kernel by calling each number and reading the
# sys_enter_* event it fired.
NEWER_SYSCALLS = {
    "common": {
        "cachestat": 451, "fchmodat2": 452, "map_shadow_stack": 453,
        "futex_wake": 454, "futex_wait": 455, "futex_requeue": 456,
        "statmount": 457, "listmount": 458, "lsm_get_self_attr": 459,
        "lsm_set_self_attr": 460, "lsm_list_modules": 461, "mseal": 462,
        "setxattrat": 463, "getxattrat": 464, "listxattrat": 465,
        "removexattrat": 466, "open_tree_attr": 467, "file_getattr": 468,
        "file_setattr": 469,
    },
    "x86_64": {"uretprobe": 335, "uprobe": 336},
    "aarch64": {},
}
# map_shadow_stack exists only where the architecture has shadow stacks.
NOT_ON = {"aarch64": {"map_shadow_stack"}}

# The ABI name (what strace and the man pages call it) differs from the
# kernel's SYSCALL_DEFINE name, which names the tracefs event.
EVENT_NAME = {
    "x86_64": {"stat": "newstat", "lstat": "newlstat", "fstat": "newfstat",
               "uname": "newuname", "sendfile": "sendfile64",
               "umount2": "umount"},
    "aarch64": {"fstat": "newfstat", "uname": "newuname",
                "sendfile": "sendfile64", "umount2": "umount",
                "fadvise64": "fadvise64_64"},
}

# Where an architecture orders a syscall's arguments its own way.
# arm64 has CONFIG_CLONE_BACKWARDS: tls comes before child_tidptr.
ARG_ORDER = {"aarch64": {"clone": ["clone_flags", "newsp", "parent_tidptr",
                                   "tls", "child_tidptr"]}}

# arm64's uapi asm/unistd.h switches these on before asm-generic/unistd.h.
ARM64_WANTS = ["__ARCH_WANT_RENAMEAT", "__ARCH_WANT_NEW_STAT",
               "__ARCH_WANT_SET_GET_RLIMIT", "__ARCH_WANT_TIME32_SYSCALLS",
               "__ARCH_WANT_SYS_CLONE3", "__ARCH_WANT_MEMFD_SECRET"]


def numbers_x86_64():
    nrs = {}
    with open("/usr/include/x86_64-linux-gnu/asm/unistd_64.h") as f:
        for m in re.finditer(r"#define __NR_(\w+) (\d+)", f.read()):
            nrs[m.group(1)] = int(m.group(2))
    return nrs


def numbers_aarch64():
    """Evaluate asm-generic/unistd.h with the C compiler: its __NR_ macros
    refer to each other (__NR_fcntl -> __NR3264_fcntl)."""
    wants = "".join(f"#define {w}\n" for w in ARM64_WANTS)
    names = subprocess.run(
        ["cc", "-E", "-dM", "-x", "c", "-"],
        input=wants + "#include <asm-generic/unistd.h>\n",
        capture_output=True, text=True, check=True).stdout
    syms = sorted(set(re.findall(r"#define __NR_(\w+) ", names)) -
                  {"syscalls", "arch_specific_syscall"})
    prog = wants + "#include <asm-generic/unistd.h>\n#include <stdio.h>\n"
    prog += "int main(void) {\n"
    prog += "".join(f'\tprintf("%d {s}\\n", __NR_{s});\n' for s in syms)
    prog += "\treturn 0;\n}\n"
    with tempfile.TemporaryDirectory() as d:
        exe = os.path.join(d, "nr")
        subprocess.run(["cc", "-o", exe, "-x", "c", "-"], input=prog,
                       text=True, check=True)
        out = subprocess.run([exe], capture_output=True, text=True,
                             check=True).stdout
    return {name: int(nr) for nr, name in (l.split() for l in out.splitlines())}


def read_formats():
    """sys_enter_NAME -> [(type, name)], skipping common_* and __syscall_nr."""
    fmts = {}
    if TRACEFS is None:
        sys.exit("gen-systab: tracefs is not mounted "
                 "(mount -t tracefs nodev /sys/kernel/tracing)")
    evdir = TRACEFS + "/events/syscalls"
    for ev in os.listdir(evdir):
        if not ev.startswith("sys_enter_"):
            continue
        args = []
        with open(f"{evdir}/{ev}/format") as f:
            for m in re.finditer(r"field:([^;]*);", f.read()):
                decl = m.group(1).strip()
                typ, _, name = decl.rpartition(" ")
                if name.startswith("common_") or name == "__syscall_nr":
                    continue
                args.append((typ.strip(), name))
        fmts[ev[len("sys_enter_"):]] = args
    return fmts


def cstr(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def emit(arch, nrs, fmts):
    extra = dict(NEWER_SYSCALLS["common"], **NEWER_SYSCALLS[arch])
    for name, nr in extra.items():
        if name not in NOT_ON.get(arch, ()):
            nrs.setdefault(name, nr)
    rename = EVENT_NAME[arch]
    lines = []
    for name, nr in sorted(nrs.items(), key=lambda kv: kv[1]):
        event = rename.get(name, name)
        # args are borrowed by name: the x86_64 event may carry the other name
        args = fmts.get(event, fmts.get(EVENT_NAME["x86_64"].get(name, name)))
        if args is not None and name in ARG_ORDER.get(arch, {}):
            by_name = dict((n, t) for t, n in args)
            args = [(by_name[n], n) for n in ARG_ORDER[arch][name]]
        if args is None:
            lines.append(f"\t{{ {nr}, {cstr(name)}, NULL, 0, {{ {{ 0 }} }} }},")
            continue
        a = ", ".join(f"{{ {cstr(t)}, {cstr(n)} }}" for t, n in args)
        lines.append(f"\t{{ {nr}, {cstr(name)}, {cstr(event)}, {len(args)}, "
                     f"{{ {a or '{ 0 }'} }} }},")
    path = os.path.join(OUT, f"systab_{arch}.h")
    with open(path, "w") as f:
        f.write(f"/* systab_{arch}.h - {arch} syscalls: number, ABI name, "
                "tracefs event name, arguments.\n"
                " * Generated by scripts/gen-systab.py; do not edit. */\n")
        f.write("static const struct systab_entry systab_entries[] = {\n")
        f.write("\n".join(lines) + "\n};\n")
    print(f"{path}: {len(lines)} syscalls, "
          f"{sum(1 for l in lines if ' NULL, 0,' in l)} without a format")


def main():
    fmts = read_formats()
    emit("x86_64", numbers_x86_64(), fmts)
    emit("aarch64", numbers_aarch64(), fmts)


if __name__ == "__main__":
    main()
