/* proc.h - the target process of -c and -p.
 *
 * -c: proc_create() finds the command as execvp would (so "dtrace -c
 * nosuchcmd" fails at once, and the command's first traced system call is
 * its own execve, not our PATH search) and forks a child that waits, held,
 * until proc_release() lets it exec once every probe is enabled.  The child
 * dies with the tracer (PR_SET_PDEATHSIG), and dtk_close kills it if it
 * still runs.  -p: proc_grab() checks the process exists and gives a pidfd
 * that becomes readable when it exits (a zombie included), so that a pid
 * reused by another process is never mistaken for the target.  A grabbed
 * process is never signalled.
 */
#ifndef DTK_PROC_H
#define DTK_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Fork argv[0] (searched in PATH here, as execvp does) held before exec.
 * The child keeps our stdin/stdout/stderr (our other files should be
 * close-on-exec), a clean signal mask and default SIGPIPE, and gets SIGKILL
 * if the tracer dies.  *release_fd is a socket to the held child:
 * proc_release() lets it go, and it also carries the exec errno back.
 * Closing it instead makes the child exit 127 without running anything.  Returns the pid, or -1 with
 * err = "failed to execute CMD: No such file or directory". */
pid_t proc_create(char *const argv[], int *release_fd, char *err, size_t errlen);

/* Signal sig was ignored when the tracer started (a background job's
 * SIGINT, nohup's SIGHUP): the tracer catches it, but the command is
 * started with it ignored, as it would be without the tracer. */
void proc_keep_ignored(int sig);

/* The file execvp would run for cmd (searched in PATH), as an absolute
 * path: 0, or -errno. */
int command_path(const char *cmd, char *out, size_t len);

/* Let the held child exec, and learn whether the exec worked (the release
 * socket is close-on-exec: EOF means success; else the child sends errno
 * and exits 127).  Closes release_fd.  Returns 0, or -errno with err set
 * as above. */
int proc_release(pid_t pid, int release_fd, char *err, size_t errlen);

/* A running process for -p: a pidfd, or -1 with
 * err = "failed to grab pid N: No such process". */
int proc_grab(pid_t pid, char *err, size_t errlen);

/* Whether the target has exited.  A created child (pidfd -1) is reaped with
 * waitpid and *status is its exit status (128 + signal when killed); a
 * grabbed process is watched through its pidfd (*status -1: unknown, it is
 * not our child).  block waits for the exit.  Returns 1 when it has exited,
 * 0 when not yet, -errno on error. */
int proc_wait_exit(pid_t pid, int pidfd, bool block, int *status);

/* End a child made by proc_create that still runs (held or released) and
 * reap it: SIGKILL, as DTrace kills what it started.  Returns its exit
 * status as proc_wait_exit gives it, or -1 if it was already reaped. */
int proc_kill(pid_t pid);

#endif
